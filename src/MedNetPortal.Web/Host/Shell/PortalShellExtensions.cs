using MedNetPortal.Web.Host.Hosting;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.Extensions.WebEncoders;
using MudBlazor.Services;

namespace MedNetPortal.Web.Host.Shell;

/// <summary>The portal's UI shell: interactive server components, MudBlazor, and the start-up rules of the host.</summary>
public static class PortalShellExtensions
{
    public static WebApplicationBuilder AddPortalShell(this WebApplicationBuilder builder)
    {
        builder.UseDefaultUrlUnlessConfigured();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddTransient<MudBlazor.MudLocalizer, Localization.PortalMudLocalizer>();
        // Japanese text as text, not as &#x...; entities: smaller pages that read well in the browser's source view.
        builder.Services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddCentralBaseRequirement(builder.Configuration);
        return builder;
    }
}

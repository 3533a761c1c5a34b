using MedNetPortal.Web.Features.Hosting;
using MudBlazor.Services;

namespace MedNetPortal.Web.Features.Shell;

/// <summary>The portal's UI shell: interactive server components, MudBlazor, and the start-up rules of the host.</summary>
public static class PortalShellExtensions
{
    public static WebApplicationBuilder AddPortalShell(this WebApplicationBuilder builder)
    {
        builder.UseDefaultUrlUnlessConfigured();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddCentralBaseRequirement(builder.Configuration);
        return builder;
    }
}

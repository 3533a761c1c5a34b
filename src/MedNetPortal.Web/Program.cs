using MedNetPortal.Fhir;
using MedNetPortal.FhirBase;
using MedNetPortal.Web.Components;
using MedNetPortal.Web.Features.Demo;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

if (args is [ImportCommand.Name, ..]) { Environment.ExitCode = await ImportCommand.RunAsync(args, CancellationToken.None); return; }

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents();
builder.Services.AddFhirBase(builder.Configuration);
// Empty CentralFhir:BaseUrl = the embedded base on this host; its address is known only once Kestrel listens.
builder.Services.AddCentralFhirClient(builder.Configuration, services =>
{
    var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
    var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
        ?? throw new InvalidOperationException("The embedded FHIR base address is unknown: the server is not listening yet (or runs in-memory); set CentralFhir:BaseUrl.");
    address = address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)
        .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal);
    return new Uri(address.TrimEnd('/') + (builder.Configuration["FhirBase:PathBase"] ?? "/fhir") + "/");
});
builder.Services.AddDemoData(builder.Configuration);

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
    app.UseHsts();
}
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();

app.MapStaticAssets();
app.MapFhirBase();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;

using MedNetPortal.Fhir;
using MedNetPortal.FhirBase;
using MedNetPortal.Web.Components;
using MedNetPortal.Web.Features.Demo;

if (args is [ImportCommand.Name, ..]) { Environment.ExitCode = await ImportCommand.RunAsync(args, CancellationToken.None); return; }

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents();
builder.Services.AddFhirBase(builder.Configuration);
builder.Services.AddCentralFhirClient(builder.Configuration);
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

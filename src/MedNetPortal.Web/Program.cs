using MedNetPortal.Fhir;
using MedNetPortal.FhirBase;
using MedNetPortal.Web.Components;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Admin.Accounts;
using MedNetPortal.Web.Features.Admin.Facilities;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Features.Admin.Audit;
using MedNetPortal.Web.Host.Conformance;
using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Emergency;
using MedNetPortal.Web.Features.Facilities;
using MedNetPortal.Web.Features.Home;
using MedNetPortal.Web.Host.Health;
using MedNetPortal.Web.Host.Hosting;
using MedNetPortal.Web.Host.Localization;
using MedNetPortal.Web.Features.Patients;
using MedNetPortal.Web.Features.Letters;
using MedNetPortal.Web.Host.Security;
using MedNetPortal.Web.Host.Shell;
using MedNetPortal.Web.Host.Telemetry;

if (args is [ImportCommand.Name, ..]) { Environment.ExitCode = await ImportCommand.RunAsync(args, CancellationToken.None); return; }
if (args is [AuditVerifyCommand.Name, ..]) { Environment.ExitCode = await AuditVerifyCommand.RunAsync(args, CancellationToken.None); return; }
if (args is [AuditRetryCommand.Name, ..]) { Environment.ExitCode = await AuditRetryCommand.RunAsync(args, CancellationToken.None); return; }
if (args is [MigrateCommand.Name, ..]) { Environment.ExitCode = await MigrateCommand.RunAsync(args, CancellationToken.None); return; }

var builder = WebApplication.CreateBuilder(args);

builder.AddPortalShell();
builder.AddPortalTelemetry();
builder.Services.AddPortalSecurityHeaders();
builder.Services.AddPortalTransportSecurity(builder.Environment, builder.Configuration);
builder.Services.AddPortalForwardedHeaders(builder.Configuration);
builder.Services.AddPortalLocalization();
builder.Services.AddPortalDatabase(builder.Configuration);
builder.Services.AddAuditTrail(builder.Configuration);
builder.AddPortalAccounts();
builder.Services.AddFhirBase(builder.Configuration);
// Empty CentralFhir:BaseUrl = the embedded base on this host; its address is known only once Kestrel listens.
builder.Services.AddCentralFhirClient(builder.Configuration, EmbeddedBaseAddress.Resolve);
builder.Services.AddPortalHealthChecks();
builder.Services.AddProfileValidation(builder.Configuration);
builder.Services.AddDemoData(builder.Configuration);
builder.Services.AddPatients();
builder.Services.AddPortalRateLimits(builder.Configuration);
builder.Services.AddConsentAndEmergency(builder.Configuration);
builder.Services.AddLetters();
builder.Services.AddFacilities();
builder.Services.AddFacilityAdmin();
builder.Services.AddAccountAdministration();
builder.Services.AddAuditViews();
builder.Services.AddHome();

var app = builder.Build();

app.UsePortalForwardedHeaders();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}

app.UsePortalTransportSecurity(app.Environment);
// After the exception handler, which clears headers before rendering /Error; before everything that writes a response.
app.UsePortalSecurityHeaders();
app.UseRequestPathLogging();
app.UseRequestLocalization();
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UsePortalRateLimits();
app.UsePortalAccounts();
app.UseAntiforgery();

app.MapStaticAssets().AllowAnonymous();
app.MapAccountEndpoints();
app.MapCultureEndpoint();
app.MapPortalHealthChecks();
app.MapFhirBase();
app.MapRazorComponents<App>()
    // The portal's own CSP (Host/Security) already says frame-ancestors 'none'; no second, looser header from Blazor.
    .AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;

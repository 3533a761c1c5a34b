using MedNetPortal.Fhir;
using MedNetPortal.FhirBase.Security;
using MedNetPortal.Web.Host.Data;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Features.Demo;

/// <summary>Demo data for the embedded configuration (section <c>Demo</c>).</summary>
public static class DemoExtensions
{
    /// <summary>
    /// Registers the demo seeder; it runs only when <c>Demo:Enabled</c> is true. Then the embedded base also knows the
    /// outside-EHR client <c>demo-ehr</c> (secret <c>Demo:EhrClientSecret</c>, scope <c>system/*.cruds</c>), and the seeder
    /// writes the demo records as that client, the way an EHR would, not with the portal's narrower client.
    /// </summary>
    public static IServiceCollection AddDemoData(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DemoOptions>()
            .Bind(configuration.GetSection(DemoOptions.SectionName), o => o.ErrorOnUnknownConfiguration = false)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<FhirBaseAuthOptions>().Configure<IOptions<DemoOptions>>((auth, demo) =>
        {
            if (demo.Value.Enabled)
            {
                auth.Clients[DemoOptions.EhrClientId] = new FhirBaseClientOptions { Secret = demo.Value.EhrClientSecret, Scopes = "system/*.cruds" };
            }
        });
        services.AddCentralFhirClientAs(DemoOptions.EhrClientId, sp =>
            new FhirClientCredentials(DemoOptions.EhrClientId, sp.GetRequiredService<IOptions<DemoOptions>>().Value.EhrClientSecret));
        services.AddHostedService<DemoSeedingService>();
        // Portal database seeders run in registration order: after Account's roles (AddPortalAccounts comes first).
        services.AddScoped<IPortalDataSeeder, DemoFacilityRecordSeeder>();
        services.AddScoped<IPortalDataSeeder, DemoAccountSeeder>();
        return services;
    }
}

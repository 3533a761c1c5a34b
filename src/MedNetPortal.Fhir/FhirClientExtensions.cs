using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.Fhir;

/// <summary>Registers the typed central-base client.</summary>
public static class FhirClientExtensions
{
    /// <summary>Adds <see cref="IFhirApi"/> configured from section <c>CentralFhir</c>.</summary>
    public static IHttpClientBuilder AddCentralFhirClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // TODO(client helper): implement (Refit, shared Firely JSON options, resilience, options validation).
        return services.AddHttpClient("CentralFhir");
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.FhirBase;

/// <summary>Registers and maps the embedded central FHIR base.</summary>
public static class FhirBaseExtensions
{
    /// <summary>
    /// Adds the base's options (sections <c>FhirBase</c>, <c>Storage</c>, connection string <c>FhirBase</c>), store and services.
    /// A PostgreSQL connection string in <c>ConnectionStrings:FhirBase</c> selects PostgreSQL; otherwise SQLite in the data folder.
    /// </summary>
    public static IServiceCollection AddFhirBase(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // TODO(fhirbase helper): implement.
        return services;
    }

    /// <summary>Maps the FHIR REST API at <c>FhirBase:PathBase</c> when <c>FhirBase:Enabled</c> is true.</summary>
    public static IEndpointRouteBuilder MapFhirBase(this IEndpointRouteBuilder endpoints)
    {
        // TODO(fhirbase helper): implement.
        return endpoints;
    }
}

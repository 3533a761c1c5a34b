using MedNetPortal.Web.Host.Data;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MedNetPortal.Web.Features.Facilities;

/// <summary>Registration of the portal's facility records.</summary>
public static class FacilitiesExtensions
{
    public static IServiceCollection AddFacilities(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<IFacilityRegistry, FacilityRegistry>();
        return services;
    }
}

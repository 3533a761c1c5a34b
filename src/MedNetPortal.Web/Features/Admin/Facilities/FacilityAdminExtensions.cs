namespace MedNetPortal.Web.Features.Admin.Facilities;

/// <summary>Registration of the facility administration services.</summary>
public static class FacilityAdminExtensions
{
    public static IServiceCollection AddFacilityAdmin(this IServiceCollection services)
    {
        services.AddScoped<OrganizationMirror>();
        services.AddScoped<FacilityAdminService>();
        return services;
    }
}

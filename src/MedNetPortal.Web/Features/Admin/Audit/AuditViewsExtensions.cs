namespace MedNetPortal.Web.Features.Admin.Audit;

/// <summary>Registration of the administrators' audit views (the trail page's service and its CSV export).</summary>
public static class AuditViewsExtensions
{
    public static IServiceCollection AddAuditViews(this IServiceCollection services)
    {
        services.AddScoped<IAuditLogService, AuditLogService>();
        return services;
    }
}

namespace MedNetPortal.Web.Features.Audit.Views;

/// <summary>Registration of the audit views (admin trail page, CSV export, the "who viewed this record" panel).</summary>
public static class AuditViewsExtensions
{
    public static IServiceCollection AddAuditViews(this IServiceCollection services)
    {
        services.AddScoped<IAuditLogService, AuditLogService>();
        services.AddScoped<IRecordAccessHistory, RecordAccessHistory>();
        return services;
    }
}

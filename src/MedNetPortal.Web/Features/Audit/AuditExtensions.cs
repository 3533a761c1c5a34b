using MedNetPortal.Fhir.Options;
using MedNetPortal.FhirBase;
using MedNetPortal.Web.Host.Hosting;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Features.Audit;

/// <summary>Registers the audit trail: <see cref="IAuditTrail"/>, <see cref="IAuditChainVerifier"/>, forwarding and retention.</summary>
public static class AuditExtensions
{
    public static IServiceCollection AddAuditTrail(this IServiceCollection services, IConfiguration configuration)
    {
        AddAuditCore(services, configuration);
        services.AddHttpContextAccessor();
        services.AddClientAddress();
        services.AddScoped<IAuditTrail, AuditTrail>();
        services.AddScoped<IAuditEventPublisher, CentralBaseAuditEventPublisher>();
        services.AddHostedService<AuditForwarder>();
        services.AddSingleton<AuditRetentionService>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditRetentionService>());
        return services;
    }

    /// <summary>The keys, the writer and the verifier: what the <c>audit-verify</c> command needs too.</summary>
    internal static IServiceCollection AddAuditCore(IServiceCollection services, IConfiguration configuration, bool mayCreateKey = true)
    {
        services.AddValidatedOptions<AuditOptions>(configuration, AuditOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => AuditKeys.Load(
            sp.GetRequiredService<IOptions<AuditOptions>>().Value,
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            sp.GetRequiredService<IHostEnvironment>().ContentRootPath,
            mayCreateKey));
        services.TryAddSingleton<AuditForwardSignal>();
        services.TryAddSingleton<AuditWriter>();
        services.TryAddScoped<IAuditChainVerifier, AuditChainVerifier>();
        return services;
    }
}

using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Host.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Host.Health;

/// <summary>
/// Degraded while the oldest audit entry not yet in the central base (queued, or set aside after a refusal) is older than
/// <c>Audit:ForwardAlertMinutes</c>: the trail still works locally, but the network's copy is behind.
/// </summary>
internal sealed class AuditForwardingHealthCheck(IDbContextFactory<PortalDbContext> dbFactory, IOptions<AuditOptions> options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.ForwardToCentralBase)
        {
            return HealthCheckResult.Healthy("forwarding is off");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var waiting = db.AuditEntries.AsNoTracking().Where(e => e.ForwardedAtUtc == null);
        var oldest = await waiting.MinAsync(e => (DateTime?)e.RecordedAtUtc, cancellationToken);
        var setAside = await waiting.CountAsync(e => e.ForwardRejectedAtUtc != null, cancellationToken);
        if (oldest is null)
        {
            return HealthCheckResult.Healthy("every entry is in the central base");
        }

        var age = time.GetUtcNow().UtcDateTime - oldest.Value;
        var description = $"oldest unforwarded entry {(int)age.TotalMinutes} min old; {setAside} set aside (audit-retry)";
        return age > TimeSpan.FromMinutes(options.Value.ForwardAlertMinutes)
            ? new HealthCheckResult(context.Registration.FailureStatus, description)
            : HealthCheckResult.Healthy(description);
    }
}

using Microsoft.EntityFrameworkCore;
using MedNetPortal.Web.Host.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MedNetPortal.Web.Host.Health;

internal sealed class PortalDatabaseHealthCheck(IDbContextFactory<PortalDbContext> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy($"{db.Database.ProviderName?.Split('.').LastOrDefault()} reachable")
                : new HealthCheckResult(context.Registration.FailureStatus, "cannot connect to the portal database");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "the portal database did not answer in time");
        }
#pragma warning disable CA1031 // A health check reports every failure as a status instead of throwing.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"portal database error ({ex.GetType().Name})");
        }
    }
}

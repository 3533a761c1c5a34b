using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Features.Audit;

/// <summary>
/// Removes entries older than <see cref="AuditOptions.RetentionYears"/> once a day (first run a minute after start). Each
/// run that removes something appends an <see cref="AuditAction.AuditPurged"/> entry (count and anchor) in the same
/// transaction, so the purge is itself audited and the verifier still accepts the shortened chain.
/// </summary>
internal sealed partial class AuditRetentionService(
    AuditWriter writer,
    IOptions<AuditOptions> options,
    TimeProvider time,
    ILogger<AuditRetentionService> logger) : BackgroundService
{
    internal static readonly TimeSpan FirstRunDelay = TimeSpan.FromMinutes(1);
    internal static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(FirstRunDelay, time, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await PurgeOnceAsync(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // Tomorrow's run tries again; the entries are only kept longer.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    LogPurgeFailed(logger, ex.GetType().Name);
                }

                await Task.Delay(Interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>One purge: the cutoff is now minus the retention period (calendar years, UTC).</summary>
    internal async Task<AuditEntry?> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().UtcDateTime.AddYears(-options.Value.RetentionYears);
        var purge = await writer.PurgeAsync(cutoff, cancellationToken);
        if (purge is not null)
        {
            LogPurged(logger, purge.Detail);
        }

        return purge;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit retention purge: {Detail}")]
    private static partial void LogPurged(ILogger logger, string? detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit retention purge failed ({ExceptionType}); the next run tries again")]
    private static partial void LogPurgeFailed(ILogger logger, string exceptionType);
}

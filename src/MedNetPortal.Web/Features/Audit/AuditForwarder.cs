using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Features.Audit;

/// <summary>Sends one AuditEvent to the central base; throws when the base did not store it.</summary>
internal interface IAuditEventPublisher
{
    Task PublishAsync(AuditEvent auditEvent, CancellationToken cancellationToken);
}

/// <summary>PUT AuditEvent/{id}: update-as-create with an id derived from the entry, so a repeat stores nothing new.</summary>
internal sealed class CentralBaseAuditEventPublisher(CentralFhirClient client) : IAuditEventPublisher
{
    public async Task PublishAsync(AuditEvent auditEvent, CancellationToken cancellationToken) =>
        await client.UpdateAsync(auditEvent, ifMatchVersionId: null, cancellationToken);
}

/// <summary>
/// Forwards queued entries (ForwardedAtUtc null) to the central base in chain order, in the background: the user never
/// waits for it. On the first failure it stops (order is kept), counts the attempt and waits with exponential backoff up to
/// <see cref="AuditOptions.ForwardMaxBackoffSeconds"/>; entries stay queued in the portal database until the base stores them,
/// so nothing is lost while the base is down, and a repeat after a crash between PUT and marking is harmless (same id).
/// </summary>
internal sealed partial class AuditForwarder(
    IServiceScopeFactory scopes,
    IOptions<AuditOptions> options,
    AuditForwardSignal signal,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<AuditForwarder> logger) : BackgroundService
{
    private const int BatchSize = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ForwardToCentralBase)
        {
            return;
        }

        // The embedded base's address is known only once the server listens.
        await WhenStartedAsync(stoppingToken);
        var backoff = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            bool failed;
            try
            {
                failed = !(await ForwardPendingAsync(stoppingToken)).Complete;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The loop must survive a database hiccup; the entries stay queued.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogLoopFailed(logger, ex.GetType().Name);
                failed = true;
            }

            try
            {
                if (failed)
                {
                    backoff = backoff == TimeSpan.Zero ? TimeSpan.FromSeconds(1) : backoff * 2;
                    var max = TimeSpan.FromSeconds(options.Value.ForwardMaxBackoffSeconds);
                    backoff = backoff > max ? max : backoff;
                    await Task.Delay(backoff, time, stoppingToken);
                }
                else
                {
                    backoff = TimeSpan.Zero;
                    await signal.WaitAsync(TimeSpan.FromSeconds(options.Value.ForwardIntervalSeconds), stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Forwards queued entries in order until none is left or one fails.</summary>
    internal async Task<(int Forwarded, bool Complete)> ForwardPendingAsync(CancellationToken cancellationToken)
    {
        var forwarded = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var publisher = scope.ServiceProvider.GetRequiredService<IAuditEventPublisher>();
            var batch = await db.AuditEntries.AsNoTracking()
                .Where(e => e.ForwardedAtUtc == null)
                .OrderBy(e => e.Id)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return (forwarded, true);
            }

            foreach (var entry in batch)
            {
                try
                {
                    await publisher.PublishAsync(AuditEventMapper.Map(entry), cancellationToken);
                }
                catch (FhirApiException ex)
                {
                    LogForwardFailed(logger, entry.Id, ex.Reason.ToString());
                    await db.AuditEntries.Where(e => e.Id == entry.Id)
                        .ExecuteUpdateAsync(s => s.SetProperty(e => e.ForwardAttempts, e => e.ForwardAttempts + 1), CancellationToken.None);
                    return (forwarded, false);
                }

                var now = time.GetUtcNow().UtcDateTime;
                await db.AuditEntries.Where(e => e.Id == entry.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.ForwardedAtUtc, now), CancellationToken.None);
                forwarded++;
            }
        }
    }

    private async Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        await started.Task;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit entry {EntryId} could not be forwarded to the central base ({Reason}); it stays queued")]
    private static partial void LogForwardFailed(ILogger logger, long entryId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit forwarding pass failed ({ExceptionType}); entries stay queued")]
    private static partial void LogLoopFailed(ILogger logger, string exceptionType);
}

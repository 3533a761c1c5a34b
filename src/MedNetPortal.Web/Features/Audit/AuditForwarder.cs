using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Host.Data;
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
/// waits for it. When the base is down, slow or refuses the portal itself (401, 403, 404, 408, 429, 5xx, no answer) it stops
/// (order is kept), counts the attempt and waits with exponential backoff up to <see cref="AuditOptions.ForwardMaxBackoffSeconds"/>;
/// entries stay queued in the portal database until the base stores them, so nothing is lost while the base is down, and a
/// repeat after a crash between PUT and marking is harmless (same id). When the base refuses one entry (another 4xx: the
/// entry itself is the problem), that entry is set aside (<see cref="AuditEntry.ForwardRejectedAtUtc"/>, logged as an error)
/// and the later ones go on: one bad entry never stalls the trail. <c>audit-retry</c> queues set-aside entries again, and
/// <c>/health</c> degrades while any entry waits longer than <see cref="AuditOptions.ForwardAlertMinutes"/>.
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
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(cancellationToken);
            var publisher = scope.ServiceProvider.GetRequiredService<IAuditEventPublisher>();
            var batch = await db.AuditEntries.AsNoTracking()
                .Where(e => e.ForwardedAtUtc == null && e.ForwardRejectedAtUtc == null)
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
                catch (FhirApiException ex) when (IsRefusalOfEntry(ex.StatusCode))
                {
                    var error = $"HTTP {(int)ex.StatusCode!.Value} {ex.Reason}";
                    LogSetAside(logger, entry.Id, error);
                    var at = time.GetUtcNow().UtcDateTime;
                    await db.AuditEntries.Where(e => e.Id == entry.Id)
                        .ExecuteUpdateAsync(
                            s => s.SetProperty(e => e.ForwardAttempts, e => e.ForwardAttempts + 1)
                                .SetProperty(e => e.ForwardRejectedAtUtc, at)
                                .SetProperty(e => e.ForwardError, error),
                            CancellationToken.None);
                    continue;
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

    /// <summary>
    /// A 4xx about the entry (400, 409, 412, 413, 415, 422, ...), not about the portal's access or the base's state: 401, 403
    /// (credentials), 404 (wrong address), 407, 408 and 429 (try later) stop and retry instead.
    /// </summary>
    internal static bool IsRefusalOfEntry(System.Net.HttpStatusCode? status) =>
        status is { } s && (int)s is >= 400 and < 500 && (int)s is not (401 or 403 or 404 or 407 or 408 or 429);

    private async Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        await started.Task;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit entry {EntryId} could not be forwarded to the central base ({Reason}); it stays queued")]
    private static partial void LogForwardFailed(ILogger logger, long entryId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit entry {EntryId} was refused by the central base ({Error}); it is set aside and later entries go on. Fix the cause, then run audit-retry")]
    private static partial void LogSetAside(ILogger logger, long entryId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit forwarding pass failed ({ExceptionType}); entries stay queued")]
    private static partial void LogLoopFailed(ILogger logger, string exceptionType);
}

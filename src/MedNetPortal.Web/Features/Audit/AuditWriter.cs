using System.Data;
using MedNetPortal.Web.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace MedNetPortal.Web.Features.Audit;

/// <summary>
/// Appends to the chain, one writer at a time: a process-wide lock around a transaction that reads the last entry and inserts
/// the next with Id = last + 1 and PreviousHash = last's hash. Each append uses its own DbContext (never the caller's, whose
/// pending changes it must not save). Several portal instances on one database wait for each other in the database: on
/// PostgreSQL the transaction first takes a transaction-scoped advisory lock (<see cref="ChainLockKey"/>), so appends from
/// every instance queue there instead of colliding (a serializable transaction alone let them fail each other under
/// contention); on SQLite the serializable transaction takes the database's write lock. A primary-key collision (another
/// writer that does not take the lock) is still retried twice with the new last entry.
/// </summary>
internal sealed class AuditWriter(IDbContextFactory<PortalDbContext> dbFactory, AuditKeys keys, TimeProvider time, AuditForwardSignal forwardSignal)
{
    /// <summary>The PostgreSQL advisory lock that serialises appends across instances (an arbitrary constant: "MEDNETAU").</summary>
    public const long ChainLockKey = 0x4D45444E45544155;

    private const string ChainLockKeyText = "5568832548337762645";

    private readonly SemaphoreSlim gate = new(1, 1);

    public TimeProvider Time => time;

    public async Task<AuditEntry> AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var appended = await WithChainAsync(async (db, lastId, lastHash, ct) =>
        {
            Seal(entry, lastId, lastHash);
            db.AuditEntries.Add(entry);
            await db.SaveChangesAsync(ct);
            return entry;
        }, cancellationToken);
        forwardSignal.Notify();
        return appended;
    }

    /// <summary>
    /// Removes every entry up to the last one recorded before <paramref name="cutoffUtc"/> (a prefix of the chain) and appends
    /// an <see cref="AuditAction.AuditPurged"/> entry whose Detail names the count and the anchor (the hash of the last
    /// removed entry), in one transaction. Null when there was nothing to remove.
    /// </summary>
    public async Task<AuditEntry?> PurgeAsync(DateTime cutoffUtc, CancellationToken cancellationToken)
    {
        var purge = await WithChainAsync<AuditEntry?>(async (db, lastId, lastHash, ct) =>
        {
            var lastOld = await db.AuditEntries.AsNoTracking()
                .Where(e => e.RecordedAtUtc < cutoffUtc)
                .OrderByDescending(e => e.Id)
                .Select(e => new { e.Id, e.Hash })
                .FirstOrDefaultAsync(ct);
            if (lastOld is null)
            {
                return null;
            }

            var removed = await db.AuditEntries.Where(e => e.Id <= lastOld.Id).ExecuteDeleteAsync(ct);
            var entry = new AuditEntry
            {
                Action = AuditAction.AuditPurged,
                Outcome = AuditOutcome.Success,
                Roles = "system",
                Detail = PurgeDetail(removed, lastOld.Hash),
            };
            Seal(entry, lastId, lastHash);
            db.AuditEntries.Add(entry);
            await db.SaveChangesAsync(ct);
            return entry;
        }, cancellationToken);
        if (purge is not null)
        {
            forwardSignal.Notify();
        }

        return purge;
    }

    internal static string PurgeDetail(int removed, string anchor) => $"removed={removed};anchor={anchor}";

    /// <summary>The anchor (hash of the last removed entry) in a purge entry's Detail, or null.</summary>
    internal static string? AnchorOf(string? purgeDetail)
    {
        const string marker = "anchor=";
        var at = purgeDetail?.IndexOf(marker, StringComparison.Ordinal) ?? -1;
        return at < 0 ? null : purgeDetail![(at + marker.Length)..].Split(';', 2)[0];
    }

    private void Seal(AuditEntry entry, long lastId, string lastHash)
    {
        entry.Id = lastId + 1;
        entry.PreviousHash = lastHash;
        entry.RecordedAtUtc = AuditChain.Normalise(time.GetUtcNow().UtcDateTime);
        entry.ForwardedAtUtc = null;
        entry.ForwardAttempts = 0;
        entry.Hash = AuditChain.ComputeHash(entry, keys.ChainKey);
    }

    private async Task<T> WithChainAsync<T>(Func<PortalDbContext, long, string, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                var postgres = db.Database.IsNpgsql();
                await using var transaction = await db.Database.BeginTransactionAsync(
                    postgres ? IsolationLevel.ReadCommitted : IsolationLevel.Serializable, cancellationToken);
                try
                {
                    if (postgres)
                    {
                        // Held until commit or rollback; read committed then sees every entry committed before it was granted.
                        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(" + ChainLockKeyText + ")", cancellationToken);
                    }

                    var last = await db.AuditEntries.AsNoTracking()
                        .OrderByDescending(e => e.Id)
                        .Select(e => new { e.Id, e.Hash })
                        .FirstOrDefaultAsync(cancellationToken);
                    var result = await work(db, last?.Id ?? 0, last?.Hash ?? string.Empty, cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                    return result;
                }
                catch (DbUpdateException) when (attempt < 3)
                {
                    // Another instance appended the same Id first: read the new last entry and try again.
                    await transaction.RollbackAsync(CancellationToken.None);
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }
}

/// <summary>Wakes the forwarder when an entry was appended, so forwarding starts without waiting for its next poll.</summary>
internal sealed class AuditForwardSignal
{
    private readonly SemaphoreSlim signal = new(0, 1);

    public void Notify()
    {
        if (signal.CurrentCount == 0)
        {
            try
            {
                signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => signal.WaitAsync(timeout, cancellationToken);
}

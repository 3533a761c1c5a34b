using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace MedNetPortal.Web.Host.Security;

/// <summary>Where the counts of the fixed windows live.</summary>
internal interface IRateLimitCounter
{
    /// <summary>Adds one to <paramref name="key"/>'s count in the window starting at <paramref name="windowStart"/> (Unix seconds) and returns the new count.</summary>
    ValueTask<long> IncrementAsync(string key, long windowStart, CancellationToken cancellationToken);
}

/// <summary>Counts in this instance's memory: several instances each allow the full numbers.</summary>
internal sealed class MemoryRateLimitCounter : IRateLimitCounter
{
    private readonly ConcurrentDictionary<string, (long WindowStart, long Count)> counts = new(StringComparer.Ordinal);
    private long calls;

    public ValueTask<long> IncrementAsync(string key, long windowStart, CancellationToken cancellationToken)
    {
        var updated = counts.AddOrUpdate(key, (windowStart, 1), (_, c) => c.WindowStart == windowStart ? (windowStart, c.Count + 1) : (windowStart, 1));
        if (Interlocked.Increment(ref calls) % 1000 == 0)
        {
            // Windows are at most a day: older counts are of no further use.
            foreach (var old in counts.Where(c => c.Value.WindowStart < windowStart - (24 * 60 * 60)).Select(c => c.Key).ToList())
            {
                counts.TryRemove(old, out _);
            }
        }

        return ValueTask.FromResult(updated.Count);
    }
}

/// <summary>
/// Counts in the portal database (table <c>RateLimitCounters</c>), shared by every instance on it: one atomic upsert per
/// budget (<c>INSERT … ON CONFLICT DO UPDATE … RETURNING</c>, the same statement on PostgreSQL and SQLite), so two instances
/// counting at the same moment both count. Rows of windows over a day old are deleted now and then.
/// </summary>
internal sealed class DatabaseRateLimitCounter(IDbContextFactory<Data.PortalDbContext> dbFactory, TimeProvider time) : IRateLimitCounter
{
    private const string Upsert = """
        INSERT INTO "RateLimitCounters" ("Key", "WindowStart", "Count") VALUES (@key, @window, 1)
        ON CONFLICT ("Key") DO UPDATE SET
            "Count" = CASE WHEN "RateLimitCounters"."WindowStart" = excluded."WindowStart" THEN "RateLimitCounters"."Count" + 1 ELSE 1 END,
            "WindowStart" = excluded."WindowStart"
        RETURNING "Count"
        """;

    private long nextSweep;

    public async ValueTask<long> IncrementAsync(string key, long windowStart, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Upsert;
            Add(command, "@key", key);
            Add(command, "@window", windowStart);
            var count = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            var now = time.GetUtcNow().ToUnixTimeSeconds();
            if (now >= Interlocked.Read(ref nextSweep))
            {
                Interlocked.Exchange(ref nextSweep, now + (60 * 60));
                await using var sweep = connection.CreateCommand();
                sweep.CommandText = "DELETE FROM \"RateLimitCounters\" WHERE \"WindowStart\" < @before";
                Add(sweep, "@before", now - (2 * 24 * 60 * 60));
                await sweep.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return count;
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    private static void Add(System.Data.Common.DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

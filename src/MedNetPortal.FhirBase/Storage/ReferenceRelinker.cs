using Hl7.Fhir.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace MedNetPortal.FhirBase.Storage;

/// <summary>
/// Turns the logical references of Tasks and DocumentReferences (<see cref="LogicalReferences"/>: a document registered
/// before its facilities' Organizations or its Patient were in the base) into literal ones (<c>Organization/{id}</c>, keeping
/// identifier and display) once exactly one resource of that type carries the identifier, the rule
/// <see cref="DocumentRegistrar"/> resolves by: after a request that wrote an Organization or Patient commits, and at start-up
/// for every logical reference whose target is in the base by then. Each re-link is an update (a new version, history kept).
/// A literal reference is never changed.
/// </summary>
internal sealed partial class ReferenceRelinker(ResourceStore store, ILogger<ReferenceRelinker> logger)
{
    private const int BatchSize = 200;
    private const string MarkerType = "~base";
    private const string MarkerParam = "~logical-references-indexed";

    private FhirBaseDbContext Db => store.Db;

    /// <summary>Re-links what refers to the Organizations and Patients the request wrote. Never throws: the write stands; start-up tries again.</summary>
    public async System.Threading.Tasks.Task RelinkWrittenAsync(CancellationToken cancellationToken)
    {
        // The identifiers as written: RelinkAsync finds the target through the committed index, so one a later write of the
        // request removed (or a deleted resource's) has no target and re-links nothing.
        var targets = store.WrittenTargets.Distinct().ToList();
        store.WrittenTargets.Clear();
        foreach (var (type, system, value) in targets)
        {
            try
            {
                await RelinkAsync(type, system, value, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Db.ChangeTracker.Clear();
                Log.FailedTarget(logger, type, ex.GetType().Name);
            }
        }
    }

    /// <summary>At start-up: every stored logical reference whose target is in the base now; the number of resources updated.</summary>
    public async Task<int> RelinkStoredAsync(CancellationToken cancellationToken)
    {
        await IndexEarlierWritesAsync(cancellationToken);
        var updated = 0;
        foreach (var type in LogicalReferences.Targets)
        {
            var param = LogicalReferences.Param(type);
            var pairs = await Db.Tokens.AsNoTracking()
                .Where(t => LogicalReferences.Holders.Contains(t.ResourceType) && t.Param == param
                            && Db.Tokens.Any(o => o.ResourceType == type && o.Param == "identifier" && o.System == t.System && o.Code == t.Code))
                .Select(t => new { t.System, t.Code })
                .Distinct()
                .ToListAsync(cancellationToken);
            foreach (var pair in pairs)
            {
                try
                {
                    updated += await RelinkAsync(type, pair.System, pair.Code, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Db.ChangeTracker.Clear();
                    Log.FailedTarget(logger, type, ex.GetType().Name);
                }
            }
        }

        return updated;
    }

    /// <summary>
    /// Once per database: indexes the logical references of Tasks and DocumentReferences stored by a version of the base
    /// that did not index them, then records that it did (a marker row in <c>index_token</c> that no resource owns), so
    /// later starts do not read them again.
    /// </summary>
    private async System.Threading.Tasks.Task IndexEarlierWritesAsync(CancellationToken cancellationToken)
    {
        if (await Db.Tokens.AnyAsync(t => t.ResourceSeq == 0 && t.ResourceType == MarkerType && t.Param == MarkerParam, cancellationToken))
        {
            return;
        }

        var prefixes = LogicalReferences.Targets.Select(LogicalReferences.Param).ToList();
        long after = 0;
        while (true)
        {
            // Only rows with a Reference.identifier (an object, where a resource's own identifiers are an array) are read.
            var rows = await Db.Resources.AsNoTracking()
                .Where(r => LogicalReferences.Holders.Contains(r.Type) && !r.Deleted && r.Seq > after && r.Json!.Contains("\"identifier\":{"))
                .OrderBy(r => r.Seq).Take(BatchSize).ToListAsync(cancellationToken);
            if (rows.Count == 0)
            {
                break;
            }

            after = rows[^1].Seq;
            var seqs = rows.Select(r => r.Seq).ToList();
            var indexed = (await Db.Tokens.AsNoTracking().Where(t => seqs.Contains(t.ResourceSeq) && prefixes.Contains(t.Param))
                .Select(t => t.ResourceSeq).Distinct().ToListAsync(cancellationToken)).ToHashSet();
            foreach (var row in rows.Where(r => !indexed.Contains(r.Seq)))
            {
                if (Parse(row.Json!) is { } resource)
                {
                    Db.Tokens.AddRange(LogicalReferences.Of(resource).Select(l => new TokenIndexRow
                    {
                        ResourceSeq = row.Seq, ResourceType = row.Type, Param = LogicalReferences.Param(l.TargetType), System = l.System, Code = l.Value,
                    }));
                }
            }

            await Db.SaveChangesAsync(cancellationToken);
            Db.ChangeTracker.Clear();
        }

        Db.Tokens.Add(new TokenIndexRow { ResourceSeq = 0, ResourceType = MarkerType, Param = MarkerParam, System = string.Empty, Code = "1" });
        await Db.SaveChangesAsync(cancellationToken);
        Db.ChangeTracker.Clear();
    }

    /// <summary>A row the current parser cannot read is left as it is: start-up must not fail on it.</summary>
    private static Resource? Parse(string json)
    {
        try
        {
            return FhirJson.Parse(json);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// When exactly one <paramref name="type"/> carries the identifier, re-links the logical references to it by that
    /// identifier; the number of resources updated.
    /// </summary>
    private async Task<int> RelinkAsync(string type, string system, string value, CancellationToken cancellationToken)
    {
        var targets = await Db.Tokens.AsNoTracking()
            .Where(t => t.ResourceType == type && t.Param == "identifier" && t.System == system && t.Code == value)
            .Select(t => t.ResourceSeq).Distinct().Take(2).ToListAsync(cancellationToken);
        if (targets.Count != 1)
        {
            return 0;
        }

        var targetId = await Db.Resources.AsNoTracking().Where(r => r.Seq == targets[0] && !r.Deleted).Select(r => r.Id).SingleOrDefaultAsync(cancellationToken);
        if (targetId is null)
        {
            return 0;
        }

        var param = LogicalReferences.Param(type);
        var holders = await Db.Tokens.AsNoTracking()
            .Where(t => LogicalReferences.Holders.Contains(t.ResourceType) && t.Param == param && t.System == system && t.Code == value)
            .Select(t => t.ResourceSeq).Distinct().ToListAsync(cancellationToken);
        var updated = 0;
        foreach (var seq in holders)
        {
            var row = await Db.Resources.AsNoTracking().SingleOrDefaultAsync(r => r.Seq == seq, cancellationToken);
            if (row is not { Deleted: false, Json: { } json })
            {
                continue;
            }

            try
            {
                var holder = FhirJson.Parse(json);
                if (LogicalReferences.Relink(holder, type, system, value, targetId))
                {
                    // If-Match on the version read: a concurrent update wins (its logical references are indexed again).
                    await store.UpdateAsync(holder, row.VersionId, refuseChange: null, cancellationToken);
                    Db.ChangeTracker.Clear();
                    updated++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Db.ChangeTracker.Clear();
                Log.Failed(logger, row.Type, row.Id, ex.GetType().Name);
            }
        }

        return updated;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Re-linking the logical references of or to {Type}/{Id} failed ({Exception}); retried at the next start.")]
        public static partial void Failed(ILogger logger, string type, string id, string exception);

        [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Re-linking the logical references to an {Type} failed ({Exception}); retried at the next start.")]
        public static partial void FailedTarget(ILogger logger, string type, string exception);
    }
}

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
    private FhirBaseDbContext Db => store.Db;

    /// <summary>Re-links what refers to the Organizations and Patients the request wrote. Never throws: the write stands; start-up tries again.</summary>
    public async System.Threading.Tasks.Task RelinkWrittenAsync(CancellationToken cancellationToken)
    {
        var targets = store.WrittenTargets.Distinct().ToList();
        store.WrittenTargets.Clear();
        foreach (var (type, id) in targets)
        {
            try
            {
                if (await store.ReadAsync(type, id, cancellationToken) is { Deleted: false, Json: { } json })
                {
                    var identifiers = FhirJson.Parse(json) switch
                    {
                        Organization organization => organization.Identifier,
                        Patient patient => patient.Identifier,
                        _ => [],
                    };
                    foreach (var (system, value) in identifiers.Select(i => (System: i.System ?? string.Empty, Value: i.Value ?? string.Empty))
                                 .Where(i => i.System.Length > 0 && i.Value.Length > 0).Distinct())
                    {
                        await RelinkAsync(type, system, value, cancellationToken);
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Db.ChangeTracker.Clear();
                Log.Failed(logger, type, id, ex.GetType().Name);
            }
        }
    }

    /// <summary>At start-up: every stored logical reference whose target is in the base now; the number of resources updated.</summary>
    public async Task<int> RelinkStoredAsync(CancellationToken cancellationToken)
    {
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
                    Log.FailedStored(logger, type, ex.GetType().Name);
                }
            }
        }

        return updated;
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

        [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Re-linking stored logical references to an {Type} failed ({Exception}); retried at the next start.")]
        public static partial void FailedStored(ILogger logger, string type, string exception);
    }
}

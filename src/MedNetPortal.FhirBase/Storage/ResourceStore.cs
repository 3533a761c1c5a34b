using Hl7.Fhir.Model;
using MedNetPortal.FhirBase.Http;
using MedNetPortal.FhirBase.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace MedNetPortal.FhirBase.Storage;

/// <summary>Reads and writes resources with their versions and search index rows; every write is one database transaction.</summary>
internal sealed class ResourceStore(FhirBaseDbContext db, TimeProvider time)
{
    public FhirBaseDbContext Db => db;

    /// <summary>
    /// Ids of the document Bundles this request wrote, for <see cref="DocumentRegistrar"/> to register once the request's
    /// writes are committed.
    /// </summary>
    public List<string> WrittenDocuments { get; } = [];

    /// <summary>
    /// The identifiers of the Organizations and Patients this request wrote (type, system, value), for
    /// <see cref="ReferenceRelinker"/> to re-link the logical references to them once the request's writes are committed.
    /// </summary>
    public List<(string Type, string System, string Value)> WrittenTargets { get; } = [];

    public async Task<StoredResource?> ReadAsync(string type, string id, CancellationToken cancellationToken)
    {
        var row = await db.Resources.AsNoTracking().SingleOrDefaultAsync(r => r.Type == type && r.Id == id, cancellationToken);
        return row is null ? null : StoredResource.From(row);
    }

    public async Task<StoredResource?> ReadVersionAsync(string type, string id, int versionId, CancellationToken cancellationToken)
    {
        var row = await db.Versions.AsNoTracking()
            .SingleOrDefaultAsync(v => v.Type == type && v.Id == id && v.VersionId == versionId, cancellationToken);
        return row is null ? null : StoredResource.From(row);
    }

    /// <summary>Stores <paramref name="resource"/> under a new server-assigned id, unless a transaction already assigned one.</summary>
    public Task<StoredResource> CreateAsync(Resource resource, CancellationToken cancellationToken, bool idAssigned = false)
    {
        if (!idAssigned)
        {
            resource.Id = NewId();
        }
        return InTransactionAsync(() => WriteAsync(null, resource, "POST", cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Updates, or creates with the client's id; <paramref name="ifMatchVersion"/> must equal the current version when given.
    /// With <paramref name="refuseChange"/> the PUT is create-only: a current resource with the same content (apart from
    /// <c>meta.versionId</c>/<c>lastUpdated</c>) is returned unchanged, one with other content throws what it returns.
    /// </summary>
    public Task<(StoredResource Stored, bool Created)> UpdateAsync(
        Resource resource, int? ifMatchVersion, Func<Exception>? refuseChange, CancellationToken cancellationToken) =>
        InTransactionAsync(async () =>
        {
            var row = await db.Resources.SingleOrDefaultAsync(r => r.Type == resource.TypeName && r.Id == resource.Id!, cancellationToken);
            if (ifMatchVersion is { } expected && (row is null || row.Deleted || row.VersionId != expected))
            {
                throw new FhirException(412, OperationOutcome.IssueType.Conflict,
                    $"If-Match version {expected} does not match the current version {(row is null || row.Deleted ? "(none)" : row.VersionId.ToString(System.Globalization.CultureInfo.InvariantCulture))}.");
            }
            var created = row is null || row.Deleted;
            if (!created && refuseChange is not null)
            {
                return SameContent(row!.Json!, resource) ? (StoredResource.From(row!), false) : throw refuseChange();
            }
            return (await WriteAsync(row, resource, "PUT", cancellationToken), created);
        }, cancellationToken);

    /// <summary>Marks the resource deleted (a new version without content); null when it never existed.</summary>
    public Task<StoredResource?> DeleteAsync(string type, string id, CancellationToken cancellationToken) =>
        InTransactionAsync<StoredResource?>(async () =>
        {
            var row = await db.Resources.SingleOrDefaultAsync(r => r.Type == type && r.Id == id, cancellationToken);
            if (row is null)
            {
                return null;
            }
            if (row.Deleted)
            {
                return StoredResource.From(row);
            }
            row.VersionId++;
            row.LastUpdated = Now();
            row.Deleted = true;
            row.Json = null;
            await DeleteIndexAsync(row.Seq, cancellationToken);
            db.Versions.Add(new VersionRow
            {
                ResourceSeq = row.Seq, VersionId = row.VersionId, Type = type, Id = id, LastUpdated = row.LastUpdated,
                Deleted = true, Method = "DELETE",
            });
            await db.SaveChangesAsync(cancellationToken);
            return StoredResource.From(row);
        }, cancellationToken);

    /// <summary>Runs <paramref name="work"/> in the current transaction, or in a new one committed at its end.</summary>
    public async Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return await work();
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var result = await work();
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch
        {
            db.ChangeTracker.Clear();
            throw;
        }
    }

    /// <summary>Equal content, ignoring the version and time the server stamped into <c>meta</c>.</summary>
    internal static bool SameContent(string storedJson, Resource incoming) =>
        WithoutServerMeta(FhirJson.Parse(storedJson)) == WithoutServerMeta(incoming);

    private static string WithoutServerMeta(Resource resource)
    {
        var copy = (Resource)resource.DeepCopy();
        if (copy.Meta is { } meta)
        {
            meta.VersionId = null;
            meta.LastUpdated = null;
            if (!meta.EnumerateElements().Any())
            {
                copy.Meta = null;
            }
        }
        return FhirJson.Serialize(copy);
    }

    public Task<IDbContextTransaction> BeginTransactionAsync(CancellationToken cancellationToken) =>
        db.Database.BeginTransactionAsync(cancellationToken);

    public static string NewId() => Guid.NewGuid().ToString("N");

    private long Now()
    {
        // Millisecond precision: what meta.lastUpdated carries, so the stored ticks and the JSON agree.
        var now = time.GetUtcNow();
        return now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMillisecond);
    }

    private async Task<StoredResource> WriteAsync(ResourceRow? row, Resource resource, string method, CancellationToken cancellationToken)
    {
        var ticks = Now();
        var version = (row?.VersionId ?? 0) + 1;
        resource.Meta ??= new Meta();
        resource.Meta.VersionId = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        resource.Meta.LastUpdated = new DateTimeOffset(ticks, TimeSpan.Zero);
        var json = FhirJson.Serialize(resource);
        if (row is null)
        {
            row = new ResourceRow { Type = resource.TypeName, Id = resource.Id!, VersionId = version, LastUpdated = ticks, Json = json };
            db.Resources.Add(row);
            await db.SaveChangesAsync(cancellationToken);
        }
        else
        {
            await DeleteIndexAsync(row.Seq, cancellationToken);
            row.VersionId = version;
            row.LastUpdated = ticks;
            row.Deleted = false;
            row.Json = json;
        }
        var versionRow = new VersionRow
        {
            ResourceSeq = row.Seq, VersionId = version, Type = row.Type, Id = row.Id, LastUpdated = ticks, Method = method, Json = json,
        };
        db.Versions.Add(versionRow);
        if (resource is Bundle { Type: Bundle.BundleType.Document })
        {
            WrittenDocuments.Add(row.Id);
        }
        var identifiers = resource switch
        {
            Organization organization => organization.Identifier,
            Patient patient => patient.Identifier,
            _ => [],
        };
        WrittenTargets.AddRange(identifiers.Where(i => !string.IsNullOrEmpty(i.System) && !string.IsNullOrEmpty(i.Value))
            .Select(i => (row.Type, i.System!, i.Value!)));
        var index = IndexExtractor.Extract(resource, row.Seq);
        db.Tokens.AddRange(index.Tokens);
        var logical = LogicalReferences.Of(resource)
            .Select(l => new TokenIndexRow { ResourceSeq = row.Seq, ResourceType = row.Type, Param = LogicalReferences.Param(l.TargetType), System = l.System, Code = l.Value })
            .ToList();
        db.Tokens.AddRange(logical);
        db.Strings.AddRange(index.Strings);
        db.Dates.AddRange(index.Dates);
        db.References.AddRange(index.References);
        await db.SaveChangesAsync(cancellationToken);

        // Version and index rows are never changed once written; left tracked, every later SaveChanges of a large
        // transaction would scan them again (quadratic in the number of entries).
        db.Entry(versionRow).State = EntityState.Detached;
        foreach (var entity in index.Tokens.Cast<object>().Concat(logical).Concat(index.Strings).Concat(index.Dates).Concat(index.References))
        {
            db.Entry(entity).State = EntityState.Detached;
        }

        return StoredResource.From(row);
    }

    private async System.Threading.Tasks.Task DeleteIndexAsync(long seq, CancellationToken cancellationToken)
    {
        await db.Tokens.Where(t => t.ResourceSeq == seq).ExecuteDeleteAsync(cancellationToken);
        await db.Strings.Where(t => t.ResourceSeq == seq).ExecuteDeleteAsync(cancellationToken);
        await db.Dates.Where(t => t.ResourceSeq == seq).ExecuteDeleteAsync(cancellationToken);
        await db.References.Where(t => t.ResourceSeq == seq).ExecuteDeleteAsync(cancellationToken);
    }
}

namespace MedNetPortal.FhirBase.Storage;

/// <summary>One version of a resource as stored: its JSON already carries <c>meta.versionId</c> and <c>meta.lastUpdated</c>.</summary>
internal sealed record StoredResource(string Type, string Id, int VersionId, long LastUpdatedTicks, bool Deleted, string? Json)
{
    public DateTimeOffset LastUpdated => new(LastUpdatedTicks, TimeSpan.Zero);

    public string ETag => $"W/\"{VersionId}\"";

    public string VersionPath => $"{Type}/{Id}/_history/{VersionId}";

    public static StoredResource From(ResourceRow row) => new(row.Type, row.Id, row.VersionId, row.LastUpdated, row.Deleted, row.Json);

    public static StoredResource From(VersionRow row) => new(row.Type, row.Id, row.VersionId, row.LastUpdated, row.Deleted, row.Json);
}

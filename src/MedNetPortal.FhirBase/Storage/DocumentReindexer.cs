using Hl7.Fhir.Model;
using Microsoft.EntityFrameworkCore;

namespace MedNetPortal.FhirBase.Storage;

/// <summary>
/// At start-up, registers stored document Bundles that have no DocumentReference with their identifier yet
/// (<see cref="DocumentRegistrar"/>): documents stored before the base registered them, or whose registration failed.
/// </summary>
/// <remarks>
/// Picks document Bundles whose identifier no DocumentReference carries, in batches so a large base is not loaded at once.
/// A document that cannot be registered (no identifier, no Composition first) is looked at again on the next start; reading
/// it is cheap and changes nothing.
/// </remarks>
internal static class DocumentReindexer
{
    private const int BatchSize = 200;

    public static async Task<int> RegisterMissingAsync(FhirBaseDbContext db, DocumentRegistrar registrar, CancellationToken cancellationToken)
    {
        var documents = db.Tokens.Where(t => t.ResourceType == "Bundle" && t.Param == "type" && t.Code == "document").Select(t => t.ResourceSeq);
        var registered = db.Tokens.Where(t => t.ResourceType == "DocumentReference" && t.Param == "identifier");
        var unregistered = db.Tokens
            .Where(t => t.ResourceType == "Bundle" && t.Param == "identifier" && documents.Contains(t.ResourceSeq)
                        && !registered.Any(r => r.System == t.System && r.Code == t.Code))
            .Select(t => t.ResourceSeq);
        var written = 0;
        long after = 0;
        while (true)
        {
            var rows = await db.Resources
                .Where(r => r.Type == "Bundle" && !r.Deleted && r.Seq > after && unregistered.Contains(r.Seq))
                .OrderBy(r => r.Seq).Take(BatchSize).AsNoTracking().ToListAsync(cancellationToken);
            if (rows.Count == 0)
            {
                return written;
            }
            after = rows[^1].Seq;
            foreach (var row in rows)
            {
                if (Parse(row.Json) is { } bundle)
                {
                    written += await registrar.RegisterAsync(bundle, cancellationToken);
                    db.ChangeTracker.Clear();
                }
            }
        }
    }

    /// <summary>A row the current parser cannot read is left as it is: start-up must not fail on it.</summary>
    private static Bundle? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }
        try
        {
            return FhirJson.Parse(json) as Bundle;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }
}

using Hl7.Fhir.Model;
using MedNetPortal.FhirBase.Search;
using Microsoft.EntityFrameworkCore;

namespace MedNetPortal.FhirBase.Storage;

/// <summary>
/// Re-extracts the index rows of stored document Bundles that were written before the <c>sender</c> search parameter
/// existed, so a database from an older version finds its sent letters too. Index rows are only written when a resource
/// is written; without this, <c>Bundle?sender=</c> would silently miss every older document.
/// </summary>
/// <remarks>
/// Runs at start-up. A document Bundle is picked when it has no <c>sender</c> token row; documents without a section 920
/// Organization stay without one and are looked at again on the next start (reading and re-indexing them is cheap and
/// changes nothing). Works in batches so a large base is not loaded at once.
/// </remarks>
internal static class DocumentReindexer
{
    private const int BatchSize = 200;

    public static async Task<int> ReindexMissingSenderAsync(FhirBaseDbContext db, CancellationToken cancellationToken)
    {
        var documents = db.Tokens.Where(t => t.ResourceType == "Bundle" && t.Param == "type" && t.Code == "document").Select(t => t.ResourceSeq);
        var indexed = db.Tokens.Where(t => t.ResourceType == "Bundle" && t.Param == "sender").Select(t => t.ResourceSeq);
        var reindexed = 0;
        long after = 0;
        while (true)
        {
            var rows = await db.Resources
                .Where(r => r.Type == "Bundle" && !r.Deleted && r.Seq > after && documents.Contains(r.Seq) && !indexed.Contains(r.Seq))
                .OrderBy(r => r.Seq).Take(BatchSize).AsNoTracking().ToListAsync(cancellationToken);
            if (rows.Count == 0)
            {
                return reindexed;
            }
            after = rows[^1].Seq;
            foreach (var row in rows)
            {
                if (Parse(row.Json) is not { } bundle)
                {
                    continue;
                }
                var index = IndexExtractor.Extract(bundle, row.Seq);
                if (index.Tokens.All(t => t.Param != "sender"))
                {
                    continue;
                }
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                await db.Tokens.Where(t => t.ResourceSeq == row.Seq).ExecuteDeleteAsync(cancellationToken);
                await db.Strings.Where(t => t.ResourceSeq == row.Seq).ExecuteDeleteAsync(cancellationToken);
                await db.Dates.Where(t => t.ResourceSeq == row.Seq).ExecuteDeleteAsync(cancellationToken);
                await db.References.Where(t => t.ResourceSeq == row.Seq).ExecuteDeleteAsync(cancellationToken);
                db.Tokens.AddRange(index.Tokens);
                db.Strings.AddRange(index.Strings);
                db.Dates.AddRange(index.Dates);
                db.References.AddRange(index.References);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                db.ChangeTracker.Clear();
                reindexed++;
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

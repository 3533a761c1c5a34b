using System.Security.Cryptography;
using System.Text;
using MedNetPortal.Web.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace MedNetPortal.Web.Features.Audit;

/// <summary>The result of a chain check.</summary>
/// <param name="Intact">Every entry's hash matches its content and links to the one before it.</param>
/// <param name="EntriesChecked">Entries read before the check stopped (all of them when intact).</param>
/// <param name="FirstBrokenId">The first entry whose hash or link does not match, or null when intact.</param>
/// <param name="Problem">What is wrong with that entry (English, for operators), or null.</param>
public sealed record AuditChainReport(bool Intact, int EntriesChecked, long? FirstBrokenId, string? Problem);

/// <summary>Checks the audit trail's hash chain (the <c>audit-verify</c> command, the admin page).</summary>
public interface IAuditChainVerifier
{
    Task<AuditChainReport> VerifyAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Reads the trail in Id order, a page at a time, recomputing each hash and checking each link. The first remaining entry may
/// start the chain (empty PreviousHash) or continue from a purge: its PreviousHash must then be the anchor named by an
/// <see cref="AuditAction.AuditPurged"/> entry (which is itself hashed, so an anchor cannot be invented without the key).
/// Removing the newest entries cannot be seen from the chain alone; the copies forwarded to the central base are the check.
/// </summary>
internal sealed class AuditChainVerifier(IDbContextFactory<PortalDbContext> dbFactory, AuditKeys keys) : IAuditChainVerifier
{
    internal const int PageSize = 500;

    public async Task<AuditChainReport> VerifyAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var purgeDetails = await db.AuditEntries.AsNoTracking()
            .Where(e => e.Action == AuditAction.AuditPurged)
            .Select(e => e.Detail)
            .ToListAsync(cancellationToken);
        var anchors = purgeDetails.Select(AuditWriter.AnchorOf).OfType<string>().ToHashSet(StringComparer.Ordinal);

        var checkedCount = 0;
        long lastId = 0;
        string? previousHash = null;
        while (true)
        {
            var page = await db.AuditEntries.AsNoTracking()
                .Where(e => e.Id > lastId)
                .OrderBy(e => e.Id)
                .Take(PageSize)
                .ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                return new AuditChainReport(true, checkedCount, null, null);
            }

            foreach (var entry in page)
            {
                checkedCount++;
                if (!HashMatches(entry))
                {
                    return Broken(checkedCount, entry.Id, "the entry's content does not match its hash (edited after it was written)");
                }

                if (previousHash is null)
                {
                    if (entry.PreviousHash.Length != 0 && !anchors.Contains(entry.PreviousHash))
                    {
                        return Broken(checkedCount, entry.Id, "the first entry links to an entry that is missing and no purge accounts for it");
                    }
                }
                else if (!string.Equals(entry.PreviousHash, previousHash, StringComparison.Ordinal))
                {
                    return Broken(checkedCount, entry.Id, "the entry does not link to the one before it (an entry was removed or replaced)");
                }

                previousHash = entry.Hash;
                lastId = entry.Id;
            }

            db.ChangeTracker.Clear();
        }
    }

    private bool HashMatches(AuditEntry entry)
    {
        entry.RecordedAtUtc = DateTime.SpecifyKind(entry.RecordedAtUtc, DateTimeKind.Utc);
        var expected = Encoding.ASCII.GetBytes(AuditChain.ComputeHash(entry, keys.ChainKey));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(entry.Hash ?? string.Empty));
    }

    private static AuditChainReport Broken(int count, long id, string problem) => new(false, count, id, problem);
}

using MedNetPortal.Web.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace MedNetPortal.Web.Features.Facilities;

/// <summary>The portal's facility records, read for the facility directory.</summary>
public interface IFacilityRegistry
{
    /// <summary>
    /// For each of <paramref name="codes"/> (医療機関コード) that is registered: true when letters can go electronically
    /// (active and accepting), false when not. Unregistered codes are absent from the result. One query, whatever the count.
    /// </summary>
    Task<IReadOnlyDictionary<string, bool>> GetConnectionsAsync(IReadOnlyCollection<string> codes, CancellationToken cancellationToken);
}

/// <summary><see cref="IFacilityRegistry"/> over <see cref="PortalDbContext"/>.</summary>
internal sealed class FacilityRegistry(IDbContextFactory<PortalDbContext> dbFactory) : IFacilityRegistry
{
    public async Task<IReadOnlyDictionary<string, bool>> GetConnectionsAsync(IReadOnlyCollection<string> codes, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        ArgumentNullException.ThrowIfNull(codes);
        var distinct = codes.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 0)
        {
            return new Dictionary<string, bool>(StringComparer.Ordinal);
        }

        var rows = await db.Set<PortalFacility>().AsNoTracking()
            .Where(f => distinct.Contains(f.Code))
            .Select(f => new { f.Code, Connected = f.Active && f.AcceptsElectronicLetters })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return rows.ToDictionary(r => r.Code, r => r.Connected, StringComparer.Ordinal);
    }
}

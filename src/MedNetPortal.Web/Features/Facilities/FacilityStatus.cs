using System.Collections.Concurrent;
using MedNetPortal.Web.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace MedNetPortal.Web.Features.Facilities;

/// <summary>
/// Whether a facility is deactivated, for the checks that end its users' access: the signed-in user (every service), the
/// session cookie, live pages and sign-in. A facility not in the registry is not deactivated (only an administrator's
/// deactivation takes access away). Answers are kept <see cref="CacheFor"/> per instance; a change made on this instance is
/// seen at once (<see cref="Forget"/>), one made on another instance within that time.
/// </summary>
public sealed class FacilityStatus(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (bool Deactivated, DateTimeOffset CheckedAt)> cache = new(StringComparer.Ordinal);

    public async Task<bool> IsDeactivatedAsync(string? facilityCode, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(facilityCode))
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (cache.TryGetValue(facilityCode, out var known) && now - known.CheckedAt < CacheFor)
        {
            return known.Deactivated;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deactivated = await db.Facilities.AsNoTracking().AnyAsync(f => f.Code == facilityCode && !f.Active, cancellationToken).ConfigureAwait(false);
        cache[facilityCode] = (deactivated, now);
        return deactivated;
    }

    /// <summary>Called after a facility's activation changed on this instance.</summary>
    public void Forget(string facilityCode) => cache.TryRemove(facilityCode, out _);
}

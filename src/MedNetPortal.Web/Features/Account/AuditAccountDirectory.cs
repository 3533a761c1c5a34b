using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace MedNetPortal.Web.Features.Account;

/// <summary>The trail's view of an account, read from the account tables (one context per call).</summary>
internal sealed class AuditAccountDirectory(IDbContextFactory<PortalDbContext> dbFactory) : IAuditAccountDirectory
{
    public async Task<AuditAccount?> FindAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var account = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.DisplayName, u.FacilityCode })
            .FirstOrDefaultAsync(cancellationToken);
        var roles = await db.UserRoles.AsNoTracking().Where(r => r.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name)
            .ToListAsync(cancellationToken);
        var joined = string.Join(',', roles.Where(r => r is not null).Order(StringComparer.Ordinal));
        return account is null && roles.Count == 0 ? null : new AuditAccount(account?.DisplayName, account?.FacilityCode, joined);
    }
}

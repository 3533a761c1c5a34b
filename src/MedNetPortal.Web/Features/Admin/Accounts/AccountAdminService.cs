using MedNetPortal.Web.Features.Audit;
using System.Security.Cryptography;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Account.Passwords;
using MedNetPortal.Web.Features.Admin;
using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Features.Facilities;
using MedNetPortal.Web.Features.Letters.Compose;
using MedNetPortal.Web.Resources;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace MedNetPortal.Web.Features.Admin.Accounts;

/// <summary>
/// <see cref="IAccountAdminService"/> over ASP.NET Core Identity: this file reads (scope, search, one account) and holds the
/// rule of who may manage whom; AccountAdminService.Changes.cs writes (create, suspend, reactivate, resets).
/// </summary>
internal sealed partial class AccountAdminService(
    ICurrentUserAccessor currentUser,
    IServiceScopeFactory scopes,
    IDbContextFactory<PortalDbContext> contexts,
    IStringLocalizer<SharedResource> localizer,
    IAuditTrail audit,
    ILogger<AccountAdminService> logger) : IAccountAdminService
{
    public async Task<AdminResult<AdminScope>> GetScopeAsync(CancellationToken cancellationToken = default)
    {
        var actor = await AdminAsync(cancellationToken);
        if (actor is null)
        {
            return AdminResult<AdminScope>.Fail(AdminOutcome.Forbidden);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var system = actor.IsInRole(PortalRoles.SystemAdmin);
        var facilities = await db.Facilities.AsNoTracking()
            .Where(f => system ? f.Active : f.Code == actor.FacilityCode)
            .OrderBy(f => f.Code)
            .Select(f => new FacilityChoice(f.Code, f.Name))
            .ToListAsync(cancellationToken);
        if (!system && facilities.Count == 0 && actor.FacilityCode is not null)
        {
            facilities.Add(new FacilityChoice(actor.FacilityCode, actor.FacilityName ?? actor.FacilityCode));
        }

        return AdminResult<AdminScope>.Ok(new AdminScope(system, actor.FacilityCode, GrantableRoles(actor), facilities));
    }

    public async Task<AdminResult<AccountPage>> SearchAsync(AccountQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var actor = await AdminAsync(cancellationToken);
        if (actor is null)
        {
            return AdminResult<AccountPage>.Fail(AdminOutcome.Forbidden);
        }

        var pageSize = Math.Clamp(query.PageSize, 1, AccountQuery.MaxPageSize);
        var page = Math.Max(0, query.Page);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var users = db.Users.AsNoTracking();
        if (actor.IsInRole(PortalRoles.SystemAdmin))
        {
            if (!string.IsNullOrWhiteSpace(query.FacilityCode))
            {
                users = users.Where(u => u.FacilityCode == query.FacilityCode);
            }
        }
        else
        {
            // A FacilityAdmin's filter is their facility, whatever was asked.
            users = users.Where(u => u.FacilityCode == actor.FacilityCode);
        }

        var text = query.Text?.Trim();
        if (!string.IsNullOrEmpty(text))
        {
            var katakana = FacilityDirectory.ToKatakana(text);
            var upper = text.ToUpperInvariant();
            users = users.Where(u => u.DisplayName.Contains(text)
                || (u.DisplayNameKana != null && (u.DisplayNameKana.Contains(text) || u.DisplayNameKana.Contains(katakana)))
                || (u.NormalizedEmail != null && u.NormalizedEmail.Contains(upper)));
        }

        var total = await users.CountAsync(cancellationToken);
        var rows = await users
            .OrderBy(u => u.FacilityCode).ThenBy(u => u.DisplayNameKana).ThenBy(u => u.Email)
            .Skip(page * pageSize).Take(pageSize)
            .ToListAsync(cancellationToken);
        var roles = await RolesAsync(db, [.. rows.Select(r => r.Id)], cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var items = rows.Select(u => Summary(u, roles.GetValueOrDefault(u.Id), now)).ToList();
        return AdminResult<AccountPage>.Ok(new AccountPage(items, total, page, pageSize));
    }

    public async Task<AdminResult<AccountSummary>> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var actor = await AdminAsync(cancellationToken);
        if (actor is null)
        {
            return AdminResult<AccountSummary>.Fail(AdminOutcome.Forbidden);
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var (target, role, refusal) = await TargetAsync(users, actor, id);
        return target is null
            ? AdminResult<AccountSummary>.Fail(refusal)
            : AdminResult<AccountSummary>.Ok(Summary(target, role, DateTimeOffset.UtcNow));
    }


    /// <summary>The account if <paramref name="actor"/> may manage it; else the refusal.</summary>
    private static async Task<(PortalUser? User, string? Role, AdminOutcome Refusal)> TargetAsync(
        UserManager<PortalUser> users, CurrentUser actor, string id)
    {
        if (string.IsNullOrWhiteSpace(id) || !Guid.TryParse(id, out _))
        {
            return (null, null, AdminOutcome.NotFound);
        }

        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return (null, null, AdminOutcome.NotFound);
        }

        var role = (await users.GetRolesAsync(user)).OrderBy(Rank).FirstOrDefault();
        return CanManage(actor, user, role) ? (user, role, AdminOutcome.Succeeded) : (null, null, AdminOutcome.Forbidden);
    }

    /// <summary>The rule: <see cref="AdminPolicy"/>, and a facility administrator never manages a SystemAdmin.</summary>
    internal static bool CanManage(CurrentUser actor, PortalUser target, string? targetRole)
    {
        var policy = AdminPolicy.For(actor);
        return policy.IsSystem || (policy.Covers(target.FacilityCode) && target.FacilityCode is not null && targetRole != PortalRoles.SystemAdmin);
    }

    private static IReadOnlyList<string> GrantableRoles(CurrentUser actor) =>
        actor.IsInRole(PortalRoles.SystemAdmin)
            ? [PortalRoles.Clinician, PortalRoles.FacilityAdmin, PortalRoles.SystemAdmin]
            : [PortalRoles.Clinician, PortalRoles.FacilityAdmin];

    private async Task<CurrentUser?> AdminAsync(CancellationToken cancellationToken)
    {
        var user = await currentUser.GetAsync(cancellationToken);
        return AdminPolicy.For(user).IsAdmin ? user : null;
    }

    // A user has one portal role; should there be several, the strongest shows.
    private static int Rank(string role) => role switch
    {
        PortalRoles.SystemAdmin => 0,
        PortalRoles.FacilityAdmin => 1,
        _ => 2,
    };

    private static async Task<Dictionary<string, string>> RolesAsync(PortalDbContext db, List<string> userIds, CancellationToken cancellationToken)
    {
        var pairs = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where userIds.Contains(ur.UserId)
                           select new { ur.UserId, r.Name })
            .ToListAsync(cancellationToken);
        return pairs.Where(p => p.Name is not null)
            .GroupBy(p => p.UserId)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Name!).OrderBy(Rank).First(), StringComparer.Ordinal);
    }

    private static AccountSummary Summary(PortalUser u, string? role, DateTimeOffset now) => new(
        u.Id, u.DisplayName, u.DisplayNameKana, u.Email ?? string.Empty, u.FacilityCode, u.FacilityName, role, u.Profession,
        u.TwoFactorEnabled, u.IsSuspended, u.LockoutEnd is { } end && end > now, u.LastSignInAt);
}

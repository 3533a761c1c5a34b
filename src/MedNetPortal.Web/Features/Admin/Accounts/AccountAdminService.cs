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
/// Account administration. Every method checks the signed-in user (<see cref="ICurrentUserAccessor"/>) on the server: a
/// SystemAdmin manages every account; a FacilityAdmin only the accounts of their own facility, never a SystemAdmin, never
/// granting SystemAdmin nor moving an account elsewhere; anyone else nothing.
/// </summary>
public interface IAccountAdminService
{
    Task<AdminResult<AdminScope>> GetScopeAsync(CancellationToken cancellationToken = default);

    Task<AdminResult<AccountPage>> SearchAsync(AccountQuery query, CancellationToken cancellationToken = default);

    Task<AdminResult<AccountSummary>> GetAsync(string id, CancellationToken cancellationToken = default);

    Task<AdminResult<CreatedAccount>> CreateAsync(NewAccount account, CancellationToken cancellationToken = default);

    /// <summary>Blocks sign-in and changes the security stamp, so open sessions (cookies and circuits) end at their next check.</summary>
    Task<AdminResult<bool>> SuspendAsync(string id, CancellationToken cancellationToken = default);

    Task<AdminResult<bool>> ReactivateAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Sets <paramref name="newPassword"/>, or a generated one (returned, shown once) when empty; ends open sessions.</summary>
    Task<AdminResult<string?>> ResetPasswordAsync(string id, string? newPassword, CancellationToken cancellationToken = default);

    /// <summary>Turns two-factor off, replaces the authenticator key and deletes the recovery codes; the user enrols again.</summary>
    Task<AdminResult<bool>> ResetTwoFactorAsync(string id, CancellationToken cancellationToken = default);
}

internal sealed partial class AccountAdminService(
    ICurrentUserAccessor currentUser,
    IServiceScopeFactory scopes,
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

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
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
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
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

    public async Task<AdminResult<CreatedAccount>> CreateAsync(NewAccount account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var actor = await AdminAsync(cancellationToken);
        if (actor is null || !GrantableRoles(actor).Contains(account.Role, StringComparer.Ordinal))
        {
            return AdminResult<CreatedAccount>.Fail(AdminOutcome.Forbidden);
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();

        string? facilityCode = null;
        string? facilityName = null;
        if (account.Role != PortalRoles.SystemAdmin)
        {
            if (actor.IsInRole(PortalRoles.SystemAdmin))
            {
                var facility = string.IsNullOrWhiteSpace(account.FacilityCode)
                    ? null
                    : await db.Facilities.AsNoTracking().FirstOrDefaultAsync(f => f.Code == account.FacilityCode && f.Active, cancellationToken);
                if (facility is null)
                {
                    return AdminResult<CreatedAccount>.Fail(AdminOutcome.Invalid, localizer["Admin.Accounts.Error.Facility"]);
                }

                (facilityCode, facilityName) = (facility.Code, facility.Name);
            }
            else
            {
                if (!string.IsNullOrWhiteSpace(account.FacilityCode) && account.FacilityCode != actor.FacilityCode)
                {
                    return AdminResult<CreatedAccount>.Fail(AdminOutcome.Forbidden);
                }

                (facilityCode, facilityName) = (actor.FacilityCode, actor.FacilityName);
            }
        }

        var errors = new List<string>();
        var email = account.Email?.Trim() ?? string.Empty;
        var name = account.DisplayName?.Trim() ?? string.Empty;
        if (name.Length == 0)
        {
            errors.Add(localizer["Admin.Accounts.Error.NameRequired"]);
        }

        if (email.Length == 0 || !new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(email))
        {
            errors.Add(localizer["Admin.Accounts.Error.Email"]);
        }

        if (errors.Count > 0)
        {
            return AdminResult<CreatedAccount>.Fail(AdminOutcome.Invalid, [.. errors]);
        }

        var user = new PortalUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = name,
            DisplayNameKana = string.IsNullOrWhiteSpace(account.DisplayNameKana) ? null : account.DisplayNameKana.Trim(),
            FacilityCode = facilityCode,
            FacilityName = facilityName,
            Profession = account.Profession,
        };
        var generated = string.IsNullOrEmpty(account.Password) ? GeneratePassword(user) : null;
        var created = await users.CreateAsync(user, generated ?? account.Password!);
        if (!created.Succeeded)
        {
            return AdminResult<CreatedAccount>.Fail(AdminOutcome.Invalid, [.. Messages(created)]);
        }

        var roleAdded = await users.AddToRoleAsync(user, account.Role);
        if (!roleAdded.Succeeded)
        {
            await users.DeleteAsync(user);
            return AdminResult<CreatedAccount>.Fail(AdminOutcome.Invalid, [.. Messages(roleAdded)]);
        }

        Log.Created(logger, actor.UserId, user.Id, account.Role);
        await audit.RecordAsync(new AuditRecord(AuditAction.AdminChange) { Detail = $"account {user.Id}: created, role {account.Role}" }, CancellationToken.None);
        return AdminResult<CreatedAccount>.Ok(new CreatedAccount(user.Id, generated));
    }

    public Task<AdminResult<bool>> SuspendAsync(string id, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, "suspend", async (users, actor, user) =>
        {
            if (user.Id == actor.UserId)
            {
                return [localizer["Admin.Accounts.Error.Self"]];
            }

            user.IsSuspended = true;
            // UpdateSecurityStampAsync also saves the flag: one write, and every session's stamp is now stale.
            return Messages(await users.UpdateSecurityStampAsync(user));
        }, cancellationToken);

    public Task<AdminResult<bool>> ReactivateAsync(string id, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, "reactivate", async (users, _, user) =>
        {
            user.IsSuspended = false;
            user.LockoutEnd = null;
            user.AccessFailedCount = 0;
            return Messages(await users.UpdateAsync(user));
        }, cancellationToken);

    public async Task<AdminResult<string?>> ResetPasswordAsync(string id, string? newPassword, CancellationToken cancellationToken = default)
    {
        string? generated = null;
        var result = await ChangeAsync(id, "reset-password", async (users, _, user) =>
        {
            generated = string.IsNullOrEmpty(newPassword) ? GeneratePassword(user) : null;
            var token = await users.GeneratePasswordResetTokenAsync(user);
            // ResetPasswordAsync validates the password and changes the security stamp (open sessions end).
            return Messages(await users.ResetPasswordAsync(user, token, generated ?? newPassword!));
        }, cancellationToken);
        return result.Succeeded ? AdminResult<string?>.Ok(generated) : AdminResult<string?>.Fail(result.Outcome, [.. result.Errors]);
    }

    public Task<AdminResult<bool>> ResetTwoFactorAsync(string id, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, "reset-two-factor", async (users, _, user) =>
        {
            var steps = new[]
            {
                await users.SetTwoFactorEnabledAsync(user, false),
                await users.ResetAuthenticatorKeyAsync(user),
            };
            // Zero new codes replaces the old ones with none.
            await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
            return [.. steps.SelectMany(Messages)];
        }, cancellationToken);

    private async Task<AdminResult<bool>> ChangeAsync(
        string id,
        string action,
        Func<UserManager<PortalUser>, CurrentUser, PortalUser, Task<IReadOnlyList<string>>> change,
        CancellationToken cancellationToken)
    {
        var actor = await AdminAsync(cancellationToken);
        if (actor is null)
        {
            return AdminResult<bool>.Fail(AdminOutcome.Forbidden);
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var (target, _, refusal) = await TargetAsync(users, actor, id);
        if (target is null)
        {
            return AdminResult<bool>.Fail(refusal);
        }

        var errors = await change(users, actor, target);
        if (errors.Count > 0)
        {
            return AdminResult<bool>.Fail(AdminOutcome.Invalid, [.. errors]);
        }

        Log.Changed(logger, actor.UserId, action, target.Id);
        await audit.RecordAsync(new AuditRecord(AuditAction.AdminChange) { Detail = $"account {target.Id}: {action}" }, CancellationToken.None);
        return AdminResult<bool>.Ok(true);
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

    private List<string> Messages(IdentityResult result) =>
        [.. result.Errors.Select(e => e.Code switch
        {
            nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName) =>
                localizer["Admin.Accounts.Error.DuplicateEmail"].Value,
            nameof(IdentityErrorDescriber.InvalidEmail) or nameof(IdentityErrorDescriber.InvalidUserName) =>
                localizer["Admin.Accounts.Error.Email"].Value,
            _ => e.Description,
        }).Distinct()];

    /// <summary>
    /// 20 characters from an alphabet without look-alikes (no 0/O, 1/l/I), in groups of four for reading aloud; about 100
    /// bits. Regenerated in the (negligible) case the validator would refuse it.
    /// </summary>
    internal static string GeneratePassword(PortalUser user)
    {
        const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        while (true)
        {
            var chars = new char[24];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = i % 5 == 4 ? '-' : Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
            }

            var password = new string(chars, 0, 24).TrimEnd('-');
            if (PortalPasswordValidator.Check(user, password).Count == 0)
            {
                return password;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Account {TargetId} created by {ActorId} with role {Role}")]
        public static partial void Created(ILogger logger, string actorId, string targetId, string role);

        [LoggerMessage(Level = LogLevel.Information, Message = "Account {TargetId}: {Action} by {ActorId}")]
        public static partial void Changed(ILogger logger, string actorId, string action, string targetId);
    }
}

public static class AccountAdminExtensions
{
    public static IServiceCollection AddAccountAdministration(this IServiceCollection services)
    {
        services.AddScoped<IAccountAdminService, AccountAdminService>();
        return services;
    }
}

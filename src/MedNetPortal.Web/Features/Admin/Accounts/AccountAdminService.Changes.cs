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

/// <summary>Account changes: each checks the actor and the target, writes through Identity, logs and audits.</summary>
internal sealed partial class AccountAdminService
{
    public async Task<AdminResult<CreatedAccount>> CreateAsync(NewAccount account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var actor = await AdminAsync(cancellationToken);
        if (actor is null || !GrantableRoles(actor).Contains(account.Role, StringComparer.Ordinal))
        {
            return AdminResult<CreatedAccount>.Fail(AdminOutcome.Forbidden);
        }

        await using var scope = scopes.CreateAsyncScope();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
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

using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Resources;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace MedNetPortal.Web.Features.Account;

/// <summary>Helpers shared by the sign-in pages.</summary>
internal static class AccountPages
{
    public static async Task RecordSignInAsync(UserManager<PortalUser> users, PortalUser user, TimeProvider time)
    {
        user.LastSignInAt = time.GetUtcNow();
        await users.UpdateAsync(user);
    }

    /// <summary>Audits a completed sign-in or a refused attempt (once per form post). Throws when the trail cannot be written.</summary>
    public static Task AuditSignInAsync(IAuditTrail trail, string? userId, bool succeeded, string detail) =>
        trail.RecordAsync(
            new AuditRecord(succeeded ? AuditAction.SignIn : AuditAction.SignInFailed, succeeded ? AuditOutcome.Success : AuditOutcome.Failure)
            {
                ActorUserId = userId,
                Detail = detail,
            },
            CancellationToken.None);

    public static string WithReturnUrl(string path, string? returnUrl) =>
        AccountExtensions.IsLocalUrl(returnUrl) && returnUrl != "/" ? $"{path}?ReturnUrl={Uri.EscapeDataString(returnUrl!)}" : path;

    /// <summary>"Locked; try again in N minutes" (N rounded up, at least 1).</summary>
    public static async Task<string> LockedOutMessageAsync(
        UserManager<PortalUser> users, PortalUser? user, TimeProvider time, IStringLocalizer<SharedResource> localizer)
    {
        var end = user is null ? null : await users.GetLockoutEndDateAsync(user);
        var minutes = end is null ? users.Options.Lockout.DefaultLockoutTimeSpan.TotalMinutes : (end.Value - time.GetUtcNow()).TotalMinutes;
        return localizer["Account.Login.LockedOut", Math.Max(1, (int)Math.Ceiling(minutes))];
    }

    private static readonly PortalUser Nobody = new() { UserName = "nobody" };
    private static string? nobodysHash;

    /// <summary>
    /// One password-hash check with the accounts' own hasher that can never succeed: spent when no real check happens
    /// (unknown, locked or suspended account), so the time of the answer does not tell which accounts exist.
    /// </summary>
    public static void SpendOnePasswordCheck(IPasswordHasher<PortalUser> hasher, string password)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        var hash = nobodysHash ??= new PasswordHasher<PortalUser>().HashPassword(Nobody, Guid.NewGuid().ToString("N"));
        _ = hasher.VerifyHashedPassword(Nobody, hash, password);
    }

    /// <summary>An authenticator code as typed: spaces and hyphens removed.</summary>
    public static string CleanCode(string? code) =>
        (code ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal).Trim();
}

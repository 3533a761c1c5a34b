using MedNetPortal.Web.Features.Account;

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

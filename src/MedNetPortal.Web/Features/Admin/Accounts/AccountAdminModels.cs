using MedNetPortal.Web.Features.Account;

namespace MedNetPortal.Web.Features.Admin.Accounts;

/// <summary>How an administration request ended.</summary>
public enum AdminOutcome
{
    Succeeded,

    /// <summary>The signed-in user may not do this (not an administrator, or another facility's account, or a role they cannot grant).</summary>
    Forbidden,

    NotFound,

    /// <summary>The input was refused; <see cref="AdminResult{T}.Errors"/> says why (localised).</summary>
    Invalid,
}

/// <summary>The outcome of an administration request, with its value when it succeeded.</summary>
public sealed record AdminResult<T>(AdminOutcome Outcome, T? Value, IReadOnlyList<string> Errors)
{
    public bool Succeeded => Outcome == AdminOutcome.Succeeded;

    public static AdminResult<T> Ok(T value) => new(AdminOutcome.Succeeded, value, []);

    public static AdminResult<T> Fail(AdminOutcome outcome, params string[] errors) => new(outcome, default, errors);
}

/// <summary>Search and page over accounts. <see cref="FacilityCode"/> filters (a FacilityAdmin always sees only their own).</summary>
public sealed record AccountQuery(string? Text = null, string? FacilityCode = null, int Page = 0, int PageSize = AccountQuery.DefaultPageSize)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
}

/// <summary>One account as an administrator sees it (no password material).</summary>
public sealed record AccountSummary(
    string Id,
    string DisplayName,
    string? DisplayNameKana,
    string Email,
    string? FacilityCode,
    string? FacilityName,
    string? Role,
    Profession Profession,
    bool TwoFactorEnabled,
    bool IsSuspended,
    bool IsLockedOut,
    DateTimeOffset? LastSignInAt);

/// <summary>A page of accounts: <see cref="Total"/> matches in all, <see cref="Items"/> from <see cref="Page"/> × <see cref="PageSize"/>.</summary>
public sealed record AccountPage(IReadOnlyList<AccountSummary> Items, int Total, int Page, int PageSize);

/// <summary>
/// A new account. <see cref="Password"/> empty: the portal generates one, shown once to the administrator, who passes it on
/// (there is no email). <see cref="FacilityCode"/> is ignored for a FacilityAdmin (always their own) and for a SystemAdmin account.
/// </summary>
public sealed record NewAccount(
    string DisplayName,
    string? DisplayNameKana,
    string Email,
    Profession Profession,
    string Role,
    string? FacilityCode,
    string? Password);

/// <summary>The created account's id, and the generated password when the administrator did not set one (shown once).</summary>
public sealed record CreatedAccount(string Id, string? GeneratedPassword);

/// <summary>A facility an administrator may put accounts in.</summary>
public sealed record FacilityChoice(string Code, string Name);

/// <summary>What the signed-in administrator may do: which roles they grant and in which facilities.</summary>
public sealed record AdminScope(bool IsSystemAdmin, string? OwnFacilityCode, IReadOnlyList<string> GrantableRoles, IReadOnlyList<FacilityChoice> Facilities);

namespace MedNetPortal.Web.Features.Audit;

/// <summary>
/// Who an account is, for an entry about an account that is not the signed-in user (a failed sign-in, an Entra ID sign-in
/// before its cookie exists). The accounts feature answers it, so the trail depends on no feature.
/// </summary>
public interface IAuditAccountDirectory
{
    /// <summary>The account's display name, facility and roles (comma-separated, ordinal order), or null when there is none.</summary>
    Task<AuditAccount?> FindAsync(string userId, CancellationToken cancellationToken);
}

/// <summary>An account as the trail names it.</summary>
public sealed record AuditAccount(string? DisplayName, string? FacilityCode, string Roles);

using System.Security.Claims;

namespace MedNetPortal.Web.Host.Identity;

/// <summary>The signed-in user as other features see it: who, and which facility they act for.</summary>
public sealed record CurrentUser(string UserId, string DisplayName, string? FacilityCode, string? FacilityName, IReadOnlyList<string> Roles)
{
    public bool IsInRole(string role) => Roles.Contains(role, StringComparer.Ordinal);

    /// <summary>
    /// The facility whose clinical data the user may work with: their facility when they are a clinician, otherwise null.
    /// Clinical services (record, letters, mailbox, drafts, sending) ask this, never the facility alone.
    /// </summary>
    public string? ClinicalFacility => IsInRole(PortalRoles.Clinician) ? FacilityCode : null;

    /// <summary>The server-side sign-in session (claim <see cref="PortalClaimTypes.SessionId"/>), or null when it has none.</summary>
    public string? SessionId { get; init; }

    /// <summary>The user of a principal, or null when it is not signed in.</summary>
    public static CurrentUser? From(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        return new CurrentUser(
            id,
            principal.FindFirstValue(PortalClaimTypes.DisplayName) ?? principal.Identity.Name ?? string.Empty,
            NullIfEmpty(principal.FindFirstValue(PortalClaimTypes.FacilityCode)),
            NullIfEmpty(principal.FindFirstValue(PortalClaimTypes.FacilityName)),
            [.. principal.FindAll(ClaimTypes.Role).Select(c => c.Value)])
        {
            SessionId = NullIfEmpty(principal.FindFirstValue(PortalClaimTypes.SessionId)),
        };
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>Reads the <see cref="CurrentUser"/> in components and services (static rendering and circuits alike).</summary>
public interface ICurrentUserAccessor
{
    /// <summary>The signed-in user, or null.</summary>
    Task<CurrentUser?> GetAsync(CancellationToken cancellationToken = default);
}

using System.ComponentModel.DataAnnotations;

namespace MedNetPortal.Web.Features.Account.EntraId;

/// <summary>How users sign in to the portal.</summary>
public enum PortalAuthenticationMode
{
    /// <summary>Local accounts (ASP.NET Core Identity in the portal database), the embedded default.</summary>
    Local,

    /// <summary>Microsoft Entra ID (OpenID Connect through Microsoft.Identity.Web, settings in section <c>AzureAd</c>).</summary>
    EntraId,
}

/// <summary>
/// Section <c>Authentication</c>: the sign-in mode and, for Entra ID, how a signed-in Entra user becomes a portal user
/// (app role values → portal roles, and the claim carrying the user's 医療機関コード).
/// </summary>
public sealed class PortalAuthenticationOptions
{
    public const string SectionName = "Authentication";

    public PortalAuthenticationMode Mode { get; set; } = PortalAuthenticationMode.Local;

    /// <summary>
    /// Entra ID: the token claim holding the user's 医療機関コード (e.g. a directory extension, <c>extension_facilityCode</c>).
    /// Empty: the facility comes only from the portal's account table (matched by object id, then email).
    /// </summary>
    [MaxLength(200)]
    public string FacilityClaim { get; set; } = string.Empty;

    /// <summary>Entra ID: the app role value (in the token's <c>roles</c> claim) that makes a user a Clinician.</summary>
    [Required]
    [MaxLength(120)]
    public string ClinicianRole { get; set; } = "MedNet.Clinician";

    /// <summary>Entra ID: the app role value that makes a user a FacilityAdmin.</summary>
    [Required]
    [MaxLength(120)]
    public string FacilityAdminRole { get; set; } = "MedNet.FacilityAdmin";

    /// <summary>Entra ID: the app role value that makes a user a SystemAdmin.</summary>
    [Required]
    [MaxLength(120)]
    public string SystemAdminRole { get; set; } = "MedNet.SystemAdmin";

    /// <summary>The portal role for an Entra app role value, or null when the value means nothing to the portal.</summary>
    public string? PortalRoleFor(string appRole) =>
        string.Equals(appRole, SystemAdminRole, StringComparison.Ordinal) ? PortalRoles.SystemAdmin
        : string.Equals(appRole, FacilityAdminRole, StringComparison.Ordinal) ? PortalRoles.FacilityAdmin
        : string.Equals(appRole, ClinicianRole, StringComparison.Ordinal) ? PortalRoles.Clinician
        : null;
}

namespace MedNetPortal.Web.Host.Identity;

/// <summary>The portal's roles, in one place.</summary>
public static class PortalRoles
{
    public const string Clinician = "Clinician";
    public const string FacilityAdmin = "FacilityAdmin";
    public const string SystemAdmin = "SystemAdmin";

    public static IReadOnlyList<string> All { get; } = [Clinician, FacilityAdmin, SystemAdmin];
}

/// <summary>Claim types the portal adds to a signed-in user's principal (roles use <see cref="System.Security.Claims.ClaimTypes.Role"/>).</summary>
public static class PortalClaimTypes
{
    public const string DisplayName = "mednet:display_name";
    public const string FacilityCode = "mednet:facility_code";
    public const string FacilityName = "mednet:facility_name";
    public const string Profession = "mednet:profession";

    /// <summary>The server-side session this cookie belongs to (server-side session (Features/Account/Sessions)).</summary>
    public const string SessionId = "mednet:sid";

    /// <summary>"true" when the account has an authenticator enrolled.</summary>
    public const string TwoFactorEnabled = "mednet:2fa";
}

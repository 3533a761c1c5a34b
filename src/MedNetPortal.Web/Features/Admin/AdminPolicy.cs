using MedNetPortal.Web.Features.Account;

namespace MedNetPortal.Web.Features.Admin;

/// <summary>How far an administrator's hand reaches: nowhere, their own facility, or every facility.</summary>
public enum AdminReach
{
    None,
    OwnFacility,
    All,
}

/// <summary>
/// The one administration rule, used by the account, facility and audit services: a SystemAdmin reaches every facility; a
/// FacilityAdmin with a facility reaches only that facility; anyone else (a clinician, nobody signed in, a FacilityAdmin
/// without a facility, a user of a deactivated facility, whom <see cref="ICurrentUserAccessor"/> already reports as nobody)
/// reaches nothing.
/// </summary>
public sealed record AdminPolicy(AdminReach Reach, string? FacilityCode)
{
    public static readonly AdminPolicy Nobody = new(AdminReach.None, null);

    public static AdminPolicy For(CurrentUser? user)
    {
        if (user is null)
        {
            return Nobody;
        }

        if (user.IsInRole(PortalRoles.SystemAdmin))
        {
            return new AdminPolicy(AdminReach.All, null);
        }

        return user.IsInRole(PortalRoles.FacilityAdmin) && !string.IsNullOrEmpty(user.FacilityCode)
            ? new AdminPolicy(AdminReach.OwnFacility, user.FacilityCode)
            : Nobody;
    }

    public bool IsAdmin => Reach != AdminReach.None;

    public bool IsSystem => Reach == AdminReach.All;

    /// <summary>Whether a record of the facility <paramref name="facilityCode"/> (null: of no facility) is within reach.</summary>
    public bool Covers(string? facilityCode) =>
        Reach == AdminReach.All || (Reach == AdminReach.OwnFacility && string.Equals(facilityCode, FacilityCode, StringComparison.Ordinal));
}

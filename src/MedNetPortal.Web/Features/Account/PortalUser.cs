using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;

namespace MedNetPortal.Web.Features.Account;

/// <summary>A portal account. Every account but a SystemAdmin belongs to one facility (<see cref="FacilityCode"/>, 医療機関コード).</summary>
public class PortalUser : IdentityUser
{
    [MaxLength(100)]
    public string DisplayName { get; set; } = string.Empty;

    [MaxLength(100)]
    public string? DisplayNameKana { get; set; }

    /// <summary>医療機関コード (10 digits); null only for a SystemAdmin.</summary>
    [MaxLength(10)]
    public string? FacilityCode { get; set; }

    /// <summary>The facility's name as shown in the app bar (kept with the account: the portal database has no facility table yet).</summary>
    [MaxLength(200)]
    public string? FacilityName { get; set; }

    public Profession Profession { get; set; }

    /// <summary>A suspended account cannot sign in, and its open sessions end at the next security-stamp check (within a minute).</summary>
    public bool IsSuspended { get; set; }

    public DateTimeOffset? LastSignInAt { get; set; }

    /// <summary>Microsoft Entra ID object id (<c>oid</c>) of the account's holder; set at their first Entra ID sign-in.</summary>
    [MaxLength(64)]
    public string? EntraObjectId { get; set; }
}

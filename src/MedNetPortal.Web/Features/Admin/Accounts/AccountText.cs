using System.Globalization;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Resources;
using Microsoft.Extensions.Localization;

namespace MedNetPortal.Web.Features.Admin.Accounts;

/// <summary>Display texts shared by the account pages.</summary>
internal static class AccountText
{
    public const string AdminRoles = PortalRoles.SystemAdmin + "," + PortalRoles.FacilityAdmin;

    public static string Role(IStringLocalizer<SharedResource> l, string? role) =>
        role is null ? "—" : l["Admin.Accounts.Role." + role];

    public static string Profession(IStringLocalizer<SharedResource> l, Profession profession) =>
        l["Admin.Accounts.Profession." + profession];

    /// <summary>Japan time, the portal's clock for people.</summary>
    public static string When(IStringLocalizer<SharedResource> l, DateTimeOffset? at) =>
        at is { } value
            ? value.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy/MM/dd HH:mm", CultureInfo.InvariantCulture)
            : l["Admin.Accounts.Never"];
}

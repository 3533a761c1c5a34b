using System.Globalization;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Resources;
using Microsoft.Extensions.Localization;

namespace MedNetPortal.Web.Features.Audit.Views;

/// <summary>Display texts shared by the audit views and the CSV.</summary>
internal static class AuditViewText
{
    public const string AdminRoles = PortalRoles.SystemAdmin + "," + PortalRoles.FacilityAdmin;

    private static readonly TimeSpan Japan = TimeSpan.FromHours(9);

    /// <summary>Japan time to the second, the portal's clock for people (2026/04/01 14:05:09).</summary>
    public static string JapanTime(DateTimeOffset at) =>
        at.ToOffset(Japan).ToString("yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Action(IStringLocalizer<SharedResource> l, AuditAction action) => l["Audit.Action." + action];

    public static string Outcome(IStringLocalizer<SharedResource> l, AuditOutcome outcome) => l["Audit.Outcome." + outcome];

    /// <summary>The stored comma-separated roles, each in the UI language.</summary>
    public static string Roles(IStringLocalizer<SharedResource> l, string? roles) =>
        string.IsNullOrWhiteSpace(roles)
            ? string.Empty
            : List(l, roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(r => Role(l, r)));

    /// <summary>Items joined as running text in the UI language (「、」 in Japanese, ", " in English).</summary>
    public static string List(IStringLocalizer<SharedResource> l, IEnumerable<string> items) =>
        string.Join(l["Audit.ListSeparator"].Value, items);

    public static string Role(IStringLocalizer<SharedResource> l, string role)
    {
        var text = l["Admin.Accounts.Role." + role];
        return text.ResourceNotFound ? role : text.Value;
    }

    public static string Profession(IStringLocalizer<SharedResource> l, Profession profession) => l["Admin.Accounts.Profession." + profession];

    /// <summary>A viewed item (a record section key or a document) in the UI language; unknown keys as stored.</summary>
    public static string Item(IStringLocalizer<SharedResource> l, string item)
    {
        var text = l["Audit.Item." + item];
        return text.ResourceNotFound ? item : text.Value;
    }
}

using MedNetPortal.Web.Components.Layout;
using MedNetPortal.Web.Features.Account;

namespace MedNetPortal.ComponentTests.Admin;

public sealed class AdminNavTests : PortalTestContext
{
    [Theory]
    [InlineData(PortalRoles.FacilityAdmin, true)]
    [InlineData(PortalRoles.SystemAdmin, true)]
    [InlineData(PortalRoles.Clinician, false)]
    public void The_admin_group_with_accounts_shows_to_administrators_only(string role, bool shown)
    {
        var authorization = AddAuthorization();
        authorization.SetAuthorized("someone");
        authorization.SetRoles(role);

        var menu = Render<NavMenu>();

        var links = menu.FindAll(".mud-navmenu a").Select(a => (Text: a.TextContent.Trim(), Href: a.GetAttribute("href"))).ToList();
        Assert.Equal(shown, links.Contains(("アカウント", "admin/accounts")));
        Assert.Equal(shown, menu.Markup.Contains("管理", StringComparison.Ordinal));
    }
}

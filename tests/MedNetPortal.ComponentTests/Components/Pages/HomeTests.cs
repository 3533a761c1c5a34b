using MedNetPortal.Web.Components.Pages;
using MedNetPortal.Web.Features.Account;

namespace MedNetPortal.ComponentTests.Components.Pages;

public sealed class HomeTests : PortalTestContext
{
    // Signed out unless a test signs in (the home page is public; its letter links are for clinicians).
    private readonly Bunit.TestDoubles.BunitAuthorizationContext authorization;

    public HomeTests() => authorization = AddAuthorization();

    [Fact]
    public void Describes_the_portal_in_Japanese()
    {
        var home = Render<Home>();

        Assert.Equal("医療機関をつなぐ診療情報共有ポータル", home.Find("h1").TextContent);
        var areas = home.FindAll("h2").Select(h => h.TextContent).ToList();
        Assert.Equal(["保険証の情報で患者を探す", "共有された診療情報を読む", "紹介状（診療情報提供書）"], areas);
        Assert.Contains("保険者番号・記号・番号・枝番", home.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Describes_the_portal_in_English_when_the_culture_is_English()
    {
        UseCulture("en");

        var home = Render<Home>();

        Assert.Equal("The shared-record portal for clinicians", home.Find("h1").TextContent);
        Assert.DoesNotContain("医療", home.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Leads_to_the_patient_lookup_and_says_truly_that_letters_are_written_sent_and_received_here()
    {
        var home = Render<Home>();

        Assert.Equal("patients", home.Find("[data-testid=home-lookup]").GetAttribute("href"));
        var status = home.Find("[data-testid=home-status]").TextContent;
        Assert.Contains("ブラウザで作成して送信できます", status, StringComparison.Ordinal);
        Assert.DoesNotContain("順次", status, StringComparison.Ordinal);
    }

    [Fact]
    public void A_clinician_gets_the_inbox_sent_and_new_letter_links_and_an_administrator_none()
    {
        authorization.SetAuthorized("doctor").SetRoles(PortalRoles.Clinician);
        var clinician = Render<Home>();
        Assert.Equal(
            ["referrals/inbox", "referrals/outbox", "referrals/new"],
            clinician.FindAll("[data-testid=home-status] a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public void An_administrator_gets_no_letter_links()
    {
        authorization.SetAuthorized("admin").SetRoles(PortalRoles.SystemAdmin);
        var admin = Render<Home>();
        Assert.Empty(admin.FindAll("a[href^='referrals']"));
    }
}

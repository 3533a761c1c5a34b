using MedNetPortal.Web.Components.Pages;

namespace MedNetPortal.ComponentTests.Components.Pages;

public sealed class HomeTests : PortalTestContext
{
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
    public void Leads_to_the_patient_lookup_and_says_honestly_that_writing_letters_is_still_to_come()
    {
        var home = Render<Home>();

        Assert.Equal("patients", home.Find("[data-testid=home-lookup]").GetAttribute("href"));
        Assert.Contains("順次追加されます", home.Find("[data-testid=home-status]").TextContent, StringComparison.Ordinal);
        Assert.Empty(home.FindAll("a[href^='referrals'], a[href^='/referrals']"));
    }
}

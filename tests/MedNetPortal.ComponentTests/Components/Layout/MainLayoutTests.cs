using Bunit.TestDoubles;
using MedNetPortal.Web.Components.Layout;
using MedNetPortal.Web.Features.Account;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MedNetPortal.ComponentTests.Components.Layout;

public sealed class MainLayoutTests : PortalTestContext
{
    private readonly BunitAuthorizationContext authorization;

    public MainLayoutTests()
    {
        authorization = AddAuthorization();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Theory]
    [InlineData(true, "true")]
    [InlineData(false, "false")]
    public void Main_says_whether_the_circuit_is_live(bool interactive, string expected)
    {
        // Browser tests wait for data-interactive=true before clicking: a click on prerendered HTML is lost.
        SetRendererInfo(new RendererInfo(interactive ? "Server" : "Static", interactive));

        var layout = RenderLayout(openDrawer: false);

        Assert.Equal(expected, layout.Find("main#main").GetAttribute("data-interactive"));
    }

    // The drawer's initial state follows the screen width, which bUnit does not have; open it when a test needs the menu.
    private IRenderedComponent<MainLayout> RenderLayout(bool openDrawer = true)
    {
        var layout = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<p id=\"body\">本文</p>"))));
        if (openDrawer && layout.Find("[data-testid=drawer-toggle]").GetAttribute("aria-expanded") != "true")
        {
            layout.Find("[data-testid=drawer-toggle]").Click();
        }

        return layout;
    }

    [Fact]
    public void Renders_the_app_bar_navigation_and_the_page_body()
    {
        authorization.SetAuthorized("doctor@test.example");
        authorization.SetRoles(PortalRoles.Clinician);
        var layout = RenderLayout();

        Assert.Contains("MedNetPortal", layout.Find(".portal-brand").TextContent, StringComparison.Ordinal);
        Assert.Equal("本文", layout.Find("main #body").TextContent);
        var links = layout.FindAll(".mud-navmenu a").Select(a => (Text: a.TextContent.Trim(), Href: a.GetAttribute("href"))).ToList();
        Assert.Equal([("ホーム", string.Empty), ("患者検索", "patients"), ("受信箱", "referrals/inbox"), ("送信済み", "referrals/outbox"), ("新規作成", "referrals/new"), ("下書き", "referrals/drafts")], links);
    }

    [Theory]
    [InlineData(PortalRoles.SystemAdmin)]
    [InlineData(PortalRoles.FacilityAdmin)]
    public void Administrators_also_get_the_admin_group_with_facilities(string role)
    {
        authorization.SetAuthorized("admin@test.example");
        authorization.SetRoles(role);

        var layout = RenderLayout();

        Assert.Contains("管理", layout.FindAll(".mud-navmenu .mud-nav-group button, .mud-navmenu .mud-nav-group .mud-nav-link-text").Select(e => e.TextContent.Trim()));
        Assert.Contains(("施設", "admin/facilities"), layout.FindAll(".mud-navmenu a").Select(a => (a.TextContent.Trim(), a.GetAttribute("href"))));
        // Clinical data is a clinician's: an administrator gets no link to it (the pages and services refuse them anyway).
        Assert.DoesNotContain(layout.FindAll(".mud-navmenu a"), a => a.GetAttribute("href") is "patients" or "referrals/inbox" or "referrals/drafts");
    }

    [Fact]
    public void A_clinician_gets_no_admin_links()
    {
        authorization.SetAuthorized("doctor@test.example");
        authorization.SetRoles(PortalRoles.Clinician);

        var layout = RenderLayout();

        Assert.DoesNotContain(layout.FindAll(".mud-navmenu a"), a => a.GetAttribute("href")?.StartsWith("admin", StringComparison.Ordinal) == true);
        Assert.DoesNotContain("管理", layout.Find(".mud-navmenu").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_are_English_when_the_culture_is_English()
    {
        UseCulture("en");

        var layout = RenderLayout();

        Assert.Equal("Home", layout.Find(".mud-navmenu a").TextContent.Trim());
        Assert.Equal("Show or hide the menu", layout.Find("[data-testid=drawer-toggle]").GetAttribute("aria-label"));
        Assert.Contains("Confidential", layout.Find(".print-notice").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Menu_button_opens_and_closes_the_drawer()
    {
        var layout = RenderLayout();
        var toggle = () => layout.Find("[data-testid=drawer-toggle]");

        Assert.Equal("true", toggle().GetAttribute("aria-expanded"));
        Assert.NotEmpty(layout.FindAll(".mud-navmenu a"));
        toggle().Click();
        Assert.Equal("false", toggle().GetAttribute("aria-expanded"));
        toggle().Click();
        Assert.Equal("true", toggle().GetAttribute("aria-expanded"));
    }

    [Fact]
    public void Language_menu_offers_each_language_in_itself_returning_to_the_current_page()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/some/page");
        var layout = RenderLayout();

        layout.Find("[data-testid=language-menu] button").Click();

        var japanese = layout.WaitForElement("[data-testid=language-ja]");
        var english = layout.Find("[data-testid=language-en]");
        Assert.Contains("日本語", japanese.TextContent, StringComparison.Ordinal);
        Assert.Contains("English", english.TextContent, StringComparison.Ordinal);
        Assert.Equal("culture/set?culture=en&redirectUri=%2Fsome%2Fpage", english.GetAttribute("href"));
    }

    [Fact]
    public void Print_button_loads_the_print_module_and_prints()
    {
        // The browser only accepts a relative URL ("./…") as a dynamic import; a bare "assets/…" is an unresolvable specifier.
        var module = JSInterop.SetupModule("./assets/js/print.js");
        module.SetupVoid("printPage").SetVoidResult();
        var layout = RenderLayout();

        layout.Find("[data-testid=print-button]").Click();

        module.VerifyInvoke("printPage");
    }

    [Fact]
    public void A_followed_menu_link_closes_an_overlaying_drawer_and_marks_its_page()
    {
        // The menu's links are NavLinks with MudNavLink's markup (a MudNavLink costs every circuit two more components);
        // what MudNavLink did must still happen: a drawer that overlays the page (narrow screens) closes when a link is followed.
        authorization.SetAuthorized("doctor@test.example");
        authorization.SetRoles(PortalRoles.Clinician);
        var open = true;
        var cut = Render(b =>
        {
            b.OpenComponent<MudLayout>(0);
            b.AddAttribute(1, nameof(MudLayout.ChildContent), (RenderFragment)(layout =>
            {
                layout.OpenComponent<MudDrawer>(0);
                layout.AddAttribute(1, nameof(MudDrawer.Open), true);
                layout.AddAttribute(2, nameof(MudDrawer.Variant), DrawerVariant.Temporary);
                layout.AddAttribute(3, nameof(MudDrawer.OpenChanged), EventCallback.Factory.Create<bool>(this, value => open = value));
                layout.AddAttribute(4, nameof(MudDrawer.ChildContent), (RenderFragment)(drawer =>
                {
                    drawer.OpenComponent<NavMenu>(0);
                    drawer.CloseComponent();
                }));
                layout.CloseComponent();
            }));
            b.CloseComponent();
        });

        var patients = cut.Find(".mud-navmenu .mud-nav-item a.mud-nav-link[href=patients]");
        Assert.NotNull(patients.QuerySelector("svg.mud-nav-link-icon"));
        patients.Click();
        Services.GetRequiredService<NavigationManager>().NavigateTo("patients");

        Assert.False(open);
        var active = cut.Find(".mud-navmenu a.active");
        Assert.Equal("patients", active.GetAttribute("href"));
        Assert.Equal("page", active.GetAttribute("aria-current"));
    }
}

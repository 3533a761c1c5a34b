using System.Net;
using System.Text.RegularExpressions;
using MedNetPortal.IntegrationTests.Account;

namespace MedNetPortal.IntegrationTests.Web;

public sealed partial class HomePageTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    // Every page but sign-in needs a signed-in user: these tests sign in as a test account first.
    private async Task<PortalBrowser> SignedInAsync()
    {
        var email = $"home-{Guid.NewGuid():N}@test.example";
        await TestAccounts.CreateAsync(factory.Services, email);
        return await PortalBrowser.SignedInAsync(factory, email);
    }

    [Fact]
    public async Task Home_page_is_Japanese_by_default_inside_the_layout()
    {
        using var browser = await SignedInAsync();
        var client = browser.Client;

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html lang=\"ja\"", html, StringComparison.Ordinal);
        Assert.Matches("data-testid=\"home-heading\"[^>]*>ホーム</h1>", html);
        // A clinician's tiles, each loading in the prerender (they load once the page is interactive).
        Assert.Contains("未読の紹介状", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"home-letters-loading\"", html, StringComparison.Ordinal);
        Assert.Contains("自分の下書き", html, StringComparison.Ordinal);
        Assert.Contains("このサインインで開いた患者", html, StringComparison.Ordinal);
        Assert.Contains("mud-appbar", html, StringComparison.Ordinal);
        Assert.Equal("ホーム - MedNetPortal", TitleRegex().Match(html).Groups[1].Value);
    }

    [Fact]
    public async Task The_theme_is_in_the_static_head_not_in_the_interactive_components()
    {
        // Inside the interactive layout every circuit kept two copies of the theme's ~24 KB style text in its render trees
        // (docs/performance.md): the theme is rendered once into the page's static head instead, and still applies.
        using var browser = await SignedInAsync();

        var html = await browser.Client.GetStringAsync(new Uri("/patients", UriKind.Relative));

        var head = html[..html.IndexOf("</head>", StringComparison.Ordinal)];
        Assert.Contains("--mud-palette-primary: rgba(11,110,117,1);", head, StringComparison.Ordinal);
        Assert.Contains("--mud-palette-appbar-background: rgba(11,110,117,1);", head, StringComparison.Ordinal);
        var body = html[html.IndexOf("<body>", StringComparison.Ordinal)..];
        Assert.Contains("<!--Blazor:", body, StringComparison.Ordinal);
        Assert.DoesNotContain("--mud-palette-primary", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accept_Language_English_gives_the_English_page()
    {
        using var browser = await SignedInAsync();
        var client = browser.Client;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.AcceptLanguage.ParseAdd("en-GB,en;q=0.8");

        using var response = await client.SendAsync(request);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Contains("<html lang=\"en\"", html, StringComparison.Ordinal);
        Assert.Matches("data-testid=\"home-heading\"[^>]*>Home</h1>", html);
        Assert.Contains("Unread letters", html, StringComparison.Ordinal);
        Assert.DoesNotContain("未読の紹介状", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Culture_cookie_set_by_the_endpoint_wins_over_Accept_Language()
    {
        using var browser = await SignedInAsync();
        using var client = factory.CreatePortalClient();

        using var set = await client.GetAsync(new Uri("/culture/set?culture=en&redirectUri=%2F%3Fx%3D1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.Equal("/?x=1", set.Headers.Location?.OriginalString);
        var cookie = Assert.Single(set.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal));

        var (name, value) = (cookie.Split(';')[0].Split('=', 2)[0], cookie.Split(';')[0].Split('=', 2)[1]);
        browser.Cookies.Add(browser.Root, new System.Net.Cookie(name, value));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.AcceptLanguage.ParseAdd("ja-JP");
        using var response = await browser.Client.SendAsync(request);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Contains("<html lang=\"en\"", html, StringComparison.Ordinal);
        Assert.Contains("Home - MedNetPortal", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData("")]
    public async Task Culture_endpoint_only_redirects_to_local_pages(string redirectUri)
    {
        using var client = factory.CreatePortalClient();

        using var response = await client.GetAsync(new Uri($"/culture/set?culture=ja&redirectUri={Uri.EscapeDataString(redirectUri)}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Culture_endpoint_rejects_an_unsupported_culture_without_setting_a_cookie()
    {
        using var client = factory.CreatePortalClient();

        using var response = await client.GetAsync(new Uri("/culture/set?culture=fr&redirectUri=%2F", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Unknown_page_gets_404_with_the_localised_not_found_page()
    {
        using var browser = await SignedInAsync();
        var client = browser.Client;

        using var response = await client.GetAsync(new Uri("/no-such-page", UriKind.Relative));
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("ページが見つかりません", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("<title>(.*?)</title>", RegexOptions.Singleline)]
    private static partial Regex TitleRegex();
}

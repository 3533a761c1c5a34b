using System.Net;
using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Demo;

namespace MedNetPortal.IntegrationTests.Account;

public sealed class SignInTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("/patients/abc", "/account/login?ReturnUrl=%2Fpatients%2Fabc")]
    [InlineData("/", "/account/login?ReturnUrl=%2F")]
    [InlineData("/no-such-page", "/account/login?ReturnUrl=%2Fno-such-page")]
    public async Task Pages_need_a_signed_in_user(string path, string login)
    {
        using var browser = PortalBrowser.Open(factory);

        using var response = await browser.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(login, PortalBrowser.LocationOf(response));
    }

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/health")]
    [InlineData("/fhir/metadata")]
    [InlineData("/assets/css/account.css")]
    [InlineData("/_framework/blazor.web.js")]
    public async Task Sign_in_health_the_FHIR_base_and_static_assets_are_public(string path)
    {
        using var browser = PortalBrowser.Open(factory);

        using var response = await browser.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{path}: {response.StatusCode}");
    }

    [Fact]
    public async Task Sign_in_page_has_labelled_fields_in_Japanese_and_English()
    {
        using var browser = PortalBrowser.Open(factory);
        var (_, japanese) = await browser.GetAsync(AccountExtensions.LoginPath);
        browser.Cookies.Add(browser.Root, new Cookie(".AspNetCore.Culture", "c=en|uic=en"));
        var (_, english) = await browser.GetAsync(AccountExtensions.LoginPath);

        Assert.Contains("<label for=\"login-email\">メールアドレス</label>", japanese, StringComparison.Ordinal);
        Assert.Contains("<label for=\"login-password\">パスワード</label>", japanese, StringComparison.Ordinal);
        Assert.Contains("id=\"login-email\"", japanese, StringComparison.Ordinal);
        Assert.Contains("<label for=\"login-email\">Email</label>", english, StringComparison.Ordinal);
        Assert.Contains("<label for=\"login-password\">Password</label>", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Correct_password_signs_in_returns_to_the_page_and_shows_the_user_and_facility()
    {
        await TestAccounts.CreateAsync(factory.Services, "ok@test.example", configure: u => u.DisplayName = "佐藤 花子");
        using var browser = PortalBrowser.Open(factory);

        using var response = await browser.SignInAsync("ok@test.example", TestAccounts.Password, returnUrl: "/no-such-page");
        var (status, html) = await browser.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/no-such-page", PortalBrowser.LocationOf(response));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("佐藤 花子", html, StringComparison.Ordinal);
        Assert.Contains(DemoFacilities.Hospital.Name, html, StringComparison.Ordinal);
        Assert.NotNull((await TestAccounts.FindAsync(factory.Services, "ok@test.example"))!.LastSignInAt);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    public async Task A_foreign_ReturnUrl_goes_home(string returnUrl)
    {
        await TestAccounts.CreateAsync(factory.Services, $"return{returnUrl.Length}@test.example");
        using var browser = PortalBrowser.Open(factory);

        using var response = await browser.SignInAsync($"return{returnUrl.Length}@test.example", TestAccounts.Password, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", PortalBrowser.LocationOf(response));
    }

    [Fact]
    public async Task Wrong_password_and_unknown_account_get_the_same_message_and_no_session()
    {
        await TestAccounts.CreateAsync(factory.Services, "wrong@test.example");
        using var browser = PortalBrowser.Open(factory);

        using var wrong = await browser.SignInAsync("wrong@test.example", "Not-the-passw0rd");
        var wrongHtml = WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync());
        using var unknown = await browser.SignInAsync("nobody@test.example", "Not-the-passw0rd");
        var unknownHtml = WebUtility.HtmlDecode(await unknown.Content.ReadAsStringAsync());
        using var home = await browser.Client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("メールアドレスまたはパスワードが正しくありません。", wrongHtml, StringComparison.Ordinal);
        Assert.Contains("メールアドレスまたはパスワードが正しくありません。", unknownHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
    }

    [Fact]
    public async Task Five_failures_lock_the_account_for_fifteen_minutes_even_against_the_right_password()
    {
        await TestAccounts.CreateAsync(factory.Services, "lock@test.example");
        using var browser = PortalBrowser.Open(factory);

        for (var i = 1; i <= 4; i++)
        {
            using var failed = await browser.SignInAsync("lock@test.example", "Wrong-passw0rd");
            Assert.Contains("正しくありません", await failed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var fifth = await browser.SignInAsync("lock@test.example", "Wrong-passw0rd");
        using var right = await browser.SignInAsync("lock@test.example", TestAccounts.Password);
        var rightHtml = WebUtility.HtmlDecode(await right.Content.ReadAsStringAsync());

        // Locked, the page says exactly what it says for a wrong password or an unknown address (no account enumeration).
        Assert.Contains("メールアドレスまたはパスワードが正しくありません。続けて失敗すると、アカウントは15分間ロックされます。", WebUtility.HtmlDecode(await fifth.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("メールアドレスまたはパスワードが正しくありません。続けて失敗すると、アカウントは15分間ロックされます。", rightHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("ロックされています", rightHtml, StringComparison.Ordinal);
        var user = await TestAccounts.FindAsync(factory.Services, "lock@test.example");
        Assert.True(user!.LockoutEnd > DateTimeOffset.UtcNow.AddMinutes(14));
    }

    [Fact]
    public async Task Suspended_account_cannot_sign_in_and_gets_the_generic_message()
    {
        await TestAccounts.CreateAsync(factory.Services, "suspended@test.example", configure: u => u.IsSuspended = true);
        using var browser = PortalBrowser.Open(factory);

        using var response = await browser.SignInAsync("suspended@test.example", TestAccounts.Password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("メールアドレスまたはパスワードが正しくありません。", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_out_ends_the_session_and_says_so()
    {
        await TestAccounts.CreateAsync(factory.Services, "out@test.example");
        using var browser = await PortalBrowser.SignedInAsync(factory, "out@test.example");

        using var response = await browser.SignOutAsync();
        var (_, login) = await browser.GetAsync(PortalBrowser.LocationOf(response)!);
        using var home = await browser.Client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login?reason=signed-out", PortalBrowser.LocationOf(response));
        Assert.Contains("サインアウトしました。", login, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
    }

    [Fact]
    public async Task Idle_sign_out_returns_to_the_page_with_the_idle_message()
    {
        await TestAccounts.CreateAsync(factory.Services, "idle@test.example");
        using var browser = await PortalBrowser.SignedInAsync(factory, "idle@test.example");

        using var response = await browser.SignOutAsync(reason: "idle", returnUrl: "/patients/abc");
        var (_, login) = await browser.GetAsync(PortalBrowser.LocationOf(response)!);

        Assert.Equal("/account/login?ReturnUrl=%2Fpatients%2Fabc&reason=idle", PortalBrowser.LocationOf(response));
        Assert.Contains("一定時間操作がなかったため、サインアウトしました", login, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_out_without_the_antiforgery_token_is_refused_while_signed_in()
    {
        await TestAccounts.CreateAsync(factory.Services, "csrf@test.example");
        using var browser = await PortalBrowser.SignedInAsync(factory, "csrf@test.example");

        using var content = new FormUrlEncodedContent(new Dictionary<string, string>());
        using var response = await browser.Client.PostAsync(new Uri(AccountExtensions.LogoutPath, UriKind.Relative), content);
        var (status, _) = await browser.GetAsync("/");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Session_cookie_is_HttpOnly_and_SameSite()
    {
        await TestAccounts.CreateAsync(factory.Services, "cookie@test.example");
        using var browser = PortalBrowser.Open(factory);

        using var response = await browser.SignInAsync("cookie@test.example", TestAccounts.Password);

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".MedNetPortal.Session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires=", cookie, StringComparison.OrdinalIgnoreCase);
    }
}

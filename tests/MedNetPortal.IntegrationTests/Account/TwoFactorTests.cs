using System.Net;
using System.Text.RegularExpressions;
using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Features.Account;

namespace MedNetPortal.IntegrationTests.Account;

public sealed class RequireTwoFactorPortalFactory() : PortalFactory(new Dictionary<string, string?> { ["Security:RequireTwoFactor"] = "true" });

public sealed partial class TwoFactorTests(RequireTwoFactorPortalFactory factory) : IClassFixture<RequireTwoFactorPortalFactory>
{
    [Fact]
    public async Task Required_two_factor_enrols_after_the_password_then_asks_for_a_code_at_every_sign_in()
    {
        await TestAccounts.CreateAsync(factory.Services, "tfa@test.example");
        using var browser = PortalBrowser.Open(factory);

        // Password accepted: sent to enrolment, and nothing else opens until enrolled.
        using var signIn = await browser.SignInAsync("tfa@test.example", TestAccounts.Password, returnUrl: "/patients/abc");
        Assert.Equal("/account/two-factor?ReturnUrl=%2Fpatients%2Fabc", PortalBrowser.LocationOf(signIn));
        using var blocked = await browser.Client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, blocked.StatusCode);
        Assert.Equal("/account/two-factor", PortalBrowser.LocationOf(blocked));

        // Enrolment shows the key grouped for typing and the otpauth URI.
        var (status, page) = await browser.GetAsync(AccountExtensions.TwoFactorPath);
        Assert.Equal(HttpStatusCode.OK, status);
        var key = SharedKey().Match(page).Groups[1].Value;
        Assert.Matches("^([a-z2-7]{4} )+[a-z2-7]{1,4}$", key);
        var compactKey = key.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        Assert.Contains($"otpauth://totp/MedNetPortal:tfa%40test.example?secret={compactKey}&issuer=MedNetPortal", page, StringComparison.Ordinal);

        // A wrong code does not enable it; the right one does, and shows recovery codes.
        using var wrong = await browser.PostFormAsync(AccountExtensions.TwoFactorPath, "two-factor-enable", new Dictionary<string, string> { ["Input.Code"] = "000000", ["Input.Password"] = TestAccounts.Password });
        Assert.Contains("認証コードが正しくありません。", WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.False((await TestAccounts.FindAsync(factory.Services, "tfa@test.example"))!.TwoFactorEnabled);
        using var enable = await browser.PostFormAsync(
            AccountExtensions.TwoFactorPath, "two-factor-enable", new Dictionary<string, string> { ["Input.Code"] = Totp.Code(compactKey, DateTimeOffset.UtcNow), ["Input.Password"] = TestAccounts.Password });
        var enabled = WebUtility.HtmlDecode(await enable.Content.ReadAsStringAsync());
        Assert.Contains("二要素認証を有効にしました。", enabled, StringComparison.Ordinal);
        Assert.Equal(10, RecoveryCode().Matches(enabled).Count);
        Assert.True((await TestAccounts.FindAsync(factory.Services, "tfa@test.example"))!.TwoFactorEnabled);
        var (homeStatus, _) = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, homeStatus);

        // The next sign-in asks for the code (認証コード) after the password.
        using var signOut = await browser.SignOutAsync();
        using var again = await browser.SignInAsync("tfa@test.example", TestAccounts.Password, returnUrl: "/patients/abc");
        Assert.Equal("/account/login-2fa?ReturnUrl=%2Fpatients%2Fabc", PortalBrowser.LocationOf(again));
        var (_, codePage) = await browser.GetAsync(PortalBrowser.LocationOf(again)!);
        Assert.Contains("<label for=\"login-2fa-code\">認証コード</label>", codePage, StringComparison.Ordinal);
        using var notYet = await browser.Client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, notYet.StatusCode);

        using var badCode = await browser.PostFormAsync(PortalBrowser.LocationOf(again)!, "login-2fa", new Dictionary<string, string> { ["Input.Code"] = "000000" });
        Assert.Contains("認証コードが正しくありません。", WebUtility.HtmlDecode(await badCode.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        using var goodCode = await browser.PostFormAsync(
            PortalBrowser.LocationOf(again)!, "login-2fa",
            new Dictionary<string, string> { ["Input.Code"] = Totp.Code(compactKey, DateTimeOffset.UtcNow, stepOffset: -1) });
        Assert.Equal(HttpStatusCode.Redirect, goodCode.StatusCode);
        Assert.Equal("/patients/abc", PortalBrowser.LocationOf(goodCode));
        var (signedIn, _) = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, signedIn);
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once()
    {
        await TestAccounts.CreateAsync(factory.Services, "recovery@test.example");
        using var browser = PortalBrowser.Open(factory);
        using var signIn = await browser.SignInAsync("recovery@test.example", TestAccounts.Password);
        var (_, page) = await browser.GetAsync(AccountExtensions.TwoFactorPath);
        var key = SharedKey().Match(page).Groups[1].Value.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        using var enable = await browser.PostFormAsync(
            AccountExtensions.TwoFactorPath, "two-factor-enable", new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow), ["Input.Password"] = TestAccounts.Password });
        var code = RecoveryCode().Match(WebUtility.HtmlDecode(await enable.Content.ReadAsStringAsync())).Groups[1].Value;
        using var signOut = await browser.SignOutAsync();

        using var first = await browser.SignInAsync("recovery@test.example", TestAccounts.Password);
        using var used = await browser.PostFormAsync(AccountExtensions.LoginRecoveryPath, "login-recovery", new Dictionary<string, string> { ["Input.Code"] = code });
        using var signOutAgain = await browser.SignOutAsync();
        using var second = await browser.SignInAsync("recovery@test.example", TestAccounts.Password);
        using var reused = await browser.PostFormAsync(AccountExtensions.LoginRecoveryPath, "login-recovery", new Dictionary<string, string> { ["Input.Code"] = code });

        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
        Assert.Contains("リカバリーコードが正しくありません。", WebUtility.HtmlDecode(await reused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [GeneratedRegex("data-testid=\"shared-key\"[^>]*>([^<]+)<")]
    private static partial Regex SharedKey();

    [GeneratedRegex("<li><code>([^<]+)</code></li>")]
    private static partial Regex RecoveryCode();
}

using System.Net;
using MedNetPortal.IntegrationTests.Web;

namespace MedNetPortal.IntegrationTests.Account;

public sealed class SecuritySettingsTests
{
    [Fact]
    public void A_warning_longer_than_the_idle_timeout_stops_the_start_naming_the_key()
    {
        using var factory = new PortalFactory(new Dictionary<string, string?>
        {
            ["Security:IdleTimeoutMinutes"] = "1",
            ["Security:IdleWarningSeconds"] = "90",
        });

        var error = Record.Exception(factory.StartServer);

        Assert.NotNull(error);
        Assert.Contains("Security:IdleWarningSeconds must be shorter than the idle timeout", StartupValidationTests.Messages(error), StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_number_lockout_stops_the_start_naming_the_key()
    {
        using var factory = new PortalFactory(new Dictionary<string, string?> { ["Security:LockoutMinutes"] = "fifteen" });

        var error = Record.Exception(factory.StartServer);

        Assert.NotNull(error);
        Assert.Contains("Security:LockoutMinutes", StartupValidationTests.Messages(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_development_the_session_cookie_is_Secure()
    {
        await using var factory = new PortalFactory(
            new Dictionary<string, string?> { ["FhirBase:Enabled"] = "false", ["CentralFhir:BaseUrl"] = "http://127.0.0.1:9/fhir/" },
            environment: "Production");
        await TestAccounts.CreateAsync(factory.Services, "secure@test.example");
        using var browser = PortalBrowser.Open(factory);

        using var response = await browser.SignInAsync("secure@test.example", TestAccounts.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".MedNetPortal.Session=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Lockout_follows_the_settings()
    {
        await using var factory = new PortalFactory(new Dictionary<string, string?>
        {
            ["Security:MaxFailedAccessAttempts"] = "2",
            ["Security:LockoutMinutes"] = "7",
        });
        await TestAccounts.CreateAsync(factory.Services, "two@test.example");
        using var browser = PortalBrowser.Open(factory);

        using var first = await browser.SignInAsync("two@test.example", "Wrong-passw0rd");
        using var second = await browser.SignInAsync("two@test.example", "Wrong-passw0rd");

        Assert.Contains("メールアドレスまたはパスワードが正しくありません。", WebUtility.HtmlDecode(await first.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Contains("7分後にもう一度お試しください", WebUtility.HtmlDecode(await second.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }
}

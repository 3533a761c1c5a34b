using System.Net;
using System.Security.Claims;
using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.IntegrationTests.Account;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Patients;
using MedNetPortal.Web.Host.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.IntegrationTests.Web;

/// <summary>The sign-in and lookup limits of the real portal, with small limits so that N+1 is cheap.</summary>
public sealed class RateLimitTests
{
    private static PortalFactory Portal(int signInPerAccount = 1000, int signInPerAddress = 100000, int lookupPerAccount = 1000, int lookupPerAddress = 100000) =>
        new(new Dictionary<string, string?>
        {
            ["RateLimits:SignInPerAccount"] = signInPerAccount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:SignInPerAddress"] = signInPerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:LookupPerAccount"] = lookupPerAccount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:LookupPerAddress"] = lookupPerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The windows are aligned to the clock: the longest ones make a window boundary inside a test (which resets the
            // counts it asserts on) as unlikely as it can be on a slow machine.
            ["RateLimits:SignInWindowSeconds"] = "86400",
            ["RateLimits:LookupWindowSeconds"] = "3600",
        });

    [Fact]
    public async Task The_sign_in_after_the_account_limit_gets_429_with_a_message_and_another_account_still_signs_in()
    {
        using var factory = Portal(signInPerAccount: 3);
        await TestAccounts.CreateAsync(factory.Services, "limited@test.example");
        await TestAccounts.CreateAsync(factory.Services, "other@test.example");
        using var browser = PortalBrowser.Open(factory);

        for (var i = 0; i < 3; i++)
        {
            using var wrong = await browser.SignInAsync("limited@test.example", "wrong-password");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        // The right password, but the fourth attempt in the window: refused before the password is checked.
        using var refused = await browser.SignInAsync("Limited@Test.Example ", TestAccounts.Password);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        using var other = await browser.SignInAsync("other@test.example", TestAccounts.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("しばらくしてから", html, StringComparison.Ordinal);
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 86400); // within the window
        Assert.DoesNotContain("limited@test.example", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
    }

    [Fact]
    public async Task The_authenticator_code_after_the_account_limit_gets_429()
    {
        using var factory = Portal(signInPerAccount: 3);
        await TestAccounts.CreateAsync(factory.Services, "tfa-limit@test.example", configure: u => u.TwoFactorEnabled = true);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            await users.ResetAuthenticatorKeyAsync((await users.FindByEmailAsync("tfa-limit@test.example"))!);
        }

        using var browser = PortalBrowser.Open(factory);
        using var password = await browser.SignInAsync("tfa-limit@test.example", TestAccounts.Password);
        Assert.Equal("/account/login-2fa", PortalBrowser.LocationOf(password));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var code = await browser.PostFormAsync("/account/login-2fa", "login-2fa", new Dictionary<string, string> { ["Input.Code"] = "000000" });
            statuses.Add(code.StatusCode);
        }

        // The pending two-factor user is the account on the code forms: three codes, then refused.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task The_sign_in_after_the_address_limit_gets_429_whatever_the_account()
    {
        using var factory = Portal(signInPerAddress: 4);
        using var browser = PortalBrowser.Open(factory);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await browser.SignInAsync($"user{i}@test.example", "wrong-password");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        // The form itself (GET) is never limited.
        var (status, _) = await browser.GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task The_lookup_after_the_account_limit_is_refused_in_the_service_and_another_account_is_unaffected()
    {
        using var factory = Portal(lookupPerAccount: 3);
        _ = factory.RootUri;
        var id = InsuranceMemberId.Parse("06134522", "1234", "5678", "01").Value!;

        await using var first = Signed(factory, "user-a");
        var search = first.ServiceProvider.GetRequiredService<IPatientSearchService>();
        for (var i = 0; i < 3; i++)
        {
            Assert.Empty((await search.SearchAsync(id, CancellationToken.None)).Matches);
        }

        var refused = await Assert.ThrowsAsync<RateLimitExceededException>(() => search.SearchAsync(id, CancellationToken.None));
        await using var second = Signed(factory, "user-b");
        var other = await second.ServiceProvider.GetRequiredService<IPatientSearchService>().SearchAsync(id, CancellationToken.None);

        Assert.Equal(RateLimitKind.Lookup, refused.Kind);
        Assert.True(refused.RetryAfter > TimeSpan.Zero);
        Assert.Empty(other.Matches);
    }

    [Fact]
    public async Task The_lookup_after_the_address_limit_is_refused_for_every_account_on_that_address_only()
    {
        using var factory = Portal(lookupPerAddress: 2);
        _ = factory.RootUri;
        var id = InsuranceMemberId.Parse("06134522", "1234", "5678", "01").Value!;
        var accessor = factory.Services.GetRequiredService<IHttpContextAccessor>();

        accessor.HttpContext = new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse("192.0.2.10") } };
        await using (var a = Signed(factory, "user-a"))
        {
            await a.ServiceProvider.GetRequiredService<IPatientSearchService>().SearchAsync(id, CancellationToken.None);
        }

        await using (var b = Signed(factory, "user-b"))
        {
            var service = b.ServiceProvider.GetRequiredService<IPatientSearchService>();
            await service.SearchAsync(id, CancellationToken.None);
            await Assert.ThrowsAsync<RateLimitExceededException>(() => service.SearchAsync(id, CancellationToken.None));
        }

        accessor.HttpContext = new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse("192.0.2.11") } };
        await using (var c = Signed(factory, "user-c"))
        {
            await c.ServiceProvider.GetRequiredService<IPatientSearchService>().SearchAsync(id, CancellationToken.None);
        }

        accessor.HttpContext = null;
    }

    private static AsyncServiceScope Signed(PortalFactory factory, string userId)
    {
        var scope = factory.Services.CreateAsyncScope();
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, userId),
                new Claim(ClaimTypes.Role, MedNetPortal.Web.Host.Identity.PortalRoles.Clinician),
                new Claim(MedNetPortal.Web.Host.Identity.PortalClaimTypes.FacilityCode, MedNetPortal.Web.Features.Demo.DemoFacilities.HospitalCode),
            ],
            "test"));
        ((IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>())
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        return scope;
    }
}

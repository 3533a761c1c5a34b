using System.Net;
using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Host.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.IntegrationTests.Account;

/// <summary>The cookie keys live in the portal database, so a restart (or a new container on the same data) keeps sessions.</summary>
public sealed class DataProtectionKeyTests
{
    [Fact]
    public async Task Sign_in_cookie_keys_are_stored_in_the_portal_database_and_a_session_survives_a_restart()
    {
        var data = Directory.CreateTempSubdirectory("mednet-dpkeys-").FullName;
        try
        {
            var settings = new Dictionary<string, string?> { ["Storage:DataDirectory"] = data };
            CookieContainer cookies;
            await using (var first = new PortalFactory(settings))
            {
                await TestAccounts.CreateAsync(first.Services, "keys@test.example");
                using var browser = await PortalBrowser.SignedInAsync(first, "keys@test.example");
                cookies = browser.Cookies;
                await using var scope = first.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
                Assert.NotEmpty(await db.DataProtectionKeys.ToListAsync());
            }

            await using var second = new PortalFactory(settings);
            using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = Rebase(cookies, second.RootUri), UseCookies = true })
            {
                BaseAddress = second.RootUri,
            };
            using var response = await client.GetAsync(new Uri("patients", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    // The second server listens on another port; cookies are per host, not per port, but copy them explicitly to be plain.
    private static CookieContainer Rebase(CookieContainer cookies, Uri root)
    {
        var copy = new CookieContainer();
        foreach (Cookie cookie in cookies.GetAllCookies())
        {
            copy.Add(root, new Cookie(cookie.Name, cookie.Value, "/"));
        }

        return copy;
    }
}

using MedNetPortal.IntegrationTests.Account;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Host.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.IntegrationTests.Web;

/// <summary>
/// <c>X-Forwarded-For</c> sets the client address of the audit trail (and so of the rate limits) only when the sender is a
/// proxy listed in <c>Proxy:KnownProxies</c>; from anyone else it is ignored.
/// </summary>
public sealed class ForwardedHeadersTests
{
    [Theory]
    [InlineData("127.0.0.1", "203.0.113.9")]
    [InlineData("", "127.0.0.1")]
    [InlineData("10.0.0.5", "127.0.0.1")]
    public async Task A_failed_sign_in_is_audited_with_the_forwarded_address_only_from_a_known_proxy(string knownProxies, string expected)
    {
        await using var factory = new PortalFactory(new Dictionary<string, string?> { ["Proxy:KnownProxies"] = knownProxies });
        await TestAccounts.CreateAsync(factory.Services, "proxy@test.example");

        using (var browser = PortalBrowser.Open(factory))
        {
            browser.Client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");
            using var refused = await browser.SignInAsync("proxy@test.example", "not-the-password-at-all");
        }

        await using var scope = factory.Services.CreateAsyncScope();
        var failure = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditEntries.AsNoTracking()
            .SingleAsync(e => e.Action == AuditAction.SignInFailed);
        Assert.Equal(expected, failure.ClientAddress);
    }
}

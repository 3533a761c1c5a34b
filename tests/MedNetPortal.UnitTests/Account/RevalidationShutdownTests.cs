using System.Security.Claims;
using MedNetPortal.Web.Features.Account;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MedNetPortal.UnitTests.Account;

public sealed class RevalidationShutdownTests
{
    [Fact]
    public async Task A_revalidation_during_shutdown_neither_throws_nor_changes_the_user()
    {
        // A live circuit's revalidation loop can tick after the host disposed its services. A throw is logged as an error, and
        // a changed user re-renders components whose services are gone (also logged as errors).
        var services = new ServiceCollection().BuildServiceProvider();
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        await services.DisposeAsync();
        using var provider = new PortalRevalidatingAuthenticationStateProvider(
            NullLoggerFactory.Instance, scopes, Options.Create(new IdentityOptions()), Options.Create(new SecurityOptions()));
        var valid = await provider.RevalidateAsync(new AuthenticationState(new ClaimsPrincipal()), CancellationToken.None);

        Assert.True(valid);
    }
}

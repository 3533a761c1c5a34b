using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Features.Account;

/// <summary>
/// For open circuits: every <c>Security:SessionRevalidationSeconds</c> (a minute by default), checks that the session is still
/// open on the server (not signed out, not idle, the facility not deactivated) and that the account still exists, is not
/// suspended and has the same security stamp;
/// otherwise the circuit's user becomes anonymous and the router sends the page to the sign-in page.
/// </summary>
internal sealed class PortalRevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory, IServiceScopeFactory scopeFactory, IOptions<IdentityOptions> identityOptions,
    IOptions<SecurityOptions> securityOptions)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => securityOptions.Value.SessionRevalidation;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        RevalidateAsync(authenticationState, cancellationToken);

    /// <summary>What each revalidation tick decides: still the same valid user in a current session.</summary>
    internal async Task<bool> RevalidateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var userManager = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            // The page's session too: signed out in another tab, idle too long on the server, or the facility deactivated.
            return await Sessions.SessionCookieEvents.IsCurrentAsync(authenticationState.User, scope.ServiceProvider, touch: false, cancellationToken)
                   && await IsStillValidAsync(userManager, authenticationState.User, identityOptions.Value);
        }
        catch (ObjectDisposedException)
        {
            // The host is shutting down under a live circuit, which ends with it. Changing the user now would re-render
            // components whose services are already gone; nothing more is served, so leave the state as it is.
            return true;
        }
    }

    internal static async Task<bool> IsStillValidAsync(UserManager<PortalUser> userManager, ClaimsPrincipal principal, IdentityOptions options)
    {
        var user = await userManager.GetUserAsync(principal);
        if (user is null || user.IsSuspended)
        {
            return false;
        }

        if (!userManager.SupportsUserSecurityStamp)
        {
            return true;
        }

        var stamp = principal.FindFirstValue(options.ClaimsIdentity.SecurityStampClaimType);
        return stamp == await userManager.GetSecurityStampAsync(user);
    }
}

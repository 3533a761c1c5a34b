using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;

namespace MedNetPortal.Web.Features.Account.EntraId;

/// <summary>
/// Entra ID mode, open circuits: every minute a user backed by a portal account must still have it, unsuspended; a user known
/// only from the token stays valid until the session ends (Entra ID decides who may sign in).
/// </summary>
internal sealed class EntraRevalidatingAuthenticationStateProvider(ILoggerFactory loggerFactory, IServiceScopeFactory scopeFactory)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var accountId = authenticationState.User.FindFirstValue(EntraPrincipalMapper.AccountClaim);
        if (accountId is null)
        {
            return authenticationState.User.FindFirst(EntraPrincipalMapper.NotRegisteredClaim) is null;
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var account = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByIdAsync(accountId);
        return account is { IsSuspended: false }
               && await Sessions.SessionCookieEvents.IsCurrentAsync(authenticationState.User, scope.ServiceProvider, touch: false, cancellationToken);
    }
}

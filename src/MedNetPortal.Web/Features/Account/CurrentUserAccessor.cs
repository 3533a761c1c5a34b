using System.Security.Claims;
using MedNetPortal.Web.Host.Identity;
using Microsoft.AspNetCore.Components.Authorization;

namespace MedNetPortal.Web.Features.Account;

/// <summary>
/// The signed-in user of the circuit or request. A user of a deactivated facility is nobody from the moment of the
/// deactivation: every service refuses them, before their session ends (<see cref="Facilities.FacilityStatus"/>).
/// </summary>
internal sealed class CurrentUserAccessor(
    AuthenticationStateProvider authenticationState, IHttpContextAccessor httpContext, Facilities.FacilityStatus facilities) : ICurrentUserAccessor
{
    public async Task<CurrentUser?> GetAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CurrentUser? user;
        try
        {
            var state = await authenticationState.GetAuthenticationStateAsync();
            user = CurrentUser.From(state.User);
        }
        catch (InvalidOperationException)
        {
            // Outside a Razor component's scope (an endpoint, middleware, a background scope): the request's own user, if any.
            user = CurrentUser.From(httpContext.HttpContext?.User);
        }

        return user is not null && await facilities.IsDeactivatedAsync(user.FacilityCode, cancellationToken) ? null : user;
    }
}

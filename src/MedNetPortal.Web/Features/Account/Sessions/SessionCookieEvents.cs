using System.Security.Claims;
using MedNetPortal.Web.Features.Facilities;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace MedNetPortal.Web.Features.Account.Sessions;

/// <summary>
/// Ties the session cookie to a server-side <see cref="PortalSession"/>: signing in starts one (its id goes into the cookie),
/// every request checks it (ended, idle too long, or the facility deactivated: the cookie is refused and removed) and marks
/// it seen. Wraps whatever validation the scheme already had (Identity's security-stamp check).
/// </summary>
internal static class SessionCookieEvents
{
    public static void Attach(CookieAuthenticationOptions cookie)
    {
        ArgumentNullException.ThrowIfNull(cookie);
        // Signing in on the sign-in page follows its ReturnUrl: local only, and percent-encoded (a raw non-ASCII character in
        // the Location header would be a 500).
        cookie.Events.OnRedirectToReturnUrl = context =>
        {
            context.Response.Redirect(AccountExtensions.LocalOrHome(context.RedirectUri));
            return Task.CompletedTask;
        };

        var signingIn = cookie.Events.OnSigningIn;
        cookie.Events.OnSigningIn = async context =>
        {
            await signingIn(context);
            if (context.Principal?.Identity is not ClaimsIdentity identity || identity.HasClaim(c => c.Type == PortalClaimTypes.SessionId))
            {
                return;
            }

            var userId = identity.FindFirst(ClaimTypes.NameIdentifier)?.Value;
            if (string.IsNullOrEmpty(userId))
            {
                return;
            }

            var store = context.HttpContext.RequestServices.GetRequiredService<PortalSessionStore>();
            // A refreshed sign-in (two-factor turned on, a new stamp) keeps the session it renews.
            var current = context.HttpContext.User;
            var sessionId = current.FindFirstValue(ClaimTypes.NameIdentifier) == userId ? current.FindFirstValue(PortalClaimTypes.SessionId) : null;
            if (sessionId is null
                || await store.CheckAsync(sessionId, userId, touch: true, context.HttpContext.RequestAborted) != SessionState.Active)
            {
                sessionId = await store.StartAsync(userId, context.HttpContext.RequestAborted);
            }

            identity.AddClaim(new Claim(PortalClaimTypes.SessionId, sessionId));
        };

        var validate = cookie.Events.OnValidatePrincipal;
        cookie.Events.OnValidatePrincipal = async context =>
        {
            if (!await IsCurrentAsync(context.Principal, context.HttpContext.RequestServices, touch: true, context.HttpContext.RequestAborted))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(context.Scheme.Name);
                return;
            }

            await validate(context);
        };
    }

    /// <summary>Copies the session id into the principal Identity's security-stamp check builds anew.</summary>
    public static Task KeepSessionOnRefresh(SecurityStampRefreshingPrincipalContext context)
    {
        if (context.CurrentPrincipal?.FindFirst(PortalClaimTypes.SessionId) is { } sid
            && context.NewPrincipal?.Identity is ClaimsIdentity identity
            && !identity.HasClaim(c => c.Type == PortalClaimTypes.SessionId))
        {
            identity.AddClaim(new Claim(PortalClaimTypes.SessionId, sid.Value));
        }

        return Task.CompletedTask;
    }

    /// <summary>The session is active (marked seen when <paramref name="touch"/>) and the user's facility is not deactivated.</summary>
    public static async Task<bool> IsCurrentAsync(ClaimsPrincipal? principal, IServiceProvider services, bool touch, CancellationToken cancellationToken)
    {
        if (principal?.Identity?.IsAuthenticated != true)
        {
            return false;
        }

        var facilities = services.GetRequiredService<FacilityStatus>();
        if (await facilities.IsDeactivatedAsync(principal.FindFirstValue(PortalClaimTypes.FacilityCode), cancellationToken))
        {
            return false;
        }

        var store = services.GetRequiredService<PortalSessionStore>();
        return await store.CheckAsync(
            principal.FindFirstValue(PortalClaimTypes.SessionId), principal.FindFirstValue(ClaimTypes.NameIdentifier), touch, cancellationToken) == SessionState.Active;
    }
}

using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace MedNetPortal.Web.Features.Account;

/// <summary>The signed-in user as other features see it: who, and which facility they act for.</summary>
public sealed record CurrentUser(string UserId, string DisplayName, string? FacilityCode, string? FacilityName, IReadOnlyList<string> Roles)
{
    public bool IsInRole(string role) => Roles.Contains(role, StringComparer.Ordinal);

    /// <summary>The user of a principal, or null when it is not signed in.</summary>
    public static CurrentUser? From(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        return new CurrentUser(
            id,
            principal.FindFirstValue(PortalClaimTypes.DisplayName) ?? principal.Identity.Name ?? string.Empty,
            NullIfEmpty(principal.FindFirstValue(PortalClaimTypes.FacilityCode)),
            NullIfEmpty(principal.FindFirstValue(PortalClaimTypes.FacilityName)),
            [.. principal.FindAll(ClaimTypes.Role).Select(c => c.Value)]);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>Reads the <see cref="CurrentUser"/> in components and services (static rendering and circuits alike).</summary>
public interface ICurrentUserAccessor
{
    /// <summary>The signed-in user, or null.</summary>
    Task<CurrentUser?> GetAsync(CancellationToken cancellationToken = default);
}

internal sealed class CurrentUserAccessor(AuthenticationStateProvider authenticationState, IHttpContextAccessor httpContext) : ICurrentUserAccessor
{
    public async Task<CurrentUser?> GetAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var state = await authenticationState.GetAuthenticationStateAsync();
            return CurrentUser.From(state.User);
        }
        catch (InvalidOperationException)
        {
            // Outside a Razor component's scope (an endpoint, middleware, a background scope): the request's own user, if any.
            return CurrentUser.From(httpContext.HttpContext?.User);
        }
    }
}

using System.Security.Claims;
using MedNetPortal.Web.Features.Account;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.IntegrationTests.Infrastructure;

/// <summary>A service scope of the real app whose signed-in user (as a Blazor circuit would have it) is the given user.</summary>
public static class SignedInScope
{
    public static AsyncServiceScope Create(IServiceProvider services, CurrentUser user)
    {
        var scope = services.CreateAsyncScope();
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.UserId),
            new(PortalClaimTypes.DisplayName, user.DisplayName),
        };
        if (user.FacilityCode is not null)
        {
            claims.Add(new Claim(PortalClaimTypes.FacilityCode, user.FacilityCode));
            claims.Add(new Claim(PortalClaimTypes.FacilityName, user.FacilityName ?? string.Empty));
        }

        if (user.SessionId is not null)
        {
            claims.Add(new Claim(PortalClaimTypes.SessionId, user.SessionId));
        }

        claims.AddRange(user.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "Test"));
        var provider = scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        ((IHostEnvironmentAuthenticationStateProvider)provider).SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        return scope;
    }
}

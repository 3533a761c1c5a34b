using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Features.Account;

/// <summary>Adds the display name, facility, profession and 2FA state to the principal, so features read "my facility" from the user.</summary>
internal sealed class PortalClaimsPrincipalFactory(
    UserManager<PortalUser> userManager, RoleManager<IdentityRole> roleManager, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<PortalUser, IdentityRole>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PortalUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(PortalClaimTypes.DisplayName, user.DisplayName));
        identity.AddClaim(new Claim(PortalClaimTypes.Profession, user.Profession.ToString()));
        identity.AddClaim(new Claim(PortalClaimTypes.TwoFactorEnabled, user.TwoFactorEnabled ? "true" : "false"));
        if (!string.IsNullOrEmpty(user.FacilityCode))
        {
            identity.AddClaim(new Claim(PortalClaimTypes.FacilityCode, user.FacilityCode));
        }

        if (!string.IsNullOrEmpty(user.FacilityName))
        {
            identity.AddClaim(new Claim(PortalClaimTypes.FacilityName, user.FacilityName));
        }

        return identity;
    }
}

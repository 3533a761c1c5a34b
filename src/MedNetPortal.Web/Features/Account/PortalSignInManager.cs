using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Features.Account;

/// <summary>Identity's sign-in manager, plus: a suspended account cannot sign in, and its cookie stops validating.</summary>
internal sealed class PortalSignInManager(
    UserManager<PortalUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<PortalUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<PortalUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<PortalUser> confirmation,
    Facilities.FacilityStatus facilities)
    : SignInManager<PortalUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    /// <summary>Not a suspended account, nor one of a deactivated facility.</summary>
    public override async Task<bool> CanSignInAsync(PortalUser user) =>
        !user.IsSuspended
        && !await facilities.IsDeactivatedAsync(user.FacilityCode, CancellationToken.None)
        && await base.CanSignInAsync(user);

    public override async Task<PortalUser?> ValidateSecurityStampAsync(ClaimsPrincipal? principal)
    {
        var user = await base.ValidateSecurityStampAsync(principal);
        return user is { IsSuspended: false } ? user : null;
    }
}

using MedNetPortal.Web.Host.Data;
using Microsoft.AspNetCore.Identity;

namespace MedNetPortal.Web.Features.Account;

/// <summary>Creates the portal's roles; idempotent (runs at every start, before any seeder that gives an account a role).</summary>
internal sealed class AccountRoleSeeder(RoleManager<IdentityRole> roles) : IPortalDataSeeder
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        foreach (var role in PortalRoles.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!await roles.RoleExistsAsync(role))
            {
                var result = await roles.CreateAsync(new IdentityRole(role));
                if (!result.Succeeded)
                {
                    throw new InvalidOperationException(
                        $"Could not create {role}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
                }
            }
        }
    }
}

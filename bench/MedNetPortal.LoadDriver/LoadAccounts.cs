using System.Globalization;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Demo;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.LoadDriver;

/// <summary>
/// Clinician accounts for <c>--sign-in each</c> against the in-process portal: <c>load-NNN@clinic.example</c> /
/// <c>load-NNN@hospital.example</c> (alternating demo facilities, role Clinician, the demo password), created through
/// the portal's own <see cref="UserManager{TUser}"/> so each simulated clinician is a distinct account.
/// </summary>
internal static class LoadAccounts
{
    public static string Email(int index) =>
        $"load-{index.ToString("D3", CultureInfo.InvariantCulture)}@{(index % 2 == 0 ? "clinic" : "hospital")}.example";

    public static async Task EnsureAsync(IServiceProvider services, int count)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        for (var i = 0; i < count; i++)
        {
            var email = Email(i);
            if (await users.FindByEmailAsync(email) is not null)
            {
                continue;
            }

            var facility = i % 2 == 0 ? DemoFacilities.Clinic : DemoFacilities.Hospital;
            var user = new PortalUser
            {
                UserName = email,
                Email = email,
                EmailConfirmed = true,
                DisplayName = "負荷試験 医師" + (i + 1).ToString(CultureInfo.InvariantCulture),
                DisplayNameKana = "フカシケン イシ",
                FacilityCode = facility.Code,
                FacilityName = facility.Name,
                Profession = Profession.Doctor,
            };
            Check(await users.CreateAsync(user, DemoOptions.DefaultPassword), email);
            Check(await users.AddToRoleAsync(user, PortalRoles.Clinician), email);
        }
    }

    private static void Check(IdentityResult result, string email)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Creating {email} failed: {string.Join("; ", result.Errors.Select(e => e.Code))}");
        }
    }
}

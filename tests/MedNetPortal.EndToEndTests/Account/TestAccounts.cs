using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Demo;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.EndToEndTests.Account;

/// <summary>Throw-away accounts for tests that lock or time out a session (never the shared demo accounts).</summary>
internal static class TestAccounts
{
    public const string Password = "E2e-Passw0rd!";

    public static async Task<string> CreateAsync(IServiceProvider services, string prefix)
    {
        var email = $"{prefix}-{Guid.NewGuid():N}@test.example";
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = "試験 花子",
            FacilityCode = DemoFacilities.Clinic.Code,
            FacilityName = DemoFacilities.Clinic.Name,
            Profession = Profession.Nurse,
        };
        var created = await users.CreateAsync(user, Password);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        Assert.True((await users.AddToRoleAsync(user, PortalRoles.Clinician)).Succeeded);
        return email;
    }
}

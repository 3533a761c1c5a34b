using System.Net;
using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Features.Demo;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.IntegrationTests.Account;

public sealed class DemoAccountTests
{
    [Fact]
    public async Task Demo_configuration_has_the_four_accounts_with_their_roles_and_facilities_and_they_sign_in()
    {
        await using var factory = new PortalFactory(new Dictionary<string, string?> { ["Demo:Enabled"] = "true" });
        _ = factory.RootUri;

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var expected = new (string Email, string Role, string? Facility)[]
            {
                ("doctor@hospital.example", PortalRoles.Clinician, DemoFacilities.HospitalCode),
                ("doctor@clinic.example", PortalRoles.Clinician, DemoFacilities.ClinicCode),
                ("admin@hospital.example", PortalRoles.FacilityAdmin, DemoFacilities.HospitalCode),
                ("sysadmin@mednet.example", PortalRoles.SystemAdmin, null),
            };
            foreach (var (email, role, facility) in expected)
            {
                var user = await users.FindByEmailAsync(email);
                Assert.NotNull(user);
                Assert.Equal([role], await users.GetRolesAsync(user));
                Assert.Equal(facility, user.FacilityCode);
                Assert.True(await users.CheckPasswordAsync(user, DemoOptions.DefaultPassword), email);
            }
        }

        using var browser = PortalBrowser.Open(factory);
        using var signIn = await browser.SignInAsync("doctor@clinic.example", DemoOptions.DefaultPassword);
        var (status, html) = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(DemoFacilities.Clinic.Name, html, StringComparison.Ordinal);
        Assert.Contains(DemoFacilities.Clinic.Doctor("clinic-director").NameKanji, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_password_setting_is_used_and_seeding_twice_adds_nothing()
    {
        var data = Directory.CreateTempSubdirectory("mednet-demo-twice-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Demo:Password"] = "Another-Demo-9!",
            ["Storage:DataDirectory"] = data,
        };
        await using (var first = new PortalFactory(settings))
        {
            _ = first.RootUri;
        }

        // A second start on the same data folder.
        await using var factory = new PortalFactory(settings);
        _ = factory.RootUri;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            // Seeders run at every start: run them once more to prove they are idempotent.
            foreach (var seeder in scope.ServiceProvider.GetServices<IPortalDataSeeder>())
            {
                await seeder.SeedAsync(CancellationToken.None);
            }

            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            Assert.Equal(4, await db.Users.CountAsync());
            Assert.Equal(3, await db.Roles.CountAsync());
            Assert.Equal(4, await db.UserRoles.CountAsync());
        }

        using var browser = PortalBrowser.Open(factory);
        using var signIn = await browser.SignInAsync("doctor@hospital.example", "Another-Demo-9!");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    [Fact]
    public async Task Outside_the_demo_configuration_no_demo_account_exists_and_none_signs_in()
    {
        await using var factory = new PortalFactory(new Dictionary<string, string?> { ["Demo:Enabled"] = "false" });
        _ = factory.RootUri;

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            Assert.Equal(0, await db.Users.CountAsync());
            Assert.Equal(PortalRoles.All.Order(), (await db.Roles.Select(r => r.Name!).ToListAsync()).Order());
        }

        using var browser = PortalBrowser.Open(factory);
        foreach (var account in DemoAccounts.All)
        {
            using var signIn = await browser.SignInAsync(account.Email, DemoOptions.DefaultPassword);
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        }
    }
}

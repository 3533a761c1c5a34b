using System.Text.RegularExpressions;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Web.Features.Consent;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Emergency;
using MedNetPortal.Web.Host.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Screenshots;

/// <summary>
/// The home page's screenshots in docs/screenshots (02-home: the hospital doctor after opening two records and starting a
/// letter; 33-home-admin: the hospital's administrator with an emergency-access notification and a suspended account), in
/// Japanese and English at desktop and phone widths, each taken once every tile has loaded.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HomeScreenshotTests(BrowserFixture fixture)
{
    private static readonly (string Name, int Width, int Height)[] Sizes = [("desktop", 1366, 768), ("phone", 390, 844)];

    [ScreenshotFact]
    public async Task Home_pages_of_a_clinician_and_an_administrator_in_Japanese_and_English_at_desktop_and_phone_widths()
    {
        var folder = Path.GetFullPath(Environment.GetEnvironmentVariable(ScreenshotTests.FolderVariable)!);
        Directory.CreateDirectory(folder);
        // Every demo letter in first, so that the counts do not change between the four screenshots.
        var seeder = fixture.Portal.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<DemoSeedingService>().Single();
        await seeder.ExecuteTask!.WaitAsync(TimeSpan.FromMinutes(3));
        var patients = new[]
        {
            await DemoSeeding.PatientIdAsync(fixture.Portal, DemoPatients.SatoKenichi),
            await DemoSeeding.PatientIdAsync(fixture.Portal, DemoPatients.SuzukiTome),
        };
        await StageAdministratorItemsAsync();
        // Unread letters to the hospital (the other browser tests open theirs).
        await BareLetters.ClinicToHospitalAsync(fixture.Portal, "山本 一郎", "ヤマモト イチロウ", "胸痛の精査をお願いします。");
        await BareLetters.ClinicToHospitalAsync(fixture.Portal, "中村 幸子", "ナカムラ サチコ", "糖尿病の教育入院をお願いします。");
        foreach (var language in new[] { "ja", "en" })
        {
            foreach (var (size, width, height) in Sizes)
            {
                await using var context = await SignedInAsync("doctor@hospital.example", language, width, height);
                var page = context.Pages[0];
                foreach (var patient in patients)
                {
                    await page.GotoInteractiveAsync($"patients/{patient}");
                    await Assertions.Expect(page.Locator("[data-testid=diagnosis-row]").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
                }

                if (language == "ja" && size == "desktop")
                {
                    await Eventually.PassAsync(async () =>
                    {
                        await page.Locator("[data-testid=compose-referral]").ClickAsync(new() { Timeout = 2000 });
                        await page.WaitForURLAsync(new Regex("/referrals/drafts/[0-9a-f-]{36}$"), new() { Timeout = 5000 });
                    });
                }

                await page.GotoInteractiveAsync("/");
                await LoadedAsync(page, "letters", "drafts", "recent");
                await ScreenshotTests.ShootAsync(page, folder, "02-home", language, size);

                await using var adminContext = await SignedInAsync("admin@hospital.example", language, width, height);
                var admin = adminContext.Pages[0];
                await admin.GotoInteractiveAsync("/");
                await LoadedAsync(admin, "emergency", "accounts");
                await ScreenshotTests.ShootAsync(admin, folder, "33-home-admin", language, size);
            }
        }
    }

    private static async Task LoadedAsync(IPage page, params string[] tiles)
    {
        foreach (var tile in tiles)
        {
            await Assertions.Expect(page.Locator($"[data-testid=home-{tile}-count], [data-testid=home-{tile}-empty]"))
                .ToBeVisibleAsync(new() { Timeout = 30_000 });
        }
    }

    private async Task<IBrowserContext> SignedInAsync(string email, string language, int width, int height)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.Portal.RootUri.ToString(),
            Locale = "ja-JP",
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, email);
        if (language == "en")
        {
            await page.GotoAsync("culture/set?culture=en&redirectUri=%2F");
        }

        return context;
    }

    /// <summary>What an administrator would find after a busy day: an emergency access to review and a suspended account.</summary>
    private async Task StageAdministratorItemsAsync()
    {
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        db.Set<PortalNotification>().Add(new PortalNotification
        {
            Id = Guid.NewGuid(),
            FacilityCode = DemoFacilities.HospitalCode,
            Kind = PortalNotificationKinds.EmergencyAccess,
            ActorName = "青木 誠一",
            Reason = EmergencyReason.Unconscious,
            CreatedUtc = DateTime.UtcNow.AddHours(-1),
            EndsUtc = DateTime.UtcNow.AddHours(3),
        });
        await db.SaveChangesAsync();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var email = $"suspended-{Guid.NewGuid():N}@hospital.example";
        var user = new PortalUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = "休職 花子",
            DisplayNameKana = "キュウショク ハナコ",
            FacilityCode = DemoFacilities.HospitalCode,
            FacilityName = DemoFacilities.Hospital.Name,
            Profession = Profession.Nurse,
            IsSuspended = true,
        };
        Assert.True((await users.CreateAsync(user, "Screenshot-Passw0rd!")).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, PortalRoles.Clinician)).Succeeded);
    }
}

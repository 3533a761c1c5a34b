using System.Text.RegularExpressions;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Web.Features.Demo;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Web;

/// <summary>
/// The home page in the browser: a clinician's unread letters (a letter opened from the tile is no longer counted), their
/// drafts and the patients they opened since signing in (a link without personal data); an administrator's tiles; the
/// language switch.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class HomePageTests(BrowserFixture fixture)
{
    private const float Slow = 30_000;

    [Fact]
    public async Task Clinician_home_counts_unread_letters_opens_one_and_lists_the_drafts_and_the_patients_opened_since_sign_in()
    {
        var letter = await BareLetters.ClinicToHospitalAsync(fixture.Portal, "本宅 確認", "ホンタク カクニン", "ホーム画面の確認のための紹介です。");
        var patientId = await DemoSeeding.PatientIdAsync(fixture.Portal, DemoPatients.SuzukiTome);
        await using var context = await fixture.NewContextAsync("ja-JP");
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "doctor@hospital.example");

        await page.GotoInteractiveAsync("/");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("ホーム");
        await Assertions.Expect(page).ToHaveTitleAsync("ホーム - MedNetPortal");
        await Assertions.Expect(page.Locator("[data-testid=home-recent-empty]")).ToBeVisibleAsync(new() { Timeout = Slow });
        var count = page.Locator("[data-testid=home-letters-count]");
        await Assertions.Expect(count).ToHaveTextAsync(UnreadCount(), new() { Timeout = Slow });
        var before = int.Parse(UnreadCount().Match(await count.InnerTextAsync()).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var link = page.Locator($"[data-testid=home-letter-open][href='letters/{letter}']");
        await Assertions.Expect(link).ToHaveTextAsync(DemoFacilities.Clinic.Name);

        await link.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=document-viewer]")).ToBeVisibleAsync(new() { Timeout = Slow });
        await page.GotoInteractiveAsync("/");
        await Assertions.Expect(page.Locator($"[data-testid=home-letter-open][href='letters/{letter}']")).ToHaveCountAsync(0, new() { Timeout = Slow });
        if (before > 1)
        {
            await Assertions.Expect(count).ToHaveTextAsync($"{before - 1} 件の未読", new() { Timeout = Slow });
        }
        else
        {
            await Assertions.Expect(page.Locator("[data-testid=home-letters-empty]")).ToBeVisibleAsync(new() { Timeout = Slow });
        }

        // Open a record, start a letter from it, and come back: both are on the home page, the patient by name in the page only.
        await page.GotoInteractiveAsync($"patients/{patientId}");
        await Assertions.Expect(page.Locator("[data-testid=patient-banner]")).ToContainTextAsync("鈴木 トメ", new() { Timeout = Slow });
        await Eventually.PassAsync(async () =>
        {
            await page.Locator("[data-testid=compose-referral]").ClickAsync(new() { Timeout = 2000 });
            await page.WaitForURLAsync(new Regex("/referrals/drafts/[0-9a-f-]{36}$"), new() { Timeout = 5000 });
        });
        var draftUrl = new Uri(page.Url).AbsolutePath.TrimStart('/');
        await page.GotoInteractiveAsync("/");
        var recent = page.Locator("[data-testid=home-recent-open]");
        await Assertions.Expect(recent).ToHaveTextAsync(["鈴木 トメ"], new() { Timeout = Slow });
        Assert.Equal($"patients/{patientId}", await recent.GetAttributeAsync("href"));
        Assert.DoesNotContain("鈴木", Uri.UnescapeDataString(page.Url), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator($"[data-testid=home-draft-open][href='{draftUrl}']")).ToHaveTextAsync("鈴木 トメ の紹介状の続きを書く", new() { Timeout = Slow });
        await Assertions.Expect(page.Locator("[data-testid=home-drafts-count]")).ToHaveTextAsync(new Regex(@"^\d+ 件$"));
        Assert.Empty(await page.Locator("[data-testid$=-error]").AllAsync());

        await recent.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/patients/{Regex.Escape(patientId)}$"), new() { Timeout = Slow });

        // A new sign-in starts an empty list: it was kept for that session only, on the server.
        await using var again = await fixture.NewContextAsync("ja-JP");
        var fresh = await again.NewPageAsync();
        await SignIn.AsAsync(fresh, "doctor@hospital.example");
        await fresh.GotoInteractiveAsync("/");
        await Assertions.Expect(fresh.Locator("[data-testid=home-recent-empty]")).ToBeVisibleAsync(new() { Timeout = Slow });
        await Assertions.Expect(fresh.Locator($"[data-testid=home-draft-open][href='{draftUrl}']")).ToBeVisibleAsync(new() { Timeout = Slow });
    }

    [Fact]
    public async Task Facility_administrator_home_shows_what_needs_attention_and_no_clinical_tiles()
    {
        await using var context = await fixture.NewContextAsync("ja-JP");
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "admin@hospital.example");

        await page.GotoInteractiveAsync("/");

        await Assertions.Expect(page.Locator("[data-testid=home-emergency-count], [data-testid=home-emergency-empty]")).ToBeVisibleAsync(new() { Timeout = Slow });
        await Assertions.Expect(page.Locator("[data-testid=home-accounts-count], [data-testid=home-accounts-empty]")).ToBeVisibleAsync(new() { Timeout = Slow });
        Assert.Equal("admin/notifications", await page.Locator("[data-testid=home-emergency-open]").GetAttributeAsync("href"));
        Assert.Equal("admin/accounts", await page.Locator("[data-testid=home-accounts-all]").GetAttributeAsync("href"));
        await Assertions.Expect(page.Locator("[data-testid=home-letters], [data-testid=home-drafts], [data-testid=home-recent]")).ToHaveCountAsync(0);
        // Every account listed is the hospital's: a facility administrator sees no other facility's.
        foreach (var account in await page.Locator("[data-testid=home-account]").AllAsync())
        {
            Assert.DoesNotContain(DemoFacilities.Clinic.Name, await account.InnerTextAsync(), StringComparison.Ordinal);
        }

        await page.Locator("[data-testid=home-emergency-open]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/admin/notifications$"), new() { Timeout = Slow });
    }

    [Fact]
    public async Task System_administrator_home_shows_the_accounts_tile_only()
    {
        await using var context = await fixture.NewContextAsync("ja-JP");
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "sysadmin@mednet.example");

        await page.GotoInteractiveAsync("/");

        await Assertions.Expect(page.Locator("[data-testid=home-accounts-count], [data-testid=home-accounts-empty]")).ToBeVisibleAsync(new() { Timeout = Slow });
        await Assertions.Expect(page.Locator("[data-testid=home-emergency], [data-testid=home-letters]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Language_menu_switches_to_English_and_the_choice_sticks()
    {
        await using var context = await fixture.NewContextAsync("ja-JP");
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "doctor@hospital.example");
        await page.GotoAsync("/");
        Assert.Equal("ja", await page.Locator("html").GetAttributeAsync("lang"));

        await Eventually.PassAsync(async () =>
        {
            await page.Locator("[data-testid=language-menu] button").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=language-en]")).ToBeVisibleAsync(new() { Timeout = 500 });
        });
        // The menu's popover animates in; on a busy machine it never counted as "stable" within the wait. It is visible.
        await page.Locator("[data-testid=language-en]").ClickAsync(new() { Force = true });

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Home");
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#home-letters-title")).ToHaveTextAsync("Unread letters");
        await Assertions.Expect(page).ToHaveTitleAsync("Home - MedNetPortal");
    }

    [GeneratedRegex(@"^(\d+) 件の未読$")]
    private static partial Regex UnreadCount();
}

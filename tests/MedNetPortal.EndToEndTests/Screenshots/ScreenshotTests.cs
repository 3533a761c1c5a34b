using System.Text.RegularExpressions;
using MedNetPortal.EndToEndTests.Infrastructure;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Screenshots;

/// <summary>Runs only when <c>MEDNET_SCREENSHOTS_DIR</c> names a folder (see README: regenerating docs/screenshots).</summary>
public sealed class ScreenshotFactAttribute : FactAttribute
{
    public ScreenshotFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ScreenshotTests.FolderVariable)))
        {
            Skip = $"Set {ScreenshotTests.FolderVariable} to a folder to take the documentation screenshots.";
        }
    }
}

/// <summary>
/// Takes the screenshots in docs/screenshots: each main page in Japanese and English, at desktop (1366×768) and phone
/// (390×844) widths, after the page has really loaded its data (so a broken page fails instead of being photographed).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScreenshotTests(BrowserFixture fixture)
{
    public const string FolderVariable = "MEDNET_SCREENSHOTS_DIR";

    private static readonly (string Name, int Width, int Height)[] Sizes = [("desktop", 1366, 768), ("phone", 390, 844)];

    [ScreenshotFact]
    public async Task Main_pages_in_Japanese_and_English_at_desktop_and_phone_widths()
    {
        var folder = Path.GetFullPath(Environment.GetEnvironmentVariable(FolderVariable)!);
        await WaitForDemoLettersAsync();
        Directory.CreateDirectory(folder);
        foreach (var language in new[] { "ja", "en" })
        {
            foreach (var (size, width, height) in Sizes)
            {
                await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
                {
                    BaseURL = fixture.Portal.RootUri.ToString(),
                    Locale = "ja-JP",
                    ViewportSize = new ViewportSize { Width = width, Height = height },
                });
                var page = await context.NewPageAsync();
                if (language == "en")
                {
                    await page.GotoAsync("culture/set?culture=en&redirectUri=%2Faccount%2Flogin");
                }
                else
                {
                    await page.GotoAsync("account/login");
                }

                await ShootAsync(page, folder, "01-sign-in", language, size);
                await page.GetByLabel(language == "en" ? "Email" : "メールアドレス").FillAsync("doctor@hospital.example");
                await page.GetByLabel(language == "en" ? "Password" : "パスワード").FillAsync(MedNetPortal.Web.Features.Demo.DemoOptions.DefaultPassword);
                await page.Locator("[data-testid=login-submit]").ClickAsync();
                await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
                // The home page's screenshots (02-home, 33-home-admin) come from HomeScreenshotTests, with data on every tile.

                await page.GotoAsync("patients");
                var en = language == "en";
                ILocator Field(string ja, string english) => page.GetByLabel(en ? english : ja, new() { Exact = true });
                var insurer = Field("保険者番号", "Insurer number");
                await Eventually.PassAsync(async () =>
                {
                    await insurer.FillAsync("06134523");
                    await Assertions.Expect(page.GetByText(en ? "check digit" : "検証番号", new() { Exact = false }).First).ToBeVisibleAsync(new() { Timeout = 1000 });
                });
                await ShootAsync(page, folder, "03-lookup-check-digit-error", language, size);

                await insurer.FillAsync("01137116");
                await Field("記号", "Symbol").FillAsync("A12");
                await Field("番号", "Number").FillAsync("3456789");
                await Field("番号", "Number").PressAsync("Enter");
                await page.WaitForURLAsync(new Regex("/patients/[A-Za-z0-9.-]+$"));
                await Assertions.Expect(page.Locator("[data-testid=diagnosis-row]").First).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator("[data-testid=letter-row]").First).ToBeVisibleAsync();
                await ShootAsync(page, folder, "04-patient-record", language, size);

                await page.Locator("[data-testid=letter-link]").First.ClickAsync();
                await Assertions.Expect(page.Locator("[data-testid=document-viewer]")).ToBeVisibleAsync();
                await ShootAsync(page, folder, "05-letter", language, size);

                await page.EmulateMediaAsync(new() { Media = Media.Print });
                await ShootAsync(page, folder, "06-letter-print", language, size);
                await page.EmulateMediaAsync(new() { Media = Media.Screen });

                await page.GoBackAsync();
                var recordUrl = page.Url;
                await page.GotoAsync("referrals/inbox");
                await Assertions.Expect(page.Locator("[data-testid=mailbox-row]").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
                await ShootAsync(page, folder, "07-inbox", language, size);
                await page.GotoAsync("referrals/outbox");
                await Assertions.Expect(page.Locator("[data-testid=mailbox-row]").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
                await ShootAsync(page, folder, "08-outbox", language, size);

                // Compose from the record page: a hospital doctor writes back to the demo clinic.
                await page.GotoAsync(recordUrl);
                await Eventually.PassAsync(async () =>
                {
                    await page.Locator("[data-testid=compose-referral]").ClickAsync(new() { Timeout = 2000 });
                    await page.WaitForURLAsync(new Regex("/referrals/drafts/[0-9a-f-]{36}$"), new() { Timeout = 5000 });
                });
                await Eventually.PassAsync(async () =>
                {
                    await page.Locator("#ref-destination-search").FillAsync(MedNetPortal.Web.Features.Demo.DemoFacilities.ClinicCode, new() { Timeout = 2000 });
                    await page.Locator("[data-testid=destination-search-button]").ClickAsync(new() { Timeout = 2000 });
                    await page.Locator("[data-testid=destination-result] button").First.ClickAsync(new() { Timeout = 3000 });
                });
                await page.Locator("#ref-destination-doctor").FillAsync("森 一郎");
                await page.Locator("#ref-purpose").FillAsync(en ? "Please continue follow-up of hypertension." : "高血圧症の継続加療をお願いいたします。");
                await page.Locator("#ref-diagnoses").FillAsync(en ? "Hypertension" : "高血圧症");
                await page.Locator("#ref-present-illness").FillAsync(en ? "Blood pressure stable on amlodipine 5 mg." : "アムロジピン5mg内服で血圧は安定しています。");
                await page.Locator("#ref-family-history").FillAsync(en ? "Father: myocardial infarction" : "父 心筋梗塞");
                await page.Locator("#ref-medication").FillAsync(en ? "Amlodipine 5 mg once daily" : "アムロジピン錠5mg 1日1回朝食後");
                await Assertions.Expect(page.Locator("[data-testid=save-saved]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
                await page.Locator("[data-testid=preview-button]").ClickAsync();
                await Assertions.Expect(page.Locator("[data-testid=preview-valid]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
                await ShootAsync(page, folder, "09-compose", language, size);
                await page.EmulateMediaAsync(new() { Media = Media.Print });
                await ShootAsync(page, folder, "10-compose-print", language, size);

                // Administration, as the system administrator.
                await using var adminContext = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
                {
                    BaseURL = fixture.Portal.RootUri.ToString(),
                    Locale = "ja-JP",
                    ViewportSize = new ViewportSize { Width = width, Height = height },
                });
                var admin = await adminContext.NewPageAsync();
                await admin.GotoAsync(en ? "culture/set?culture=en&redirectUri=%2Faccount%2Flogin" : "account/login");
                await admin.GetByLabel(en ? "Email" : "メールアドレス").FillAsync("sysadmin@mednet.example");
                await admin.GetByLabel(en ? "Password" : "パスワード").FillAsync(MedNetPortal.Web.Features.Demo.DemoOptions.DefaultPassword);
                await admin.Locator("[data-testid=login-submit]").ClickAsync();
                await admin.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
                await admin.GotoAsync("admin/facilities");
                await Assertions.Expect(admin.Locator("[data-testid=facility-row]").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
                await ShootAsync(admin, folder, "11-admin-facilities", language, size);
                await admin.GotoAsync($"admin/facilities/{MedNetPortal.Web.Features.Demo.DemoFacilities.ClinicCode}");
                await Assertions.Expect(admin.Locator("#facility-code")).ToHaveValueAsync(MedNetPortal.Web.Features.Demo.DemoFacilities.ClinicCode, new() { Timeout = 30_000 });
                await ShootAsync(admin, folder, "12-admin-facility", language, size);
                await admin.GotoAsync("admin/accounts");
                await Assertions.Expect(admin.Locator("[data-testid=account-row]").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
                await ShootAsync(admin, folder, "13-admin-accounts", language, size);
                await admin.GotoAsync("admin/accounts/new");
                await Assertions.Expect(admin.Locator("#account-name")).ToBeEnabledAsync(new() { Timeout = 30_000 });
                await ShootAsync(admin, folder, "14-admin-account-new", language, size);
                await admin.GotoAsync("admin/audit");
                await Assertions.Expect(admin.Locator("[data-testid=audit-row]").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
                await Assertions.Expect(admin.Locator("[data-testid=audit-chain-intact]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
                await ShootAsync(admin, folder, "15-admin-audit", language, size);

                // The demo patient without consent, as the hospital doctor: the explanation, then the emergency access form.
                var withoutConsent = await DemoSeeding.PatientIdAsync(fixture.Portal, MedNetPortal.Web.Features.Demo.DemoPatients.KobayashiMinoru);
                await page.EmulateMediaAsync(new() { Media = Media.Screen });
                await page.GotoAsync($"patients/{withoutConsent}");
                await Assertions.Expect(page.Locator("[data-testid=access-denied]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
                await ShootAsync(page, folder, "16-consent-missing", language, size);
                // The confirmation asked before a consent is recorded (not submitted: the patient stays without consent).
                await page.Locator("[data-testid=record-consent]").ClickAsync();
                await page.Locator("[data-testid=consent-reason-other]").CheckAsync();
                await page.Locator("[data-testid=consent-confirm-submit]").ClickAsync();
                await Assertions.Expect(page.Locator("[data-testid=consent-reason-missing]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
                await ShootAsync(page, folder, "16-consent-confirm", language, size);
                await page.GotoAsync($"patients/{withoutConsent}/emergency");
                await Assertions.Expect(page.Locator("[data-testid=emergency-submit]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
                await ShootAsync(page, folder, "17-emergency-access", language, size);

                // Two-factor enrolment asks for the password again.
                await page.GotoAsync("account/two-factor");
                await Assertions.Expect(page.Locator("#two-factor-password")).ToBeVisibleAsync(new() { Timeout = 30_000 });
                await ShootAsync(page, folder, "18-two-factor", language, size);

                // A facility administrator's own facility: the name and the two flags are the SystemAdmin's.
                await using var facilityAdminContext = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
                {
                    BaseURL = fixture.Portal.RootUri.ToString(),
                    Locale = "ja-JP",
                    ViewportSize = new ViewportSize { Width = width, Height = height },
                });
                var facilityAdmin = await facilityAdminContext.NewPageAsync();
                await facilityAdmin.GotoAsync(en ? "culture/set?culture=en&redirectUri=%2Faccount%2Flogin" : "account/login");
                await facilityAdmin.GetByLabel(en ? "Email" : "メールアドレス").FillAsync("admin@hospital.example");
                await facilityAdmin.GetByLabel(en ? "Password" : "パスワード").FillAsync("wrong-password-1");
                await facilityAdmin.Locator("[data-testid=login-submit]").ClickAsync();
                await Assertions.Expect(facilityAdmin.Locator("[data-testid=login-error]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
                await ShootAsync(facilityAdmin, folder, "19-sign-in-failed", language, size);
                await facilityAdmin.GetByLabel(en ? "Email" : "メールアドレス").FillAsync("admin@hospital.example");
                await facilityAdmin.GetByLabel(en ? "Password" : "パスワード").FillAsync(MedNetPortal.Web.Features.Demo.DemoOptions.DefaultPassword);
                await facilityAdmin.Locator("[data-testid=login-submit]").ClickAsync();
                await facilityAdmin.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
                await facilityAdmin.GotoAsync($"admin/facilities/{MedNetPortal.Web.Features.Demo.DemoFacilities.HospitalCode}");
                await Assertions.Expect(facilityAdmin.Locator("[data-testid=facility-system-only]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
                await ShootAsync(facilityAdmin, folder, "20-admin-facility-own", language, size);
            }
        }
    }

    /// <summary>The record's groups for a demo patient who has them all (鈴木 トメ), each group on its own, then the timeline.</summary>
    [ScreenshotFact]
    public async Task Record_groups_and_timeline_in_Japanese_and_English_at_desktop_and_phone_widths()
    {
        var folder = Path.GetFullPath(Environment.GetEnvironmentVariable(FolderVariable)!);
        await WaitForDemoLettersAsync();
        Directory.CreateDirectory(folder);
        var suzuki = await DemoSeeding.PatientIdAsync(fixture.Portal, MedNetPortal.Web.Features.Demo.DemoPatients.SuzukiTome);
        foreach (var language in new[] { "ja", "en" })
        {
            var en = language == "en";
            foreach (var (size, width, height) in Sizes)
            {
                await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
                {
                    BaseURL = fixture.Portal.RootUri.ToString(),
                    Locale = "ja-JP",
                    ViewportSize = new ViewportSize { Width = width, Height = height },
                });
                var page = await context.NewPageAsync();
                await page.GotoAsync(en ? "culture/set?culture=en&redirectUri=%2Faccount%2Flogin" : "account/login");
                await page.GetByLabel(en ? "Email" : "メールアドレス").FillAsync("doctor@hospital.example");
                await page.GetByLabel(en ? "Password" : "パスワード").FillAsync(MedNetPortal.Web.Features.Demo.DemoOptions.DefaultPassword);
                await page.Locator("[data-testid=login-submit]").ClickAsync();
                await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));

                await page.GotoAsync($"patients/{suzuki}");
                await Assertions.Expect(page.Locator("[data-testid=labs-row]").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
                await Assertions.Expect(page.Locator("[data-testid=prescription-row]").First).ToBeVisibleAsync();
                await ShootAsync(page, folder, "21-record-groups", language, size);
                await ShootElementAsync(page.Locator("[data-testid=patient-banner]"), folder, "22-record-banner", language, size);
                await ShootElementAsync(page.Locator("[data-testid=contraindications]"), folder, "23-record-contraindications", language, size);
                await ShootElementAsync(page.Locator("[data-testid=prescriptions]"), folder, "24-record-prescriptions", language, size);
                var bnp = page.Locator("[data-testid=labs-row]", new() { HasText = "BNP" });
                await Eventually.PassAsync(async () =>
                {
                    await bnp.Locator("[data-testid=lab-trend-toggle]").ClickAsync(new() { Timeout = 2000 });
                    await Assertions.Expect(page.Locator("[data-testid=lab-chart] svg")).ToBeVisibleAsync(new() { Timeout = 2000 });
                });
                await ShootElementAsync(page.Locator("[data-testid=labs]"), folder, "25-record-labs-trend", language, size);
                await ShootElementAsync(page.Locator("[data-testid=infections]"), folder, "26-record-infections", language, size);
                await page.EmulateMediaAsync(new() { Media = Media.Print });
                await ShootAsync(page, folder, "27-record-print", language, size);
                await page.EmulateMediaAsync(new() { Media = Media.Screen });

                await page.Locator("[data-testid=view-timeline]").ClickAsync();
                await Assertions.Expect(page.Locator("[data-testid=timeline-item]").First).ToBeVisibleAsync();
                // Away from the buttons, and past their ripple, so the view switch shows as it stays.
                await page.Mouse.MoveAsync(width - 5, height - 5);
                await page.WaitForTimeoutAsync(600);
                await ShootAsync(page, folder, "28-record-timeline", language, size);
                await page.Locator("[data-testid=timeline-kind-lab]").ClickAsync();
                await page.Locator("#timeline-facility").SelectOptionAsync(new SelectOptionValue { Label = "はまかぜ記念病院" });
                await Assertions.Expect(page.Locator("[data-testid=timeline-item]")).ToHaveCountAsync(2);
                await page.Mouse.MoveAsync(width - 5, height - 5);
                await page.WaitForTimeoutAsync(600);
                await ShootAsync(page, folder, "29-record-timeline-filtered", language, size);

                // The documents: the record's list, the discharge summary and the check-up report in the viewer.
                await page.Locator("[data-testid=view-groups]").ClickAsync();
                await Assertions.Expect(page.Locator("[data-testid=letter-row]")).ToHaveCountAsync(3);
                await ShootElementAsync(page.Locator("[data-testid=letters]"), folder, "30-record-documents", language, size);
                await page.Locator("[data-testid=letter-row][data-kind=dischargesummary] [data-testid=letter-link]").ClickAsync();
                await Assertions.Expect(page.Locator("[data-testid=document-stay]")).ToBeVisibleAsync();
                await ShootAsync(page, folder, "31-discharge-summary", language, size);
                await page.GoBackAsync();
                await page.Locator("[data-testid=letter-row][data-kind=checkupreport] [data-testid=letter-link]").ClickAsync();
                await Assertions.Expect(page.Locator("[data-testid=document-result]").First).ToBeVisibleAsync();
                await ShootAsync(page, folder, "32-checkup-report", language, size);
            }
        }
    }

    /// <summary>One element, cut from the full page (so the fixed app bar does not cover it).</summary>
    internal static async Task ShootElementAsync(ILocator locator, string folder, string name, string language, string size)
    {
        var box = await locator.EvaluateAsync<double[]>(
            "e => { const r = e.getBoundingClientRect(); return [r.left + window.scrollX, r.top + window.scrollY, r.width, r.height]; }");
        await locator.Page.ScreenshotAsync(new()
        {
            Path = Path.Combine(folder, $"{name}-{language}-{size}.png"),
            FullPage = true,
            Clip = new Clip { X = (float)Math.Max(0, box[0] - 8), Y = (float)Math.Max(0, box[1] - 8), Width = (float)box[2] + 16, Height = (float)box[3] + 16 },
        });
    }

    private async Task WaitForDemoLettersAsync()
    {
        using var http = fixture.Portal.CreateBaseClient();
        var expected = $"\"total\":{MedNetPortal.Web.Features.Demo.DemoLetters.All.Count + MedNetPortal.Web.Features.Demo.DemoDocuments.All().Count}";
        for (var i = 0; i < 600; i++)
        {
            var body = await http.GetStringAsync(new Uri("fhir/Bundle?_summary=count", UriKind.Relative));
            if (body.Contains(expected, StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail("The demo letters were not seeded in time.");
    }

    internal static Task ShootAsync(IPage page, string folder, string name, string language, string size) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}-{language}-{size}.png"), FullPage = true });
}

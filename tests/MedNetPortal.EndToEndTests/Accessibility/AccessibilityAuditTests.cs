using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MedNetPortal.EndToEndTests.Account;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Demo;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Accessibility;

/// <summary>
/// Its own portal (demo data on): the keyboard journey sends a letter and the audit opens drafts, which must not change what
/// the other browser tests count. Collections run one at a time (AssemblyInfo), so this costs one start-up, not a second
/// machine's worth of load.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AccessibilityCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Accessibility";
}

/// <summary>
/// axe-core at WCAG 2.2 AA (tags wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa) on every routable page of the portal, in
/// Japanese and in English, in the states that show different markup (empty, invalid, with results, every record group,
/// dialogs open). The test fails with every violation (rule, impact, targets, help) and with every <c>@page</c> route it
/// did not visit, so a new page cannot escape the audit. No rule is disabled.
/// </summary>
[Collection(AccessibilityCollection.Name)]
public sealed class AccessibilityAuditTests(BrowserFixture browser)
{
    private const float Slow = 30_000;

    [Theory]
    [InlineData("ja", false)]
    [InlineData("en", false)]
    [InlineData("ja", true)]
    [InlineData("en", true)]
    public async Task Every_page_has_no_axe_violations_at_WCAG_2_2_AA(string language, bool phone)
    {
        var audit = new AxeAudit(language, phone);
        var suzuki = await DemoSeeding.PatientIdAsync(browser.Portal, DemoPatients.SuzukiTome);
        var kobayashi = await DemoSeeding.PatientIdAsync(browser.Portal, DemoPatients.KobayashiMinoru);

        await AnonymousPagesAsync(audit, language);
        await TwoFactorSignInPagesAsync(audit, language);
        await ClinicianPagesAsync(audit, language, suzuki, kobayashi);
        await AdminPagesAsync(audit, language);

        audit.AssertClean();
    }

    /// <summary>A context whose browser asks for <paramref name="language"/> (Accept-Language), as a first visit would.</summary>
    internal static Task<IBrowserContext> ContextAsync(BrowserFixture browser, string language) =>
        browser.NewContextAsync(language == "en" ? "en-US" : "ja-JP");

    /// <summary>A context in the audit's language, at a desktop's or a phone's width.</summary>
    private Task<IBrowserContext> ContextAsync(AxeAudit audit) =>
        audit.Phone ? browser.NewPhoneContextAsync(audit.Language == "en" ? "en-US" : "ja-JP") : ContextAsync(browser, audit.Language);

    /// <summary>Signs in through the form by its element ids (the labels differ by language).</summary>
    internal static async Task SignInAsync(IPage page, string email, string? password = null)
    {
        await page.GotoAsync("account/login");
        await page.Locator("#login-email").FillAsync(email);
        await page.Locator("#login-password").FillAsync(password ?? DemoOptions.DefaultPassword);
        await page.Locator("[data-testid=login-submit]").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath != "/account/login", new() { Timeout = Slow });
    }

    private async Task AnonymousPagesAsync(AxeAudit audit, string language)
    {
        await using var context = await ContextAsync(audit);
        var page = await context.NewPageAsync();
        await page.GotoAsync("account/login");
        await audit.PageAsync(page, "/account/login", "empty");

        await page.Locator("#login-email").FillAsync("nobody@test.example");
        await page.Locator("#login-password").FillAsync("wrong-password-1");
        await page.Locator("[data-testid=login-submit]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToBeVisibleAsync(new() { Timeout = Slow });
        await audit.PageAsync(page, "/account/login", "wrong password");

        await page.GotoAsync("account/access-denied");
        await audit.PageAsync(page, "/account/access-denied", "anonymous");
        await page.GotoAsync("account/not-registered");
        await audit.PageAsync(page, "/account/not-registered", "anonymous");
        await page.GotoAsync("Error");
        await audit.PageAsync(page, "/Error", "direct");
    }

    private async Task TwoFactorSignInPagesAsync(AxeAudit audit, string language)
    {
        var email = await TestAccounts.CreateAsync(browser.Portal.Services, "a11y-2fa");
        await using (var scope = browser.Portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = (await users.FindByEmailAsync(email))!;
            await users.ResetAuthenticatorKeyAsync(user);
            Assert.True((await users.SetTwoFactorEnabledAsync(user, true)).Succeeded);
        }

        await using var context = await ContextAsync(audit);
        var page = await context.NewPageAsync();
        await SignInAsync(page, email, TestAccounts.Password);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login-2fa"));
        await audit.PageAsync(page, "/account/login-2fa", "code asked");
        await page.Locator("main a[href*='login-recovery']").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login-recovery"));
        await audit.PageAsync(page, "/account/login-recovery", "code asked");
    }

    private async Task ClinicianPagesAsync(AxeAudit audit, string language, string suzuki, string kobayashi)
    {
        await using var context = await ContextAsync(audit);
        var page = await context.NewPageAsync();
        await SignInAsync(page, "doctor@hospital.example");
        await page.Locator("main[data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = Slow });
        await audit.PageAsync(page, "/", "clinician");

        // The language menu open (a popover).
        await page.GetByTestId("language-menu").Locator("button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("language-en")).ToBeVisibleAsync();
        // Audited once it has faded in: mid-animation its text is still pale.
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.mud-popover-open')].every(p => getComputedStyle(p).opacity === '1')");
        await audit.PageAsync(page, "/", "clinician, language menu open");
        await page.Keyboard.PressAsync("Escape");

        await page.GotoInteractiveAsync("patients");
        await audit.PageAsync(page, "/patients", "empty");
        var insurer = page.Locator("#lookup-insurer");
        await Eventually.PassAsync(async () =>
        {
            await insurer.FillAsync("06134523");
            await Assertions.Expect(page.Locator(".mud-input-error").First).ToBeVisibleAsync(new() { Timeout = 1000 });
        });
        await audit.PageAsync(page, "/patients", "check-digit error");
        await DemoSeeding.TwoPatientsSharingAnIdentifierAsync(browser.Portal, "06134522:8888:4343:", "同番");
        await insurer.FillAsync("06134522");
        await page.Locator("#lookup-symbol").FillAsync("8888");
        await page.Locator("#lookup-number").FillAsync("4343");
        await page.Locator("#lookup-number").PressAsync("Enter");
        await Assertions.Expect(page.Locator("[data-testid=lookup-match]")).ToHaveCountAsync(2, new() { Timeout = Slow });
        await audit.PageAsync(page, "/patients", "several results");
        await page.Locator("#lookup-symbol").FillAsync("9999");
        await page.Locator("#lookup-number").PressAsync("Enter");
        await Assertions.Expect(page.Locator("[data-testid=lookup-not-found]")).ToBeVisibleAsync(new() { Timeout = Slow });
        await audit.PageAsync(page, "/patients", "not found");

        // The record with every group, then the lab trend, then the timeline.
        await page.GotoInteractiveAsync($"patients/{suzuki}");
        await Assertions.Expect(page.Locator("[data-testid=labs-row]").First).ToBeVisibleAsync(new() { Timeout = Slow });
        await Assertions.Expect(page.Locator("[data-testid=prescription-row]").First).ToBeVisibleAsync(new() { Timeout = Slow });
        await Assertions.Expect(page.Locator("[data-testid=letter-row]").First).ToBeVisibleAsync(new() { Timeout = Slow });
        await Assertions.Expect(page.Locator("[data-testid=who-viewed-row]").First).ToBeVisibleAsync(new() { Timeout = Slow });
        await audit.PageAsync(page, "/patients/{Id}", "every group, who viewed");
        await Eventually.PassAsync(async () =>
        {
            await page.Locator("[data-testid=lab-trend-toggle]").First.ClickAsync(new() { Timeout = 2000 });
            await Assertions.Expect(page.Locator("[data-testid=lab-trend]")).ToBeVisibleAsync(new() { Timeout = 2000 });
        });
        await audit.PageAsync(page, "/patients/{Id}", "lab trend open");
        await page.Locator("[data-testid=view-timeline]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=timeline-item]").First).ToBeVisibleAsync(new() { Timeout = Slow });
        await audit.PageAsync(page, "/patients/{Id}", "timeline");
        await page.Locator("[data-testid=view-groups]").ClickAsync();
        var letterHref = await page.Locator("[data-testid=letter-row][data-kind=referralletter] [data-testid=letter-link]").First.GetAttributeAsync("href");

        // A letter, a discharge summary and a check-up report (each kind renders its own sections).
        foreach (var kind in new[] { "referralletter", "dischargesummary", "checkupreport" })
        {
            var href = await page.Locator($"[data-testid=letter-row][data-kind={kind}] [data-testid=letter-link]").First.GetAttributeAsync("href");
            await page.GotoInteractiveAsync(href!);
            await Assertions.Expect(page.Locator("[data-testid=document-viewer]")).ToBeVisibleAsync(new() { Timeout = Slow });
            await audit.PageAsync(page, "/letters/{Id}", kind);
            await page.GoBackAsync();
            await Assertions.Expect(page.Locator("[data-testid=letter-row]").First).ToBeVisibleAsync(new() { Timeout = Slow });
        }

        Assert.NotNull(letterHref);

        // Consent refused (the hospital is an emergency hospital: the emergency offer shows), the confirmation form, and
        // the emergency access form.
        await page.GotoInteractiveAsync($"patients/{kobayashi}");
        await Assertions.Expect(page.Locator("[data-testid=access-denied]")).ToBeVisibleAsync(new() { Timeout = Slow });
        await Assertions.Expect(page.Locator("[data-testid=emergency-access]")).ToBeVisibleAsync(new() { Timeout = Slow });
        await audit.PageAsync(page, "/patients/{Id}", "consent refused");
        await Eventually.PassAsync(async () =>
        {
            await page.Locator("[data-testid=record-consent]").ClickAsync(new() { Timeout = 2000 });
            await Assertions.Expect(page.Locator("[data-testid=consent-confirm]")).ToBeVisibleAsync(new() { Timeout = 2000 });
        });
        await audit.PageAsync(page, "/patients/{Id}", "consent confirmation form");
        await page.GotoInteractiveAsync($"patients/{kobayashi}/emergency");
        await Assertions.Expect(page.Locator("[data-testid=emergency-form]")).ToBeVisibleAsync(new() { Timeout = Slow });
        await audit.PageAsync(page, "/patients/{Id}/emergency", "form");

        // Compose: a new letter, its validation errors, then a letter from the record with its preview.
        await page.GotoInteractiveAsync("referrals/new");
        await Assertions.Expect(page.Locator("[data-testid=preview-button]")).ToBeVisibleAsync(new() { Timeout = Slow });
        await audit.PageAsync(page, "/referrals/new", "new letter");
        await Eventually.PassAsync(async () =>
        {
            await page.Locator("[data-testid=preview-button]").ClickAsync(new() { Timeout = 2000 });
            await Assertions.Expect(page.Locator("[data-testid=referral-problems]")).ToBeVisibleAsync(new() { Timeout = 5000 });
        });
        await audit.PageAsync(page, "/referrals/new", "validation errors");

        await page.GotoInteractiveAsync($"patients/{suzuki}");
        await Eventually.PassAsync(async () =>
        {
            await page.Locator("[data-testid=compose-referral]").ClickAsync(new() { Timeout = 2000 });
            await page.WaitForURLAsync(new Regex("/referrals/drafts/[0-9a-f-]{36}$"), new() { Timeout = 5000 });
        });
        await Eventually.PassAsync(async () =>
        {
            await page.Locator("#ref-destination-search").FillAsync(DemoFacilities.ClinicCode, new() { Timeout = 2000 });
            await page.Locator("[data-testid=destination-search-button]").ClickAsync(new() { Timeout = 2000 });
            await Assertions.Expect(page.Locator("[data-testid=destination-result]").First).ToBeVisibleAsync(new() { Timeout = 3000 });
        });
        await audit.PageAsync(page, "/referrals/drafts/{DraftId:guid}", "draft, destination results");
        await page.Locator("[data-testid=destination-result] button").First.ClickAsync();
        await page.Locator("#ref-destination-doctor").FillAsync("森 一郎");
        await page.Locator("#ref-purpose").FillAsync("高血圧症の継続加療をお願いいたします。");
        await page.Locator("#ref-diagnoses").FillAsync("高血圧症");
        await page.Locator("#ref-present-illness").FillAsync("血圧は安定しています。");
        await page.Locator("#ref-present-illness").PressAsync("Tab");
        await Assertions.Expect(page.Locator("[data-testid=save-saved]")).ToBeVisibleAsync(new() { Timeout = Slow });
        await page.Locator("[data-testid=preview-button]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=preview] article").First).ToBeVisibleAsync(new() { Timeout = Slow });
        await audit.PageAsync(page, "/referrals/drafts/{DraftId:guid}", "preview");

        await page.GotoInteractiveAsync("referrals/drafts");
        await Assertions.Expect(page.Locator("[data-testid=draft-row]").First).ToBeVisibleAsync(new() { Timeout = Slow });
        await audit.PageAsync(page, "/referrals/drafts", "with drafts");

        await page.GotoInteractiveAsync("referrals/inbox");
        await Assertions.Expect(page.Locator("[data-testid=mailbox-row]").First).ToBeVisibleAsync(new() { Timeout = Slow });
        await audit.PageAsync(page, "/referrals/inbox", "with letters");
        await page.GotoInteractiveAsync("referrals/outbox");
        await Assertions.Expect(page.Locator("[data-testid=mailbox-table], [data-testid=mailbox-empty]").First).ToBeVisibleAsync(new() { Timeout = Slow });
        await audit.PageAsync(page, "/referrals/outbox", "outbox");

        await page.GotoAsync("account/two-factor");
        await Assertions.Expect(page.Locator("[data-testid=shared-key]")).ToBeVisibleAsync(new() { Timeout = Slow });
        await audit.PageAsync(page, "/account/two-factor", "enrolment");
        await page.GotoAsync("account/access-denied");
        await audit.PageAsync(page, "/account/access-denied", "signed in");

        // Not found: an unknown address renders the not-found page; its own route too.
        await page.GotoAsync("no-such-page");
        await Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync(new() { Timeout = Slow });
        await audit.PageAsync(page, "/not-found", "unknown address");
        await page.GotoAsync("not-found");
        await audit.PageAsync(page, "/not-found", "direct");
    }

    private async Task AdminPagesAsync(AxeAudit audit, string language)
    {
        await using (var facilityContext = await ContextAsync(audit))
        {
            var admin = await facilityContext.NewPageAsync();
            await SignInAsync(admin, "admin@hospital.example");
            await admin.Locator("main[data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = Slow });
            await audit.PageAsync(admin, "/", "facility administrator");
            await admin.GotoInteractiveAsync("admin/notifications");
            await Assertions.Expect(admin.Locator("[data-testid=notifications-table], [data-testid=notifications-empty]").First).ToBeVisibleAsync(new() { Timeout = Slow });
            await audit.PageAsync(admin, "/admin/notifications", "facility administrator");
        }

        await using var context = await ContextAsync(audit);
        var page = await context.NewPageAsync();
        await SignInAsync(page, "sysadmin@mednet.example");
        await page.Locator("main[data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = Slow });
        await audit.PageAsync(page, "/", "system administrator");

        await page.GotoInteractiveAsync("admin/facilities");
        await Assertions.Expect(page.Locator("[data-testid=facility-row]").First).ToBeVisibleAsync(new() { Timeout = Slow });
        await audit.PageAsync(page, "/admin/facilities", "list");
        await page.GotoInteractiveAsync($"admin/facilities/{DemoFacilities.ClinicCode}");
        await Assertions.Expect(page.Locator("#facility-code")).ToHaveValueAsync(DemoFacilities.ClinicCode, new() { Timeout = Slow });
        await audit.PageAsync(page, "/admin/facilities/{Code}", "existing facility");
        await page.GotoInteractiveAsync("admin/facilities/new");
        await Assertions.Expect(page.Locator("#facility-code")).ToBeEditableAsync(new() { Timeout = Slow });
        await audit.PageAsync(page, "/admin/facilities/new", "new facility");

        await page.GotoInteractiveAsync("admin/accounts");
        await Assertions.Expect(page.Locator("[data-testid=account-row]").First).ToBeVisibleAsync(new() { Timeout = Slow });
        await audit.PageAsync(page, "/admin/accounts", "list");
        var detail = await page.Locator("[data-testid=account-row] a").First.GetAttributeAsync("href");
        await page.GotoInteractiveAsync(detail!);
        await Assertions.Expect(page.Locator("[data-testid=account-details]")).ToBeVisibleAsync(new() { Timeout = Slow });
        await audit.PageAsync(page, "/admin/accounts/{Id}", "detail");
        await page.GotoInteractiveAsync("admin/accounts/new");
        await Assertions.Expect(page.Locator("#account-name")).ToBeEnabledAsync(new() { Timeout = Slow });
        await audit.PageAsync(page, "/admin/accounts/new", "form");

        await page.GotoInteractiveAsync("admin/audit");
        await Eventually.PassAsync(async () =>
        {
            await page.Locator("[data-testid=audit-search]").ClickAsync(new() { Timeout = 2000 });
            await Assertions.Expect(page.Locator("[data-testid=audit-row]").First).ToBeVisibleAsync(new() { Timeout = 5000 });
        });
        await audit.PageAsync(page, "/admin/audit", "with entries");
    }
}

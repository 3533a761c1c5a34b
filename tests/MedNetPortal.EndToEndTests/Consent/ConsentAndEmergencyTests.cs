using System.Text.RegularExpressions;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Web.Features.Demo;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Consent;

/// <summary>The demo patient without consent, as a new user meets it: the explanation, recording consent, emergency access.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsentAndEmergencyTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_clinic_doctor_sees_why_nothing_is_shown_records_consent_and_the_record_opens()
    {
        var id = await DemoSeeding.PatientIdAsync(browser.Portal, DemoPatients.KobayashiMinoru);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "doctor@clinic.example");

        await page.GotoAsync($"patients/{id}");

        await Assertions.Expect(page.Locator("[data-testid=access-denied-reason]")).ToContainTextAsync("同意が確認できない");
        await Assertions.Expect(page.Locator("[data-testid=diagnoses]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=emergency-access]")).ToHaveCountAsync(0); // a clinic is no emergency hospital
        await page.GetByRole(AriaRole.Button, new() { Name = "本日受付で同意を確認" }).ClickAsync();
        // A confirmation with a reason comes first (issue 11, item 8).
        await Assertions.Expect(page.Locator("[data-testid=consent-confirm]")).ToBeVisibleAsync();
        await page.GetByLabel("同意書に署名を得た").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "同意を記録して記録を開く" }).ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=patient-name]")).ToHaveTextAsync(DemoPatients.KobayashiMinoru.NameKanji, new() { Timeout = 20000 });
        await Assertions.Expect(page.Locator("[data-testid=diagnosis-row]").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=emergency-banner]")).ToHaveCountAsync(0);
        // The record's access history shows the consent recorded at reception.
        await Assertions.Expect(page.Locator("[data-testid=who-viewed-row]").Filter(new() { HasText = "受付で同意を記録" })).Not.ToHaveCountAsync(0);

        // The administrator finds both events in the trail: the refused view and the consent recorded (filtered by patient id).
        await using var adminContext = await browser.NewContextAsync();
        var admin = await adminContext.NewPageAsync();
        await SignIn.AsAsync(admin, "sysadmin@mednet.example");
        await admin.GotoInteractiveAsync("admin/audit");
        await admin.GetByLabel("患者ID", new() { Exact = true }).FillAsync(id);
        await admin.Locator("[data-testid=audit-search]").ClickAsync();
        var rows = admin.Locator("[data-testid=audit-row]");
        await Assertions.Expect(rows.Filter(new() { HasText = "同意の記録" })).Not.ToHaveCountAsync(0);
        await Assertions.Expect(rows.Filter(new() { HasText = "さくら内科クリニック" }).Filter(new() { HasText = "閲覧拒否" })).Not.ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_hospital_doctor_uses_emergency_access_a_wrong_password_is_refused_then_the_banner_shows()
    {
        var id = await DemoSeeding.PatientIdAsync(browser.Portal, DemoPatients.KobayashiMinoru);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "doctor@hospital.example");

        await page.GotoAsync($"patients/{id}");
        await Assertions.Expect(page.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
        await page.Locator("[data-testid=emergency-access]").ClickAsync();
        await page.WaitForURLAsync(new Regex("/patients/[A-Za-z0-9.-]+/emergency$"));

        var password = page.GetByLabel("パスワード（再入力）", new() { Exact = true });
        await Eventually.PassAsync(async () =>
        {
            await page.GetByLabel("意識障害", new() { Exact = true }).CheckAsync();
            await password.FillAsync("wrong-password-1234");
            await page.Locator("[data-testid=emergency-submit]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=emergency-error]")).ToContainTextAsync("パスワードが正しくありません", new() { Timeout = 2000 });
        });

        await password.FillAsync("MedNet-Demo-2026!");
        await page.Locator("[data-testid=emergency-submit]").ClickAsync();

        await page.WaitForURLAsync(new Regex("/patients/[A-Za-z0-9.-]+$"));
        await Assertions.Expect(page.Locator("[data-testid=emergency-banner]")).ToContainTextAsync("緊急時アクセスで閲覧中");
        await Assertions.Expect(page.Locator("[data-testid=patient-name]")).ToHaveTextAsync(DemoPatients.KobayashiMinoru.NameKanji);

        // The patient's "who viewed this record" panel shows the emergency view, marked as such, with the facility.
        var emergencyRows = page.Locator("[data-testid=who-viewed-row]").Filter(new() { Has = page.Locator("[data-testid=who-viewed-emergency]") });
        await Assertions.Expect(emergencyRows.First).ToContainTextAsync("みどり台総合病院");
    }
}

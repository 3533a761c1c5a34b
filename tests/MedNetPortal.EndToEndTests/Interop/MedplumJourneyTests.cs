using System.Text.RegularExpressions;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Web.Features.Demo;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Interop;

/// <summary>
/// The clinician's journeys in the browser with an independent FHIR server as the central base: lookup, record, consent at
/// reception, compose, send, inbox, open, read status, outbox. The same journeys run on the embedded base in the other
/// end-to-end tests (PatientLookupAndRecordTests, ConsentAndEmergencyTests, ComposeReferralTests, MailboxTests).
/// </summary>
[Collection(MedplumCollection.Name)]
[Trait("Tier", "Interop")]
public sealed partial class MedplumJourneyTests(MedplumPortal medplum)
{
    private const float Slow = 30_000;

    [Fact]
    public async Task Lookup_record_compose_send_then_the_hospital_opens_it_from_the_inbox_and_the_clinic_sees_it_opened()
    {
        var sato = DemoPatients.SatoKenichi;
        var purpose = "相互運用の確認 " + Guid.NewGuid().ToString("N")[..8];
        string letterId;

        await using (var context = await medplum.NewContextAsync())
        {
            var page = await context.NewPageAsync();
            await SignIn.AsAsync(page, "doctor@clinic.example");
            await LookUpAsync(page, sato);
            await Assertions.Expect(page.Locator("[data-testid=patient-name]")).ToHaveTextAsync(sato.NameKanji, new() { Timeout = Slow });
            await Assertions.Expect(page.Locator("[data-testid=diagnosis-row]").First).ToBeVisibleAsync(new() { Timeout = Slow });
            await Assertions.Expect(page.Locator("[data-testid=allergy-row]", new() { HasText = "そば" })).ToBeVisibleAsync();

            await Eventually.PassAsync(async () =>
            {
                await page.Locator("[data-testid=compose-referral]").ClickAsync(new() { Timeout = 2000 });
                await page.WaitForURLAsync(DraftUrl(), new() { Timeout = 5000 });
            });
            await Assertions.Expect(page.Locator("[data-testid=patient-from-base]")).ToContainTextAsync(sato.NameKanji, new() { Timeout = Slow });
            await Eventually.PassAsync(async () =>
            {
                await page.GetByLabel("紹介先医療機関を検索").FillAsync(DemoFacilities.HospitalCode, new() { Timeout = 2000 });
                await page.Locator("[data-testid=destination-search-button]").ClickAsync(new() { Timeout = 2000 });
                await page.GetByRole(AriaRole.Button, new() { Name = $"{DemoFacilities.Hospital.Name} を選択" }).ClickAsync(new() { Timeout = 3000 });
            });
            await Assertions.Expect(page.Locator("[data-testid=destination-connected]")).ToBeVisibleAsync();
            await page.GetByLabel("紹介目的").FillAsync(purpose);
            await page.GetByLabel("傷病名・主訴").FillAsync("心窩部痛");
            await page.GetByLabel("現病歴").FillAsync("２週間前から食後の心窩部痛が続いています。");
            await page.WaitForTimeoutAsync(1500);
            await Assertions.Expect(page.Locator("[data-testid=save-saved]")).ToBeVisibleAsync(new() { Timeout = 15_000 });

            await page.Locator("[data-testid=preview-button]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=preview-valid]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await page.Locator("[data-testid=send-button]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=send-success]")).ToBeVisibleAsync(new() { Timeout = Slow });
            await page.Locator("[data-testid=sent-letter-link]").ClickAsync();
            await page.WaitForURLAsync(new Regex("/letters/[A-Za-z0-9.-]+$"));
            await Assertions.Expect(page.Locator("[data-testid=paper-preview-toggle]")).ToBeVisibleAsync(new() { Timeout = Slow });
            await Assertions.Expect(page.Locator("[data-testid=document-viewer]")).ToContainTextAsync(purpose, new() { Timeout = Slow });
            letterId = new Uri(page.Url).Segments[^1];

            await page.GotoInteractiveAsync("referrals/outbox");
            await Assertions.Expect(page.Locator($"[data-testid=mailbox-row][data-letter-id='{letterId}'] [data-testid=mailbox-state]"))
                .ToHaveTextAsync("未開封", new() { Timeout = Slow });
        }

        await using (var context = await medplum.NewContextAsync())
        {
            var page = await context.NewPageAsync();
            await SignIn.AsAsync(page, "doctor@hospital.example");
            await page.GotoInteractiveAsync("referrals/inbox");
            var row = page.Locator($"[data-testid=mailbox-row][data-letter-id='{letterId}']");
            await Assertions.Expect(row.Locator("[data-testid=mailbox-state]")).ToHaveTextAsync("未読", new() { Timeout = Slow });
            await Assertions.Expect(row).ToContainTextAsync(sato.NameKanji);
            await Assertions.Expect(row).ToContainTextAsync(DemoFacilities.Clinic.Name);
            await row.Locator("[data-testid=mailbox-open]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=document-viewer]")).ToContainTextAsync("２週間前から食後の心窩部痛", new() { Timeout = Slow });

            await page.GotoInteractiveAsync("referrals/inbox");
            await Assertions.Expect(row.Locator("[data-testid=mailbox-state]")).ToHaveTextAsync("既読", new() { Timeout = Slow });
        }

        await using (var context = await medplum.NewContextAsync())
        {
            var page = await context.NewPageAsync();
            await SignIn.AsAsync(page, "doctor@clinic.example");
            await page.GotoInteractiveAsync("referrals/outbox");
            await Assertions.Expect(page.Locator($"[data-testid=mailbox-row][data-letter-id='{letterId}'] [data-testid=mailbox-state]"))
                .ToContainTextAsync("開封済み（", new() { Timeout = Slow });
        }
    }

    [Fact]
    public async Task Without_consent_the_record_stays_closed_until_reception_consent_is_recorded()
    {
        var kobayashi = DemoPatients.KobayashiMinoru;
        await using var context = await medplum.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "doctor@clinic.example");
        await LookUpAsync(page, kobayashi);

        await Assertions.Expect(page.Locator("[data-testid=access-denied-reason]")).ToContainTextAsync("同意が確認できない", new() { Timeout = Slow });
        await Assertions.Expect(page.Locator("[data-testid=diagnoses]")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "本日受付で同意を確認" }).ClickAsync();
        await page.GetByLabel("同意書に署名を得た").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "同意を記録して記録を開く" }).ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=patient-name]")).ToHaveTextAsync(kobayashi.NameKanji, new() { Timeout = Slow });
        await Assertions.Expect(page.Locator("[data-testid=diagnosis-row]").First).ToBeVisibleAsync(new() { Timeout = Slow });
    }

    /// <summary>The lookup form, as at reception: the identifier pasted, Enter, the record page.</summary>
    private static async Task LookUpAsync(IPage page, DemoPatient patient)
    {
        await page.GotoInteractiveAsync("patients");
        await Eventually.PassAsync(async () =>
        {
            await page.GetByLabel("まとめて貼り付け（保険者番号:記号:番号:枝番）").FillAsync(patient.QualificationIdentifier, new() { Timeout = 2000 });
            await Assertions.Expect(page.Locator("[data-testid=lookup-normalised]")).ToBeVisibleAsync(new() { Timeout = 1000 });
        });
        await page.GetByLabel("番号", new() { Exact = true }).PressAsync("Enter");
        await page.WaitForURLAsync(new Regex("/patients/[A-Za-z0-9.-]+$"), new() { Timeout = Slow });
    }

    [GeneratedRegex("/referrals/drafts/[0-9a-f-]{36}$")]
    private static partial Regex DraftUrl();
}

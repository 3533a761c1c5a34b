using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Demo;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Letters;

/// <summary>Writing a referral letter as a clinic doctor would: from the record page, through drafts, to sending.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ComposeReferralTests(BrowserFixture browser)
{
    private const string Clinic = "doctor@clinic.example";

    [Fact]
    public async Task Compose_from_the_record_page_survives_a_reload_and_a_new_sign_in_points_at_fields_to_fix_prints_sends_and_the_hospital_reads_it()
    {
        var patientId = await DemoSeeding.PatientIdAsync(browser.Portal, DemoPatients.SatoKenichi);
        string draftUrl;
        var letterId = string.Empty;
        IReadOnlyList<string> sentSections = [];

        // 1. From the record page, to the demo hospital; text is saved as it is typed.
        await using (var context = await browser.NewContextAsync())
        {
            var page = await context.NewPageAsync();
            await SignIn.AsAsync(page, Clinic);
            await page.GotoInteractiveAsync($"patients/{patientId}");
            await Eventually.PassAsync(async () =>
            {
                await page.Locator("[data-testid=compose-referral]").ClickAsync(new() { Timeout = 2000 });
                await page.WaitForURLAsync(DraftUrl(), new() { Timeout = 5000 });
            });
            draftUrl = page.Url;
            Assert.DoesNotContain(DemoPatients.SatoKenichi.Number, draftUrl, StringComparison.Ordinal);
            await Assertions.Expect(page.Locator("[data-testid=patient-from-base]")).ToContainTextAsync(DemoPatients.SatoKenichi.NameKanji);
            await Assertions.Expect(page.GetByLabel("アレルギー・不耐性反応")).ToHaveValueAsync(new Regex("そば"));

            await Eventually.PassAsync(async () =>
            {
                await page.GetByLabel("紹介先医療機関を検索").FillAsync(DemoFacilities.HospitalCode, new() { Timeout = 2000 });
                await page.Locator("[data-testid=destination-search-button]").ClickAsync(new() { Timeout = 2000 });
                await page.GetByRole(AriaRole.Button, new() { Name = $"{DemoFacilities.Hospital.Name} を選択" }).ClickAsync(new() { Timeout = 3000 });
            });
            await Assertions.Expect(page.Locator("[data-testid=destination-picked]")).ToContainTextAsync(DemoFacilities.Hospital.Name);
            await Assertions.Expect(page.Locator("[data-testid=destination-connected]")).ToBeVisibleAsync();

            await page.GetByLabel("紹介目的").FillAsync("心窩部痛の精査加療をお願いします。");
            await page.GetByLabel("傷病名・主訴").FillAsync("心窩部痛");
            await SavedAsync(page);

            // A reload shows what the server holds.
            await page.ReloadAsync();
            await Assertions.Expect(page.GetByLabel("紹介目的")).ToHaveValueAsync("心窩部痛の精査加療をお願いします。");
            await Assertions.Expect(page.GetByLabel("傷病名・主訴")).ToHaveValueAsync("心窩部痛");
        }

        // 2. The browser is closed half-way; signing in again in a fresh one finds the draft listed and intact.
        await using (var context = await browser.NewContextAsync())
        {
            var page = await context.NewPageAsync();
            await SignIn.AsAsync(page, Clinic);
            await page.GotoInteractiveAsync("referrals/drafts");
            var row = page.Locator("[data-testid=draft-row]").Filter(new() { HasText = DemoPatients.SatoKenichi.NameKanji })
                .Filter(new() { HasText = DemoFacilities.Hospital.Name });
            await Assertions.Expect(row.First).ToBeVisibleAsync();
            await page.Locator($"a[href$='{new Uri(draftUrl).AbsolutePath.TrimStart('/')}']").ClickAsync();
            await page.WaitForURLAsync(draftUrl);
            await Assertions.Expect(page.GetByLabel("紹介目的")).ToHaveValueAsync("心窩部痛の精査加療をお願いします。");

            // 3. 現病歴 is still empty: the check says so and its message takes the user to the field.
            await Eventually.PassAsync(async () =>
            {
                await page.Locator("[data-testid=preview-button]").ClickAsync(new() { Timeout = 2000 });
                await Assertions.Expect(page.Locator("[data-testid=referral-problem]").First).ToBeVisibleAsync(new() { Timeout = 5000 });
            });
            var link = page.Locator("[data-testid=referral-problem] a[data-field-id=ref-present-illness]");
            await Assertions.Expect(link).ToContainTextAsync("現病歴");
            await link.ClickAsync();
            await Eventually.PassAsync(async () =>
                Assert.Equal("ref-present-illness", await page.EvaluateAsync<string>("() => document.activeElement?.id")));

            // 4. Fixed, checked, sent: the success links to the letter in the base.
            await page.Keyboard.TypeAsync("２週間前から食後の心窩部痛が続いています。");
            await SavedAsync(page);
            await page.Locator("[data-testid=preview-button]").ClickAsync();
            // The official profiles may still be compiling on a freshly started server: the preview waits for them.
            await Assertions.Expect(page.Locator("[data-testid=preview-valid]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await Assertions.Expect(page.Locator("[data-testid=preview] [data-testid=document-viewer]")).ToContainTextAsync("２週間前から食後の心窩部痛");
            // With the official packages (MEDNET_FHIR_PACKAGES or ../shared) the letter passed the JP-CLINS profiles with 0
            // errors; without them the page says that only the portal's own checks ran, never that it was validated.
            var packages = MedNetPortal.Fhir.Conformance.ConformancePackages.Locate(null, AppContext.BaseDirectory).Packages;
            await Assertions.Expect(page.Locator(packages is null ? "[data-testid=preview-profile-unavailable]" : "[data-testid=preview-profile-checked]"))
                .ToBeVisibleAsync(new() { Timeout = 60_000 });

            // The paper fallback: the preview prints as the paper form, addressed to the hospital's doctor in charge.
            var printed = await PrintedPdf.PrintAsync(page, Path.Combine(browser.Portal.DataDirectory, $"compose-{Guid.NewGuid():N}.pdf"));
            var paper = string.Concat(printed.Select(p => p.Compact));
            Assert.Contains(PrintedPdf.Compact($"{DemoFacilities.Hospital.Name} ご担当先生 御侍史"), paper, StringComparison.Ordinal);
            Assert.Contains(PrintedPdf.Compact(DemoFacilities.Clinic.Name), paper, StringComparison.Ordinal);
            Assert.Contains(PrintedPdf.Compact("２週間前から食後の心窩部痛が続いています。"), paper, StringComparison.Ordinal);
            await page.EmulateMediaAsync(new() { Media = Media.Screen });

            await page.Locator("[data-testid=send-button]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=send-success]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await page.Locator("[data-testid=sent-letter-link]").ClickAsync();
            await page.WaitForURLAsync(new Regex("/letters/[A-Za-z0-9.-]+$"));
            // The compose page has a document viewer too (its preview): wait for the letter page's own toolbar first, or the
            // sections could be read from the page being left, or from the letter page while it still loads.
            await Assertions.Expect(page.Locator("[data-testid=paper-preview-toggle]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("[data-testid=document-viewer]")).ToContainTextAsync("心窩部痛の精査加療をお願いします。");
            letterId = new Uri(page.Url).Segments[^1];
            sentSections = await SectionsAsync(page);

            // A sent letter leaves the drafts.
            await page.GotoInteractiveAsync("referrals/drafts");
            await Assertions.Expect(page.Locator("[data-testid=drafts-table], [data-testid=drafts-empty]").First).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator($"a[href$='{new Uri(draftUrl).AbsolutePath.TrimStart('/')}']")).ToHaveCountAsync(0);

            // Not opened yet.
            await page.GotoInteractiveAsync("referrals/outbox");
            await Assertions.Expect(page.Locator($"[data-testid=mailbox-row][data-letter-id='{letterId}'] [data-testid=mailbox-state]"))
                .ToHaveTextAsync("未開封", new() { Timeout = 30_000 });
        }

        // 5. The hospital finds it unread in its inbox; it reads the same as what the clinic sent.
        await using (var context = await browser.NewContextAsync())
        {
            var page = await context.NewPageAsync();
            await SignIn.AsAsync(page, "doctor@hospital.example");
            await page.GotoInteractiveAsync("referrals/inbox");
            var row = page.Locator($"[data-testid=mailbox-row][data-letter-id='{letterId}']");
            await Assertions.Expect(row.Locator("[data-testid=mailbox-state]")).ToHaveTextAsync("未読", new() { Timeout = 30_000 });
            await Assertions.Expect(row).ToContainTextAsync(DemoPatients.SatoKenichi.NameKanji);
            await row.Locator("[data-testid=mailbox-open]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=document-viewer]")).ToContainTextAsync("２週間前から食後の心窩部痛", new() { Timeout = 30_000 });
            Assert.Equal(sentSections, await SectionsAsync(page));
        }

        // 6. The clinic sees it opened.
        await using (var context = await browser.NewContextAsync())
        {
            var page = await context.NewPageAsync();
            await SignIn.AsAsync(page, Clinic);
            await Eventually.PassAsync(async () =>
            {
                await page.GotoInteractiveAsync("referrals/outbox");
                await Assertions.Expect(page.Locator($"[data-testid=mailbox-row][data-letter-id='{letterId}'] [data-testid=mailbox-state]"))
                    .ToContainTextAsync("開封済み（", new() { Timeout = 10_000 });
            });
        }
    }

    /// <summary>The document view's text, section by section, as the reader sees it.</summary>
    private static async Task<IReadOnlyList<string>> SectionsAsync(IPage page)
    {
        var texts = await page.Locator("[data-testid=document-viewer]").AllInnerTextsAsync();
        return [.. texts.Select(PrintedPdf.Compact)];
    }

    [Fact]
    public async Task A_new_patient_letter_gets_its_draft_on_the_first_save_identifier_mistakes_show_under_the_field_and_an_unconnected_destination_allows_only_print()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, Clinic);
        await page.GotoInteractiveAsync("referrals/new");

        await Eventually.PassAsync(async () =>
        {
            await page.GetByLabel("保険者番号").FillAsync("01130013", new() { Timeout = 2000 });
            await Assertions.Expect(page.GetByText("保険者番号の検証番号が一致しません")).ToBeVisibleAsync(new() { Timeout = 3000 });
        });
        await page.GetByLabel("保険者番号").FillAsync("01130012");
        await page.GetByLabel("番号", new() { Exact = true }).FillAsync("9876");
        await page.GetByLabel("患者氏名（漢字）").FillAsync("新規 太郎");

        await page.WaitForURLAsync(DraftUrl());
        await SavedAsync(page);

        // The demo dental clinic takes no electronic letters: it says so when picked, before writing, and only printing is left.
        await Eventually.PassAsync(async () =>
        {
            await page.GetByLabel("紹介先医療機関を検索").FillAsync(DemoFacilities.DentalClinicCode, new() { Timeout = 2000 });
            await page.Locator("[data-testid=destination-search-button]").ClickAsync(new() { Timeout = 2000 });
            await page.GetByRole(AriaRole.Button, new() { Name = $"{DemoFacilities.DentalClinic.Name} を選択" }).ClickAsync(new() { Timeout = 3000 });
        });
        await Assertions.Expect(page.Locator("[data-testid=destination-not-connected]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=send-button]")).ToBeDisabledAsync();
        await SavedAsync(page);
        var url = page.Url;
        Assert.DoesNotContain("9876", url, StringComparison.Ordinal);
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByLabel("患者氏名（漢字）")).ToHaveValueAsync("新規 太郎");
        await Assertions.Expect(page.GetByLabel("保険者番号")).ToHaveValueAsync("01130012");
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^紹介状の作成"));

        // Completed and sent to the hospital instead: the base did not know the patient; the letter carries them.
        await Eventually.PassAsync(async () =>
        {
            await page.GetByLabel("紹介先医療機関を検索").FillAsync(DemoFacilities.HospitalCode, new() { Timeout = 2000 });
            await page.Locator("[data-testid=destination-search-button]").ClickAsync(new() { Timeout = 2000 });
            await page.GetByRole(AriaRole.Button, new() { Name = $"{DemoFacilities.Hospital.Name} を選択" }).ClickAsync(new() { Timeout = 3000 });
        });
        await Assertions.Expect(page.Locator("[data-testid=destination-connected]")).ToBeVisibleAsync();
        await page.GetByLabel("患者氏名（カナ）").FillAsync("シンキ タロウ");
        await page.GetByLabel("生年月日").FillAsync("1980-02-29");
        await page.GetByLabel("性別").SelectOptionAsync("Male");
        await page.GetByLabel("患者住所").FillAsync("〒176-0001 東京都練馬区練馬１−２−３");
        await page.GetByLabel("紹介目的").FillAsync("初診患者の精査をお願いします。");
        await page.GetByLabel("傷病名・主訴").FillAsync("胸痛");
        await page.GetByLabel("現病歴").FillAsync("昨日から労作時の胸痛があります。");
        await SavedAsync(page);
        await page.Locator("[data-testid=preview-button]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=preview-valid]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await page.Locator("[data-testid=send-button]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=send-success]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.Locator("[data-testid=sent-letter-link]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=document-viewer]")).ToContainTextAsync("昨日から労作時の胸痛", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=document-viewer]")).ToContainTextAsync("新規 太郎");
    }

    [Fact]
    public async Task Two_tabs_on_one_draft_get_a_conflict_that_keeps_the_text_and_a_deleted_draft_leaves_the_list_after_confirmation()
    {
        await using var context = await browser.NewContextAsync();
        var tabA = await context.NewPageAsync();
        await SignIn.AsAsync(tabA, Clinic);
        await tabA.GotoInteractiveAsync("referrals/new");
        await Eventually.PassAsync(() => tabA.GetByLabel("患者氏名（漢字）").FillAsync("競合 試験", new() { Timeout = 2000 }));
        await tabA.WaitForURLAsync(DraftUrl());
        await SavedAsync(tabA);
        var tabB = await context.NewPageAsync();
        await tabB.GotoInteractiveAsync(tabA.Url);
        await Assertions.Expect(tabB.GetByLabel("患者氏名（漢字）")).ToHaveValueAsync("競合 試験");

        await tabA.GetByLabel("備考").FillAsync("タブAの備考");
        await SavedAsync(tabA);
        await tabB.GetByLabel("備考").FillAsync("タブBの備考");

        // Tab B's save finds tab A's newer version: nothing is written, B's text stays, and B chooses.
        await Assertions.Expect(tabB.Locator("[data-testid=save-conflict]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(tabB.GetByLabel("備考")).ToHaveValueAsync("タブBの備考");
        await tabA.ReloadAsync();
        await Assertions.Expect(tabA.GetByLabel("備考")).ToHaveValueAsync("タブAの備考");
        await tabB.Locator("[data-testid=save-overwrite]").ClickAsync();
        await Assertions.Expect(tabB.Locator("[data-testid=save-saved]")).ToBeVisibleAsync();
        await tabA.ReloadAsync();
        await Assertions.Expect(tabA.GetByLabel("備考")).ToHaveValueAsync("タブBの備考");

        // Delete from the list, after confirming.
        var path = new Uri(tabA.Url).AbsolutePath.TrimStart('/');
        await tabA.GotoInteractiveAsync("referrals/drafts");
        var row = tabA.Locator("[data-testid=draft-row]").Filter(new() { Has = tabA.Locator($"a[href$='{path}']") });
        await Eventually.PassAsync(async () =>
        {
            await row.Locator("[data-testid=draft-delete]").ClickAsync(new() { Timeout = 2000 });
            await Assertions.Expect(tabA.GetByRole(AriaRole.Dialog)).ToContainTextAsync("競合 試験", new() { Timeout = 3000 });
        });
        await tabA.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "削除" }).ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await tabA.GotoInteractiveAsync(path);
        await Assertions.Expect(tabA.Locator("[data-testid=compose-not-found]")).ToBeVisibleAsync();
    }

    private static async Task SavedAsync(IPage page)
    {
        // The debounce fires ~1 s after the last key; then the status shows the save time.
        await page.WaitForTimeoutAsync(1500);
        await Assertions.Expect(page.Locator("[data-testid=save-saved]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-testid=save-status]")).Not.ToContainTextAsync("保存中", new() { Timeout = 15_000 });
    }

    [GeneratedRegex("/referrals/drafts/[0-9a-f-]{36}$")]
    private static partial Regex DraftUrl();
}

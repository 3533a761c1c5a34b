using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Web.Features.Demo;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Patients;

/// <summary>
/// A clinician's journey through the whole record of a demo patient: the new groups, one lab's trend, then the timeline
/// filtered by kind and by facility; the record is one request to the base after the consent check, whatever is clicked.
/// </summary>
[Collection(PatientsCollection.Name)]
public sealed class RecordTimelineTests(PatientsPortal portal)
{
    [Fact]
    public async Task A_clinician_reads_the_groups_a_trend_and_the_timeline_filtered_by_kind_and_facility()
    {
        await using var context = await portal.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "doctor@hospital.example");
        // Sign-in lands on the home page, whose letters tile asks the base (Organization, Task) as it loads: counted only
        // once it has, or its requests could land after the clear (CI saw them).
        await Assertions.Expect(page.Locator("[data-testid=home-letters-count], [data-testid=home-letters-empty]").First)
            .ToBeVisibleAsync(new() { Timeout = 30_000 });
        portal.Log.Clear();
        await page.GotoAsync($"patients/{portal.PatientIds[DemoPatients.SuzukiTome.Key]}");

        // The banner and the groups.
        await Assertions.Expect(page.Locator("[data-testid=patient-contraindications]")).ToContainTextAsync("ロキソプロフェンナトリウム");
        var relative = page.Locator("[data-testid=contraindication-row]", new() { HasText = "ロキソプロフェンナトリウム" });
        await Assertions.Expect(relative).ToContainTextAsync("相対禁忌");
        await Assertions.Expect(relative).ToContainTextAsync("はまかぜ記念病院");
        await Assertions.Expect(page.Locator("[data-testid=allergy-row]")).ToContainTextAsync("ラテックス");
        var bnp = page.Locator("[data-testid=labs-row]", new() { HasText = "BNP" });
        await Assertions.Expect(bnp.Locator("[data-testid=lab-value][data-flag=high]")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("[data-testid=labs-table]")).Not.ToContainTextAsync("HCV");
        var hcv = page.Locator("[data-testid=infections-row]", new() { HasText = "HCV抗体" });
        await Assertions.Expect(hcv).ToContainTextAsync("陽性");
        await Assertions.Expect(hcv.Locator("[data-testid=lab-value][data-flag=abnormal]")).ToHaveCountAsync(1);
        var apixaban = page.Locator("[data-testid=prescription-row]", new() { HasText = "アピキサバン" }).First;
        await Assertions.Expect(apixaban).ToContainTextAsync("はまかぜ記念病院");
        await Assertions.Expect(apixaban).ToContainTextAsync("石川 修");

        // The in-page link to a group scrolls to it; the page does not load again.
        await page.Locator("[data-testid=record-jump] a", new() { HasText = "感染症" }).ClickAsync();
        await Assertions.Expect(page.Locator("#infections-heading")).ToBeInViewportAsync();
        Assert.EndsWith("#infections-heading", page.Url, StringComparison.Ordinal);

        // One lab's trend: a chart and the same values as a table.
        await Eventually.PassAsync(async () =>
        {
            await bnp.Locator("[data-testid=lab-trend-toggle]").ClickAsync(new() { Timeout = 2000 });
            await Assertions.Expect(page.Locator("[data-testid=lab-trend]")).ToBeVisibleAsync(new() { Timeout = 2000 });
        });
        await Assertions.Expect(page.Locator("[data-testid=lab-chart] svg")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=lab-trend-row]")).ToHaveCountAsync(4);

        // The timeline: everything loaded, newest first, then only lab results from one facility.
        await page.Locator("[data-testid=view-timeline]").ClickAsync();
        var items = page.Locator("[data-testid=timeline-item]");
        await Assertions.Expect(page.Locator("[data-testid=timeline]")).ToBeVisibleAsync();
        var total = await items.CountAsync();
        Assert.True(total >= 25, $"{total} items");
        await Assertions.Expect(page.Locator("[data-testid=timeline-date]").First).ToHaveTextAsync("2026年11月10日");
        await Assertions.Expect(items.First).ToContainTextAsync("はまかぜ記念病院");

        await page.Locator("[data-testid=timeline-kind-lab]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=timeline-kind-lab]")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(items).ToHaveCountAsync(12);
        await page.GetByLabel("医療機関", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "はまかぜ記念病院" });
        await Assertions.Expect(items).ToHaveCountAsync(2);
        await Assertions.Expect(items.Nth(0)).ToContainTextAsync("BNP");
        await Assertions.Expect(items.Nth(0)).ToContainTextAsync("高値");
        await Assertions.Expect(page.Locator("[data-testid=timeline-count]")).ToContainTextAsync("件中 2件を表示");

        await page.Locator("[data-testid=timeline-kind-infection]").ClickAsync();
        await page.GetByLabel("医療機関", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "みどり台総合病院" });
        await Assertions.Expect(items).ToHaveCountAsync(13);
        await Assertions.Expect(page.Locator("[data-testid=timeline-item][data-kind=infection]")).ToHaveCountAsync(3);

        // The documents on the timeline: the check-up report, the discharge summary and the letter, by kind and facility.
        await page.Locator("[data-testid=timeline-kind-all]").ClickAsync();
        await page.GetByLabel("医療機関", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "すべての医療機関" });
        await page.Locator("[data-testid=timeline-kind-document]").ClickAsync();
        await Assertions.Expect(items).ToHaveCountAsync(3);
        await Assertions.Expect(items.Nth(0)).ToContainTextAsync("健診結果報告書");
        await Assertions.Expect(items.Nth(0)).ToContainTextAsync("はまかぜ記念病院");
        await Assertions.Expect(page.Locator("[data-testid=timeline-item][data-kind=document]", new() { HasText = "退院時サマリー" })).ToContainTextAsync("みどり台総合病院");

        // Back to the groups: the same record, no new request. The discharge medication is in 処方 once.
        await page.Locator("[data-testid=view-groups]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=prescriptions]")).ToBeVisibleAsync();
        var magnesium = page.Locator("[data-testid=prescription-row]", new() { HasText = "酸化マグネシウム錠330mg" });
        await Assertions.Expect(magnesium).ToHaveCountAsync(1);
        await Assertions.Expect(magnesium.Locator("[data-testid=prescription-source]")).ToHaveTextAsync("退院時サマリーより");
        await Assertions.Expect(page.Locator("[data-testid=prescription-row]", new() { HasText = "アピキサバン錠2.5mg" })).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=letter-row]")).ToHaveCountAsync(3);
        Assert.Equal(["POST /fhir/Consent/_search", "POST /fhir/"], portal.Log.Requests);

        // Both documents open in the document viewer with their own sections.
        await page.Locator("[data-testid=letter-row][data-kind=dischargesummary] [data-testid=letter-link]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=document-type]")).ToHaveTextAsync("退院時サマリー");
        await Assertions.Expect(page.Locator("[data-testid=document-stay]")).ToHaveTextAsync("2025年2月3日 入院 ～ 2025年2月21日 退院");
        foreach (var title in new[] { "入院時診断", "入院中経過", "退院時診断", "退院時投薬指示" })
        {
            await Assertions.Expect(page.Locator("[data-testid=document-section-title]", new() { HasTextString = title })).ToHaveCountAsync(1);
        }

        await Assertions.Expect(page.Locator("[data-section-code='444'] [data-testid=document-entry]")).ToHaveCountAsync(3);
        Assert.DoesNotContain(portal.PatientIds[DemoPatients.SuzukiTome.Key], await page.TitleAsync(), StringComparison.Ordinal);
        await page.GoBackAsync();
        await page.Locator("[data-testid=letter-row][data-kind=checkupreport] [data-testid=letter-link]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=document-type]")).ToHaveTextAsync("健診結果報告書");
        await Assertions.Expect(page.Locator("[data-testid=document-result]")).ToHaveCountAsync(15);
        var hba1c = page.Locator("[data-testid=document-result]", new() { HasText = "ＨｂＡ１ｃ" });
        await Assertions.Expect(hba1c.Locator("[data-testid=document-result-range]")).ToHaveTextAsync("4.6–5.5");
        await Assertions.Expect(hba1c.Locator("[data-testid=document-result-flag]")).ToHaveTextAsync("↑ 高値");
    }

    [Fact]
    public async Task The_record_with_every_group_fits_a_phone_width_the_lab_table_scrolling_inside_itself()
    {
        await using var context = await portal.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = portal.RootUri.ToString(),
            Locale = "ja-JP",
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        });
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "doctor@hospital.example");
        await page.GotoAsync($"patients/{portal.PatientIds[DemoPatients.SuzukiTome.Key]}");
        await Assertions.Expect(page.Locator("[data-testid=labs-row]").First).ToBeVisibleAsync();

        var widths = await page.EvaluateAsync<int[]>(
            "() => [document.documentElement.scrollWidth, document.querySelector('[data-testid=labs] .lab-scroll').scrollWidth]");

        Assert.True(widths[0] <= 390, $"The page is {widths[0]} px wide on a 390 px phone.");
        Assert.True(widths[1] > 390, "The lab table should scroll sideways inside its box.");
    }
}

using System.Text.RegularExpressions;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Web.Features.Demo;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Patients;

[Collection(PatientsCollection.Name)]
public sealed class PatientPrintTests(PatientsPortal portal)
{
    private const string Confidential = "機密 — 個人の診療情報を含みます。取り扱いに注意し、不要になったら適切に廃棄してください。";

    [Fact]
    public async Task The_large_summary_prints_with_name_page_numbers_and_confidentiality_on_every_page_and_no_navigation()
    {
        await using var context = await portal.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "doctor@hospital.example");
        await page.GotoAsync($"patients/{portal.PatientIds[DemoPatients.LargeRecordKey]}");
        await Assertions.Expect(page.Locator("[data-testid=diagnoses-count]")).ToHaveTextAsync(new Regex(@"^100 / 5\d\d件$"));
        await Assertions.Expect(page.Locator("[data-testid=diagnosis-row]")).ToHaveCountAsync(100);

        await page.EmulateMediaAsync(new() { Media = Media.Print });
        var header = page.Locator("[data-testid=print-running-header]");
        await Assertions.Expect(header).ToBeVisibleAsync();
        await Assertions.Expect(header).ToContainTextAsync("高橋 誠");
        await Assertions.Expect(page.Locator(".mud-appbar")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#portal-nav")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("[data-testid=back-to-lookup]")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("button:visible, [role=button]:visible, input:visible")).ToHaveCountAsync(0);
        var headerText = (await header.InnerTextAsync()).Trim();

        var pages = await PrintedPdf.PrintAsync(page, Path.Combine(portal.DataDirectory, "summary.pdf"));

        Assert.True(pages.Count >= 3, $"Expected several pages for 100 diagnoses, got {pages.Count}.");
        PrintedPdf.AssertHeadedAndNumbered(pages, Confidential, headerText);
        var all = string.Concat(pages.Select(p => p.Compact));
        // Navigation, the app bar and the on-screen controls stay off paper; what was not loaded is said, not cut silently.
        foreach (var screenOnly in new[] { "メインメニュー", "ホーム", "患者検索", "さらに表示", "このページを印刷", "MedNetPortal" })
        {
            Assert.DoesNotContain(screenOnly, all, StringComparison.Ordinal);
        }

        Assert.Matches(@"（5\d\d件中100件を印刷）", all);
    }
}

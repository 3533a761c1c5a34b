using System.Text.Json;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Demo;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Documents;

/// <summary>Referral letters printed as the paper form (別紙様式11) on A4, read back from the PDF with pdftotext.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PaperLetterPrintTests(BrowserFixture browser)
{
    private const string Confidential = "機密 — 個人の診療情報を含みます。取り扱いに注意し、不要になったら適切に廃棄してください。";

    [Fact]
    public async Task A_demo_letter_prints_the_addressee_with_gojishi_the_sender_block_and_on_every_page_the_patient_and_page_number()
    {
        var letter = DemoLetters.All.Single(l => l.Key == "clinic-to-hospital-yamada");
        var id = await WaitForLetterIdAsync(letter.BundleIdentifier);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "doctor@hospital.example");
        await page.GotoInteractiveAsync($"letters/{id}");
        await Assertions.Expect(page.Locator("[data-testid=document-viewer]")).ToBeVisibleAsync();

        // On screen: the print layout behind a toggle.
        await Assertions.Expect(page.Locator("[data-testid=paper-letter]")).ToBeHiddenAsync();
        await page.Locator("[data-testid=paper-preview-toggle]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=paper-letter]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=paper-addressee]")).ToHaveTextAsync("みどり台総合病院 循環器内科 青木 誠一 先生 御侍史");
        await page.Locator("[data-testid=paper-preview-toggle]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=document-viewer]")).ToBeVisibleAsync();

        var pages = await PrintedPdf.PrintAsync(page, Path.Combine(browser.Portal.DataDirectory, $"paper-{Guid.NewGuid():N}.pdf"));

        PrintedPdf.AssertHeadedAndNumbered(pages, Confidential, $"患者: {letter.Patient.NameKanji}　診療情報提供書");
        var body = Body(pages, Confidential);
        var clinic = DemoFacilities.Clinic;
        Assert.Contains(PrintedPdf.Compact("みどり台総合病院 循環器内科 青木 誠一 先生 御侍史"), body, StringComparison.Ordinal);
        foreach (var senderLine in new[] { $"〒{clinic.PostalCode} {clinic.AddressText}", clinic.Name, $"電話番号 {clinic.Phone}", "医師氏名 内科 森 一郎" })
        {
            Assert.Contains(PrintedPdf.Compact(senderLine), body, StringComparison.Ordinal);
        }

        Assert.Contains("令和7年1月21日", body, StringComparison.Ordinal);
        // The form's order on paper; the screen viewer is not printed.
        var order = new[] { "傷病名", "紹介目的", "既往歴及び家族歴", "症状経過及び検査結果", "治療経過", "現在の処方", "備考" }
            .Select(label => body.IndexOf(label, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
        Assert.DoesNotContain("構造情報", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ten_thousand_character_letter_with_twenty_diagnoses_prints_on_several_pages_with_all_its_text()
    {
        const string patientName = "長文 印刷子";
        var history = LongText(10_000, "以上が既往歴と家族歴の全てです。");
        var diagnoses = Enumerable.Range(1, 20).Select(i => $"診断名その{i}").ToList();
        var content = new ReferralLetterContent
        {
            Sender = new ReferralSender(DemoFacilities.Clinic.Name, DemoFacilities.ClinicCode, "〒176-0098 東京都練馬区桜台四丁目5番6号", DemoFacilities.Clinic.Phone,
                "01", "内科", "森 一郎", "モリ イチロウ"),
            Destination = new ReferralDestination(DemoFacilities.Hospital.Name, DemoFacilities.HospitalCode, "081", "循環器内科", "青木 誠一"),
            Patient = new ReferralPatient("00131045::１８７:", patientName, "チョウブン インサツコ", new DateOnly(1948, 3, 3), ReferralSex.Female, Address: "〒131-0045 東京都墨田区押上１−１−２"),
            Purpose = "長い経過の精査をお願いいたします。",
            Diagnoses = string.Join("\n", diagnoses),
            PresentIllness = "現病歴は既往歴の欄に記載のとおりです。",
            PastAndFamilyHistory = history,
            LocalId = "e2e-long-" + Guid.NewGuid().ToString("N")[..12],
            IssuedAt = new DateTimeOffset(2025, 4, 1, 9, 0, 0, TimeSpan.FromHours(9)),
        };
        Assert.Empty(ReferralDocumentValidator.Validate(content));
        var id = await PostAsync(FhirJson.Serialize(ReferralDocumentBuilder.Build(content)));
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "doctor@hospital.example");
        await page.GotoInteractiveAsync($"letters/{id}");
        await Assertions.Expect(page.Locator("[data-testid=document-viewer]")).ToBeVisibleAsync();

        var pages = await PrintedPdf.PrintAsync(page, Path.Combine(browser.Portal.DataDirectory, $"paper-long-{Guid.NewGuid():N}.pdf"));

        Assert.True(pages.Count >= 3, $"Expected several A4 pages for 10,000 characters, got {pages.Count}.");
        PrintedPdf.AssertHeadedAndNumbered(pages, Confidential, $"患者: {patientName}　診療情報提供書");
        var body = Body(pages, Confidential, $"患者: {patientName}　診療情報提供書");
        Assert.EndsWith("以上が既往歴と家族歴の全てです。", history, StringComparison.Ordinal);
        Assert.Contains("以上が既往歴と家族歴の全てです。", body, StringComparison.Ordinal);
        Assert.Contains(history, body, StringComparison.Ordinal);
        Assert.All(diagnoses, d => Assert.Contains(d, body, StringComparison.Ordinal));
    }

    /// <summary>The printed text without the running header lines and page numbers, page after page, top to bottom.</summary>
    private static string Body(IReadOnlyList<PdfPage> pages, params string[] headers)
    {
        var compactHeaders = headers.Select(PrintedPdf.Compact).ToList();
        return string.Concat(pages.SelectMany(p => p.Lines
            .OrderBy(l => l.Top)
            .Where(l => !System.Text.RegularExpressions.Regex.IsMatch(l.Compact, @"^\d+/\d+$"))
            .Where(l => !compactHeaders.Any(h => h == l.Compact || (h.Contains(l.Compact, StringComparison.Ordinal) && l.Top < 80)))
            .Select(l => l.Compact)));
    }

    /// <summary>Exactly <paramref name="length"/> characters of numbered sentences ending with <paramref name="last"/>.</summary>
    private static string LongText(int length, string last)
    {
        var builder = new System.Text.StringBuilder();
        for (var i = 1; builder.Length < length - last.Length; i++)
        {
            builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"【{i:D3}】高血圧症で加療中、父に心筋梗塞の既往があります。");
        }

        builder.Length = length - last.Length;
        return builder.Append(last).ToString();
    }

    private HttpClient Http() => browser.Portal.CreateBaseClient(timeout: TimeSpan.FromSeconds(60));

    private async Task<string> PostAsync(string bundleJson)
    {
        using var http = Http();
        using var body = new StringContent(bundleJson, System.Text.Encoding.UTF8, "application/fhir+json");
        using var response = await http.PostAsync("fhir/Bundle", body);
        Assert.True(response.IsSuccessStatusCode, $"Storing the letter failed: {(int)response.StatusCode}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>The demo letter's Bundle id, once the background demo seeding has stored it.</summary>
    private async Task<string> WaitForLetterIdAsync(string bundleIdentifier)
    {
        using var http = Http();
        for (var attempt = 0; attempt < 240; attempt++)
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["identifier"] = $"{JpFhir.Systems.BundleIdentifier}|{bundleIdentifier}" });
            using var response = await http.PostAsync("fhir/Bundle/_search", form);
            if (response.IsSuccessStatusCode)
            {
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                if (json.RootElement.TryGetProperty("entry", out var entries) && entries.GetArrayLength() > 0)
                {
                    return entries[0].GetProperty("resource").GetProperty("id").GetString()!;
                }
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("Demo seeding did not store the letter.");
    }
}

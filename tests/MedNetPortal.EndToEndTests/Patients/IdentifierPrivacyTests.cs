using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Demo;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Patients;

/// <summary>
/// The identifier never appears in a URL, a page title or a log line: drives every kind of lookup, opens a record and a letter,
/// then scans every log line the portals wrote during the run, every URL the browser requested and every page title.
/// </summary>
[Collection(PatientsCollection.Name)]
public sealed partial class IdentifierPrivacyTests(PatientsPortal portal)
{
    // Two patients who share one identifier (a data error the lookup must still handle): the "several" case. The demo's
    // two 山田 花子 share a name, not an identifier, and the lookup searches by identifier only.
    private const string SharedIdentifier = "06134522:7777:4242:";

    [Fact]
    public async Task No_identifier_reaches_a_URL_a_page_title_or_a_log_line()
    {
        await StoreTwoPatientsSharingAnIdentifierAsync();
        await using var context = await portal.NewContextAsync();
        var urls = new ConcurrentQueue<string>();
        context.Request += (_, request) => urls.Enqueue(request.Url);
        var page = await context.NewPageAsync();
        var titles = new List<string>();
        async Task CheckpointAsync()
        {
            titles.Add(await page.TitleAsync());
            urls.Enqueue(page.Url);
        }

        await SignIn.AsAsync(page, "doctor@hospital.example");

        // Found, pasted (full-width digits, normalised).
        await OpenLookupAsync(page);
        await page.GetByLabel("まとめて貼り付け（保険者番号:記号:番号:枝番）", new() { Exact = true }).FillAsync("０１１３７１１６:A12:3456789:");
        await page.GetByLabel("まとめて貼り付け（保険者番号:記号:番号:枝番）", new() { Exact = true }).PressAsync("Enter");
        await Assertions.Expect(page.Locator("[data-testid=patient-name]")).ToHaveTextAsync(DemoPatients.SatoKenichi.NameKanji);
        await CheckpointAsync();

        // Found, four fields (full-width kanji symbol and number).
        await OpenLookupAsync(page);
        await FillAndSubmitAsync(page, DemoPatients.ItoMisaki);
        await Assertions.Expect(page.Locator("[data-testid=patient-name]")).ToHaveTextAsync(DemoPatients.ItoMisaki.NameKanji);
        await CheckpointAsync();

        // Not found.
        await OpenLookupAsync(page);
        await FillAndSubmitAsync(page, "06134522", "9999", "１２３", string.Empty);
        await Assertions.Expect(page.Locator("[data-testid=lookup-not-found]")).ToBeVisibleAsync();
        await CheckpointAsync();

        // Several, then one chosen.
        await OpenLookupAsync(page);
        await FillAndSubmitAsync(page, "06134522", "7777", "4242", string.Empty);
        await Assertions.Expect(page.Locator("[data-testid=lookup-several]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=lookup-match]")).ToHaveCountAsync(2);
        await CheckpointAsync();
        await page.Locator("[data-testid=lookup-match]").First.GetByRole(AriaRole.Button).ClickAsync();
        await page.WaitForURLAsync(new Regex("/patients/[A-Za-z0-9.-]+$"));
        await Assertions.Expect(page.Locator("[data-testid=patient-name]")).ToContainTextAsync("重複");
        await CheckpointAsync();

        // Wrong check digit: named, nothing sent.
        await OpenLookupAsync(page);
        await FillAndSubmitAsync(page, "06134523", "1234", "5678", "01");
        await Assertions.Expect(page.GetByText("保険者番号の検証番号が一致しません")).ToBeVisibleAsync();
        await CheckpointAsync();

        // A record with a letter, its identifier shown on request, then the letter.
        await OpenLookupAsync(page);
        await FillAndSubmitAsync(page, DemoPatients.SuzukiTome);
        await Assertions.Expect(page.Locator("[data-testid=patient-name]")).ToHaveTextAsync(DemoPatients.SuzukiTome.NameKanji);
        var toggle = page.Locator("[data-testid=patient-identifier-toggle]");
        await Eventually.PassAsync(async () =>
        {
            if (await toggle.GetAttributeAsync("aria-pressed") != "true")
            {
                await toggle.ClickAsync();
            }

            await Assertions.Expect(page.Locator("[data-testid=patient-identifier]"))
                .ToHaveTextAsync(DemoPatients.SuzukiTome.QualificationIdentifier, new() { Timeout = 2000 });
        });
        await CheckpointAsync();
        await page.Locator("[data-testid=letter-link]").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=document-viewer]")).ToBeVisibleAsync();
        await CheckpointAsync();
        await page.WaitForTimeoutAsync(500);

        var logs = CapturedLogs.Shared.Lines;
        Assert.NotEmpty(logs);
        Assert.Contains(logs, l => l.Contains("POST /fhir/Patient/_search", StringComparison.Ordinal));
        Assert.True(urls.Count > 10 && titles.Count == 8 && titles.All(t => t.Length > 0), $"{urls.Count} URLs, {titles.Count} titles");
        // ASCII alphanumeric parts count as whole tokens only: trace ids, fingerprints and timings are full of digit runs.
        var forbidden = ForbiddenStrings()
            .Select(f => (Text: f, Pattern: AsciiAlphanumeric().IsMatch(f) ? new Regex($"(?<![0-9A-Za-z]){Regex.Escape(f)}(?![0-9A-Za-z])") : null))
            .ToList();
        var found = new List<string>();
        foreach (var (where, text) in logs.Select(l => ("log", l))
                     .Concat(urls.SelectMany(u => new[] { ("url", u), ("url", Uri.UnescapeDataString(u)) }))
                     .Concat(titles.Select(t => ("title", t))))
        {
            found.AddRange(forbidden
                .Where(f => f.Pattern?.IsMatch(text) ?? text.Contains(f.Text, StringComparison.Ordinal))
                .Select(f => $"{where}: {f.Text} in {text}"));
        }

        Assert.True(found.Count == 0, string.Join('\n', found));
    }

    /// <summary>
    /// Each demo identifier (and the shared one) whole and in its distinctive parts (insurer number as on the card and padded,
    /// symbol and number), half- and full-width. Parts of ASCII digits shorter than 6 ("12", "345", "5678") are left out as
    /// parts: they occur in ports, timings and dates; the whole identifiers still hold them.
    /// </summary>
    private static List<string> ForbiddenStrings()
    {
        var parts = new List<string> { SharedIdentifier };
        foreach (var patient in DemoPatients.All)
        {
            parts.Add(patient.QualificationIdentifier);
            parts.Add(patient.QualificationIdentifier.Replace(":", "%3A", StringComparison.Ordinal));
            parts.Add(patient.InsurerNumber);
            parts.Add(patient.InsurerNumber.PadLeft(8, '0'));
            parts.Add(patient.Symbol);
            parts.Add(patient.Number);
        }

        return [.. parts.Concat(parts.Select(FullWidth)).Concat(parts.Select(HalfWidth))
            .Where(p => p.Length >= 2 && !(p.Length < 6 && AsciiDigits().IsMatch(p)))
            .Distinct(StringComparer.Ordinal)];
    }

    private static string FullWidth(string text) =>
        string.Concat(text.Select(c => c is >= '!' and <= '~' ? (char)(c + 0xFEE0) : c));

    private static string HalfWidth(string text) =>
        string.Concat(text.Select(c => c is >= '！' and <= '～' ? (char)(c - 0xFEE0) : c));

    private async Task StoreTwoPatientsSharingAnIdentifierAsync()
    {
        using var http = portal.CreateBaseClient(new Uri(portal.RootUri, "fhir/"));
        foreach (var id in await DemoSeeding.TwoPatientsSharingAnIdentifierAsync(portal, SharedIdentifier, "重複"))
        {
            // The demo hospital's consent, so the record opens (without it the page explains that nothing is shown).
            var consent = MedNetPortal.Web.Features.Consent.ConsentFhir.Build($"Patient/{id}", DemoFacilities.HospitalCode, DemoFacilities.Hospital.Name,
                DateTimeOffset.UtcNow.AddDays(-1), end: null, reception: false, performerDisplay: null);
            using var consentContent = new StringContent(FhirJson.Serialize(consent), Encoding.UTF8, "application/fhir+json");
            using var consentResponse = await http.PostAsync("Consent", consentContent);
            Assert.True(consentResponse.IsSuccessStatusCode, await consentResponse.Content.ReadAsStringAsync());
        }
    }

    /// <summary>Opens the lookup and waits until it handles input (typing before the circuit connects is lost).</summary>
    private static async Task OpenLookupAsync(IPage page)
    {
        await page.GotoAsync("patients");
        var insurer = page.GetByLabel("保険者番号", new() { Exact = true });
        await Eventually.PassAsync(async () =>
        {
            await insurer.FillAsync("1");
            await Assertions.Expect(page.GetByText("保険者番号は6桁または8桁です")).ToBeVisibleAsync(new() { Timeout = 1000 });
        });
        await insurer.FillAsync(string.Empty);
    }

    private static Task FillAndSubmitAsync(IPage page, DemoPatient patient) =>
        FillAndSubmitAsync(page, patient.InsurerNumber, patient.Symbol, patient.Number, patient.Branch);

    private static async Task FillAndSubmitAsync(IPage page, string insurer, string symbol, string number, string branch)
    {
        await page.GetByLabel("保険者番号", new() { Exact = true }).FillAsync(insurer);
        await page.GetByLabel("記号", new() { Exact = true }).FillAsync(symbol);
        await page.GetByLabel("番号", new() { Exact = true }).FillAsync(number);
        await page.GetByLabel("枝番", new() { Exact = true }).FillAsync(branch);
        await page.GetByLabel("枝番", new() { Exact = true }).PressAsync("Enter");
    }

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex AsciiDigits();

    [GeneratedRegex("^[0-9A-Za-z]+$")]
    private static partial Regex AsciiAlphanumeric();
}

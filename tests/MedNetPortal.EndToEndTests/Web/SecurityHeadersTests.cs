using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Demo;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Web;

/// <summary>
/// A Content-Security-Policy that is too strict breaks pages silently: this walks the main pages in Chromium with the real
/// policy and fails on any violation (console "Refused to …", a securitypolicyviolation event, or a page error), and on a page
/// that stops working.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class SecurityHeadersTests(BrowserFixture browser)
{
    private const string Clinic = "doctor@clinic.example";

    // The browser reports every violation as a DOM event too; kept on window so the test can read it after each page.
    private const string ViolationRecorder = """
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', e =>
            window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));
        """;

    [Fact]
    public async Task Sign_in_lookup_record_letter_compose_with_a_long_field_and_inbox_run_without_csp_violations()
    {
        var patientId = await DemoSeeding.PatientIdAsync(browser.Portal, DemoPatients.SatoKenichi);
        await using var context = await browser.NewContextAsync();
        await context.AddInitScriptAsync(ViolationRecorder);
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Refused to", StringComparison.Ordinal) || message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                problems.Add($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add("pageerror: " + error);

        var response = await page.GotoAsync("account/login");
        Assert.Contains("frame-ancestors 'none'", await response!.HeaderValueAsync("content-security-policy") ?? "", StringComparison.Ordinal);
        await SignIn.SubmitAsync(page, Clinic);
        await AssertNoViolationsAsync(page, problems, "sign-in");

        // Patient lookup: interactive (the insurer number's validation shows only once the circuit handles input).
        await page.GotoAsync("patients");
        var insurer = page.GetByLabel("保険者番号", new() { Exact = true });
        await Eventually.PassAsync(async () =>
        {
            await insurer.FillAsync("1");
            await Assertions.Expect(page.GetByText("保険者番号は6桁または8桁です")).ToBeVisibleAsync(new() { Timeout = 1000 });
        });
        await AssertNoViolationsAsync(page, problems, "patient lookup");

        // The record and, from it, a letter.
        // The demo letters are seeded after the patients: reload until they are listed.
        await Eventually.PassAsync(async () =>
        {
            await page.GotoAsync($"patients/{patientId}");
            await Assertions.Expect(page.Locator("[data-testid=letter-row]").First).ToBeVisibleAsync(new() { Timeout = 10_000 });
        });
        await AssertNoViolationsAsync(page, problems, "patient record");
        await page.GotoAsync(await page.Locator("[data-testid=letter-link]").First.GetAttributeAsync("href") ?? "letters/none");
        await Assertions.Expect(page.Locator("[data-testid=document-viewer]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await AssertNoViolationsAsync(page, problems, "letter");

        // Compose: a 10,000-character Japanese field (~60 KB in one event: the text twice, as UTF-8) reaches the server within
        // the portal's 128 KB SignalR message limit and is saved. At the default 32 KB it never arrived.
        await page.GotoAsync($"patients/{patientId}");
        await Eventually.PassAsync(async () =>
        {
            await page.Locator("[data-testid=compose-referral]").ClickAsync(new() { Timeout = 2000 });
            await page.WaitForURLAsync(DraftUrl(), new() { Timeout = 5000 });
        });
        var longText = string.Concat(Enumerable.Repeat("心窩部痛の精査加療をお願いします。", 600))[..10_000];
        var purpose = page.GetByLabel("紹介目的");
        await Eventually.PassAsync(async () =>
        {
            await purpose.FillAsync(longText, new() { Timeout = 5000 });
            await page.WaitForTimeoutAsync(1500);
            await Assertions.Expect(page.Locator("[data-testid=save-saved]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        });
        await Assertions.Expect(page.Locator("[data-testid=save-status]")).Not.ToContainTextAsync("保存中", new() { Timeout = 15_000 });
        await AssertNoViolationsAsync(page, problems, "compose");
        await page.ReloadAsync();
        await Assertions.Expect(purpose).ToHaveValueAsync(longText, new() { Timeout = 15_000 });
        await AssertNoViolationsAsync(page, problems, "compose after reload");

        await page.GotoAsync("referrals/inbox");
        await Assertions.Expect(page.Locator("[data-testid=mailbox]")).ToBeVisibleAsync();
        await AssertNoViolationsAsync(page, problems, "inbox");
    }

    private static async Task AssertNoViolationsAsync(IPage page, List<string> problems, string where)
    {
        var recorded = await page.EvaluateAsync<string[]>("() => window.__cspViolations || []");
        var all = problems.Concat(recorded).ToList();
        Assert.True(all.Count == 0, $"{where}:\n" + string.Join("\n", all));
    }

    [GeneratedRegex("/referrals/drafts/[0-9a-f-]{36}$")]
    private static partial Regex DraftUrl();
}

using System.Text.Json.Nodes;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Documents;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Documents;

[Collection(BrowserCollection.Name)]
public sealed partial class LetterPageTests(BrowserFixture browser, LetterServerFixture server) : IClassFixture<LetterServerFixture>
{
    private const string Xhtml = "xmlns=\"http://www.w3.org/1999/xhtml\"";

    // A closed port on another loopback address: anything that tries to load it shows up in the request log.
    private const string Elsewhere = "http://127.0.0.2:9";

    [Fact]
    public async Task A_demo_letter_opens_with_every_section()
    {
        var letter = DemoLetters.All.Single(l => l.Key == "hospital-to-clinic-sato");
        var id = await server.FindLetterIdAsync(letter);
        Assert.NotNull(id);
        var expected = DocumentMapper.Map(DemoLetters.ToDocument(letter), id)!.AllSections.Select(s => s.Title).ToList();
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "doctor@hospital.example");

        await page.GotoInteractiveAsync($"letters/{id}");

        await Assertions.Expect(page.Locator("[data-testid=document-viewer]")).ToBeVisibleAsync();
        await Assertions.Expect(page).ToHaveTitleAsync("診療情報提供書 - MedNetPortal");
        var titles = (await page.Locator("[data-testid=document-section-title]").AllTextContentsAsync()).Select(t => t.Trim()).ToList();
        Assert.Equal(expected, titles);
        await Assertions.Expect(page.Locator("[data-testid=document-sender]")).ToContainTextAsync(letter.FromFacility.Name);
        await Assertions.Expect(page.Locator("[data-section-code='340'] [data-testid=document-entry]")).ToHaveCountAsync(2);

        // The print button loads its JS module on first use; a bad module URL would break the circuit here.
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") { errors.Add(message.Text); } };
        page.PageError += (_, error) => errors.Add(error);
        await page.EvaluateAsync("() => { window.print = () => { window.__printed = true; }; }");
        await page.Locator("[data-testid=print-button]:visible").First.ClickAsync();
        await Eventually.PassAsync(async () => Assert.True(await page.EvaluateAsync<bool>("() => window.__printed === true")));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task An_unknown_letter_says_not_found()
    {
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "doctor@hospital.example");

        await page.GotoAsync("letters/does-not-exist");

        await Assertions.Expect(page.Locator("[data-testid=letter-not-found]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_hostile_narrative_is_inert()
    {
        string[] hostile =
        [
            $"<div {Xhtml}><p>本文の前</p><script>window.__pwned=1;document.title='pwned'</script><p>本文の後</p></div>",
            $"<div {Xhtml}><img src=\"{Elsewhere}/x.png\" onerror=\"window.__pwned=2\"/><p onmouseover=\"window.__pwned=4\" id=\"hover-me\">hover</p></div>",
            $"<div {Xhtml}><a href=\"javascript:window.__pwned=3\" data-x=\"1\">JSリンク</a><a href=\"jav&#x09;ascript:window.__pwned=3\">JSリンク2</a></div>",
            $"<div {Xhtml}><iframe src=\"{Elsewhere}/frame\"></iframe><object data=\"{Elsewhere}/obj\"></object><embed src=\"{Elsewhere}/embed\"/></div>",
            $"<div {Xhtml}><svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"window.__pwned=5\"><image href=\"{Elsewhere}/svg.png\"/></svg></div>",
            $"<div {Xhtml}><style>body{{background:url({Elsewhere}/bg.png)}}</style><link rel=\"stylesheet\" href=\"{Elsewhere}/x.css\"/><p style=\"background:url({Elsewhere}/s.png)\">styled</p></div>",
            $"<div {Xhtml}><meta http-equiv=\"refresh\" content=\"0;url={Elsewhere}/\"/><base href=\"{Elsewhere}/\"/><form action=\"{Elsewhere}/f\"><button>送信</button></form></div>",
            $"<div {Xhtml}><img src=\"data:image/svg+xml,&lt;svg xmlns='http://www.w3.org/2000/svg' onload='window.__pwned=6'/&gt;\"/><a href=\"data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;\">data</a></div>",
            "<div><img src=x onerror=window.__pwned=7><p>崩れたXHTML</div>",
        ];
        var id = await server.StoreUnvalidatedDocumentAsync(n => DocumentJson("敵対 太郎", n), hostile);
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        var requests = new List<string>();
        var dialogs = 0;
        page.Request += (_, request) => requests.Add(request.Url);
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        await SignIn.AsAsync(page, "doctor@hospital.example");

        await page.GotoInteractiveAsync($"letters/{id}");
        await Assertions.Expect(page.Locator("[data-testid=document-viewer]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=document-section]")).ToHaveCountAsync(hostile.Length + 1); // + 紹介先情報
        // Interactive now: hover and click what a hostile narrative hoped would run.
        await Eventually.PassAsync(async () => Assert.True(await page.EvaluateAsync<bool>("() => !!window.Blazor")));
        // The screen viewer (the paper form beside it is print-only and renders the same sanitised narratives).
        var viewer = page.Locator("[data-testid=document-viewer]");
        await viewer.Locator("text=hover").HoverAsync();
        await viewer.Locator("a", new() { HasText = "JSリンク" }).First.ClickAsync();
        await viewer.Locator("a", new() { HasText = "JSリンク2" }).ClickAsync();
        await page.WaitForTimeoutAsync(500);

        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__pwned"));
        await Assertions.Expect(page).ToHaveTitleAsync("診療情報提供書 - MedNetPortal");
        Assert.Equal(0, dialogs);
        foreach (var narrative in new[] { ".doc-narrative", ".paper-narrative" })
        {
            Assert.Equal(0, await page.Locator(string.Join(", ", new[] { "script", "iframe", "object", "embed", "svg", "img", "style", "link", "form", "meta", "base", "[style]", "[onerror]", "[onload]", "[onmouseover]", "[src]", "a[href^=javascript]", "a[href^=data]" }.Select(s => $"{narrative} {s}"))).CountAsync());
        }

        Assert.True(await page.Locator(".paper-narrative").CountAsync() > 0);
        var root = server.Portal.RootUri.GetLeftPart(UriPartial.Authority);
        Assert.All(requests, url => Assert.StartsWith(root, url, StringComparison.Ordinal));
        Assert.DoesNotContain(requests, url => url.Contains("127.0.0.2", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("本文の後");
        await Assertions.Expect(viewer.Locator(".narrative-unparsed")).ToContainTextAsync("崩れたXHTML");
    }

    [Fact]
    public async Task A_long_letter_prints_with_the_patient_name_page_numbers_and_the_confidentiality_line_on_every_page()
    {
        const string patientName = "印刷 花子";
        var paragraph = string.Concat(Enumerable.Repeat("<p>経過は良好で、外来にて経過観察を継続しています。検査値に大きな変動はありません。</p>", 12));
        var sections = Enumerable.Range(1, 20).Select(_ => $"<div {Xhtml}>{paragraph}</div>").ToArray();
        var id = await server.PostDocumentAsync(DocumentJson(patientName, sections));
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "doctor@hospital.example");
        await page.GotoInteractiveAsync($"letters/{id}");
        await Assertions.Expect(page.Locator("[data-testid=document-section]")).ToHaveCountAsync(21); // 20 + 紹介先情報

        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(page.Locator("[data-testid=print-running-header]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=print-running-header]")).ToContainTextAsync(patientName);
        await Assertions.Expect(page.Locator("[data-testid=print-running-header]")).ToHaveCSSAsync("position", "fixed");
        await Assertions.Expect(page.Locator(".mud-appbar")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#portal-nav")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("[data-testid=print-button]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=print-button]:visible")).ToHaveCountAsync(0);

        var pages = await PrintedPdf.PrintAsync(page, Path.Combine(server.Portal.DataDirectory, "letter.pdf"));
        Assert.True(pages.Count >= 2, $"Expected several pages, got {pages.Count}.");
        // On every page: the confidentiality line and the patient's name above the body, never over it, and the page number.
        PrintedPdf.AssertHeadedAndNumbered(pages, "機密 — 個人の診療情報を含みます。取り扱いに注意し、不要になったら適切に廃棄してください。", $"患者: {patientName}　診療情報提供書");
    }

    private Task<IBrowserContext> NewContextAsync() =>
        browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.Portal.RootUri.ToString(),
            Locale = "ja-JP",
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
        });

    /// <summary>A minimal JP-CLINS-shaped document Bundle whose sections carry the given narratives (raw strings, not validated).</summary>
    private static string DocumentJson(string patientName, IReadOnlyList<string> narratives)
    {
        var patientUrn = "urn:uuid:" + Guid.NewGuid();
        var sections = new JsonArray();
        for (var i = 0; i < narratives.Count; i++)
        {
            sections.Add(new JsonObject
            {
                ["title"] = $"セクション{i + 1}",
                ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://jpfhir.jp/fhir/clins/CodeSystem/document-section", ["code"] = "220" }) },
                ["text"] = new JsonObject { ["status"] = "additional", ["div"] = narratives[i] },
            });
        }

        // Addressed to the demo hospital (section 910): the hospital's own correspondence opens without a patient's consent.
        var hospitalUrn = "urn:uuid:" + Guid.NewGuid();
        sections.Add(new JsonObject
        {
            ["title"] = "紹介先情報",
            ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://jpfhir.jp/fhir/clins/CodeSystem/document-section", ["code"] = "910" }) },
            ["entry"] = new JsonArray(new JsonObject { ["reference"] = hospitalUrn }),
        });
        var bundle = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "document",
            ["identifier"] = new JsonObject { ["system"] = "http://jpfhir.jp/fhir/clins/bundle-identifier", ["value"] = $"1319876543^2025^e2e-{Guid.NewGuid():N}" },
            ["timestamp"] = "2025-04-01T10:00:00+09:00",
            ["entry"] = new JsonArray(
                new JsonObject
                {
                    ["fullUrl"] = "urn:uuid:" + Guid.NewGuid(),
                    ["resource"] = new JsonObject
                    {
                        ["resourceType"] = "Composition",
                        ["status"] = "final",
                        ["type"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://jpfhir.jp/fhir/Common/CodeSystem/doc-typecodes", ["code"] = "57133-1", ["display"] = "診療情報提供書" }) },
                        ["subject"] = new JsonObject { ["reference"] = patientUrn },
                        ["date"] = "2025-04-01T10:00:00+09:00",
                        ["author"] = new JsonArray(new JsonObject { ["display"] = "試験 医師" }),
                        ["title"] = "診療情報提供書",
                        ["section"] = sections,
                    },
                },
                new JsonObject
                {
                    ["fullUrl"] = patientUrn,
                    ["resource"] = new JsonObject
                    {
                        ["resourceType"] = "Patient",
                        ["name"] = new JsonArray(new JsonObject { ["text"] = patientName }),
                        ["gender"] = "female",
                        ["birthDate"] = "1960-01-01",
                    },
                },
                new JsonObject
                {
                    ["fullUrl"] = hospitalUrn,
                    ["resource"] = new JsonObject
                    {
                        ["resourceType"] = "Organization",
                        ["identifier"] = new JsonArray(new JsonObject { ["system"] = "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no", ["value"] = DemoFacilities.HospitalCode }),
                        ["name"] = DemoFacilities.Hospital.Name,
                    },
                }),
        };
        return bundle.ToJsonString();
    }
}

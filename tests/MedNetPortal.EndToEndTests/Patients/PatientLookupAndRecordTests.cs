using System.Text.RegularExpressions;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Web.Features.Demo;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Patients;

[Collection(PatientsCollection.Name)]
public sealed class PatientLookupAndRecordTests(PatientsPortal portal)
{
    private const string BatchRequest = "POST /fhir/";
    private const string ConsentRequest = "POST /fhir/Consent/_search";
    private const string SearchRequest = "POST /fhir/Patient/_search";

    private async Task<IPage> OpenLookupAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "doctor@hospital.example");
        await page.GotoAsync("patients");
        // Typing before the circuit connects is lost when it renders; a length error shows only once it handles input.
        var insurer = page.GetByLabel("保険者番号", new() { Exact = true });
        await Eventually.PassAsync(async () =>
        {
            await insurer.FillAsync("1");
            await Assertions.Expect(page.GetByText("保険者番号は6桁または8桁です")).ToBeVisibleAsync(new() { Timeout = 1000 });
        });
        await insurer.FillAsync(string.Empty);
        return page;
    }

    /// <summary>Types into a field once the circuit handles input (validation shows only then).</summary>
    private static async Task FillInteractiveAsync(IPage page, string label, string value, ILocator proof)
    {
        await Eventually.PassAsync(async () =>
        {
            await page.GetByLabel(label, new() { Exact = true }).FillAsync(value);
            await Assertions.Expect(proof).ToBeVisibleAsync(new() { Timeout = 700 });
        });
    }

    [Fact]
    public async Task A_wrong_check_digit_is_named_under_the_field_and_Enter_sends_no_request()
    {
        await using var context = await portal.NewContextAsync();
        var page = await OpenLookupAsync(context);

        await FillInteractiveAsync(page, "保険者番号", "06134523", page.GetByText("保険者番号の検証番号が一致しません"));
        await page.GetByLabel("番号", new() { Exact = true }).FillAsync("5678");
        portal.Log.Clear();
        await page.GetByLabel("番号", new() { Exact = true }).PressAsync("Enter");
        await page.GetByLabel("記号", new() { Exact = true }).PressAsync("Enter");

        await Assertions.Expect(page.GetByText("保険者番号の検証番号が一致しません")).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(500);
        Assert.DoesNotContain(SearchRequest, portal.Log.Requests);
        Assert.EndsWith("/patients", page.Url);
    }

    [Fact]
    public async Task Not_found_repeats_what_was_searched_and_names_the_usual_causes()
    {
        await using var context = await portal.NewContextAsync();
        var page = await OpenLookupAsync(context);

        await page.GetByLabel("保険者番号", new() { Exact = true }).FillAsync("06134522");
        await page.GetByLabel("記号", new() { Exact = true }).FillAsync("9999");
        await page.GetByLabel("番号", new() { Exact = true }).FillAsync("１２３");
        portal.Log.Clear();
        await page.GetByLabel("番号", new() { Exact = true }).PressAsync("Enter");

        var message = page.Locator("[data-testid=lookup-not-found]");
        await Assertions.Expect(message).ToContainTextAsync("該当する患者が見つかりませんでした");
        await Assertions.Expect(message).ToContainTextAsync("06134522");
        await Assertions.Expect(message).ToContainTextAsync("123");
        await Assertions.Expect(message).ToContainTextAsync("枝番のない古い保険証");
        Assert.Equal([SearchRequest], portal.Log.Requests);
        Assert.DoesNotContain("06134522", page.Url);
    }

    [Fact]
    public async Task Found_by_a_pasted_identifier_opens_the_record_without_the_identifier_in_the_URL_or_title()
    {
        await using var context = await portal.NewContextAsync();
        var page = await OpenLookupAsync(context);
        var sato = DemoPatients.SatoKenichi;

        // Full-width digits are accepted and normalised.
        await FillInteractiveAsync(page, "まとめて貼り付け（保険者番号:記号:番号:枝番）", "０１１３７１１６:A12:3456789:",
            page.Locator("[data-testid=lookup-normalised]"));
        await Assertions.Expect(page.Locator("[data-testid=lookup-normalised]")).ToContainTextAsync(sato.QualificationIdentifier);
        portal.Log.Clear();
        await page.GetByLabel("番号", new() { Exact = true }).PressAsync("Enter");

        await page.WaitForURLAsync(new Regex("/patients/[A-Za-z0-9.-]+$"));
        await Assertions.Expect(page.Locator("[data-testid=patient-name]")).ToHaveTextAsync("佐藤 健一");
        Assert.Equal(portal.PatientIds[sato.Key], page.Url.Split('/')[^1]);
        var title = await page.TitleAsync();
        foreach (var piece in new[] { "01137116", "A12", "3456789" })
        {
            Assert.DoesNotContain(piece, page.Url);
            Assert.DoesNotContain(piece, title);
        }

        // One search, the consent check, then the record's single batch (client-side navigation inside the circuit: no prerender).
        await Assertions.Expect(page.Locator("[data-testid=diagnosis-row]").First).ToBeVisibleAsync();
        Assert.Equal([SearchRequest, ConsentRequest, BatchRequest], portal.Log.Requests);
    }

    [Fact]
    public async Task Record_page_shows_banner_diagnoses_allergies_letters_and_marks()
    {
        await using var context = await portal.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "doctor@hospital.example");
        await page.GotoAsync($"patients/{portal.PatientIds[DemoPatients.SuzukiTome.Key]}");

        await Assertions.Expect(page.Locator("[data-testid=patient-kana]")).ToHaveTextAsync("スズキ トメ");
        await Assertions.Expect(page.Locator("[data-testid=patient-birth]")).ToContainTextAsync("昭和11年2月20日");
        await Assertions.Expect(page.Locator("[data-testid=patient-sex]")).ToHaveTextAsync("女性");
        await Assertions.Expect(page.Locator("[data-testid=patient-contraindications]")).ToContainTextAsync("ヨード造影剤（絶対禁忌）");
        var identifier = page.Locator("[data-testid=patient-identifier]");
        await Assertions.Expect(identifier).ToHaveTextAsync("3913****::****:");
        var toggle = page.Locator("[data-testid=patient-identifier-toggle]");
        await Eventually.PassAsync(async () =>
        {
            if (await toggle.GetAttributeAsync("aria-pressed") != "true")
            {
                await toggle.ClickAsync();
            }

            await Assertions.Expect(identifier).ToHaveTextAsync(DemoPatients.SuzukiTome.QualificationIdentifier, new() { Timeout = 2000 });
        });

        var cancer = page.Locator("[data-testid=diagnosis-row]", new() { HasText = "胃癌" });
        await Assertions.Expect(cancer.Locator("[data-testid=mark-uninformed]")).ToHaveTextAsync("未告知");
        await Assertions.Expect(cancer).ToContainTextAsync("病名管理番号（MEDIS）");
        await Assertions.Expect(page.Locator("[data-testid=diagnoses-count]")).ToHaveTextAsync("6 / 6件");
        await page.Locator("[data-testid=diagnoses-filter-resolved]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=diagnosis-row]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=diagnosis-row]")).ToContainTextAsync("肺炎");

        await Assertions.Expect(page.Locator("[data-testid=contraindication-row]", new() { HasText = "ヨード造影剤" }).Locator("[data-testid=contraindication-absolute]")).ToBeVisibleAsync();
        var letter = page.Locator("[data-testid=letter-row][data-kind=referralletter]");
        await Assertions.Expect(letter).ToContainTextAsync("肺炎の治療後");
        Assert.Matches("^letters/[A-Za-z0-9.-]+\\?patient=[A-Za-z0-9.-]+$", await letter.Locator("[data-testid=letter-link]").GetAttributeAsync("href"));
    }

    [Fact]
    public async Task Suspected_uncoded_and_entered_in_error_are_marked_and_never_current()
    {
        await using var context = await portal.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "doctor@hospital.example");
        await page.GotoAsync($"patients/{portal.PatientIds[DemoPatients.YamadaHanako.Key]}");
        var suspected = page.Locator("[data-testid=diagnosis-row]", new() { HasText = "狭心症の疑い" });
        await Assertions.Expect(suspected.Locator("[data-testid=mark-suspected]")).ToHaveTextAsync("疑い");
        var uncoded = page.Locator("[data-testid=diagnosis-row]", new() { HasText = "胸部不快感" });
        await Assertions.Expect(uncoded.Locator("[data-testid=mark-uncoded]")).ToHaveTextAsync("コードなし");

        await page.GotoAsync($"patients/{portal.PatientIds[DemoPatients.SatoKenichi.Key]}");
        await Assertions.Expect(page.Locator("[data-testid=allergy-row]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=allergy-row]")).ToContainTextAsync("そば");
        await Assertions.Expect(page.Locator("[data-testid=contraindications-entered-in-error] s")).ToHaveTextAsync("ロキソプロフェン");
    }

    [Fact]
    public async Task One_page_view_is_one_request_including_the_circuit_and_more_is_exactly_one_more()
    {
        await using var context = await portal.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "doctor@hospital.example");
        portal.Log.Clear();

        await page.GotoAsync($"patients/{portal.PatientIds[DemoPatients.LargeRecordKey]}");
        var count = page.Locator("[data-testid=diagnoses-count]");
        await Assertions.Expect(count).ToHaveTextAsync(new Regex(@"^100 / 5\d\d件$"));
        // Proof the circuit is live (and so has initialised the page interactively): the identifier toggle responds.
        var toggle = page.Locator("[data-testid=patient-identifier-toggle]");
        await Eventually.PassAsync(async () =>
        {
            if (await toggle.GetAttributeAsync("aria-pressed") != "true")
            {
                await toggle.ClickAsync();
            }

            await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-pressed", "true", new() { Timeout = 2000 });
        });
        await page.WaitForTimeoutAsync(500);
        Assert.Equal([ConsentRequest, BatchRequest], portal.Log.Requests);

        // The consent decision is kept for the circuit: "more" is one request.
        await page.Locator("[data-testid=diagnoses-more]").ClickAsync();
        await Assertions.Expect(count).ToHaveTextAsync(new Regex(@"^200 / 5\d\d件$"));
        Assert.Equal(3, portal.Log.Requests.Count);
        Assert.StartsWith("GET /fhir/Condition", portal.Log.Requests[2]);
        await Assertions.Expect(page.Locator("[data-testid=diagnosis-row]")).ToHaveCountAsync(200);
    }
}

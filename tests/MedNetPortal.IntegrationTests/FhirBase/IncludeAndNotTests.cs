// Firely models are nullable throughout; these tests dereference what the assertions just established.
#nullable disable warnings
using System.Net;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.IntegrationTests.Infrastructure;

namespace MedNetPortal.IntegrationTests.FhirBase;

/// <summary>
/// What the record page's batch needs from the base: <c>:not</c> on tokens, <c>_include=T:institution</c> resolving the
/// JP-CLINS institution number to Organizations, and <c>_include</c>d resources on the page of the matches that reference them.
/// </summary>
public sealed class IncludeAndNotTests(EmbeddedFhirBaseFixture fixture) : IClassFixture<EmbeddedFhirBaseFixture>
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async System.Threading.Tasks.Task Not_on_a_token_excludes_matching_resources_and_keeps_those_without_the_element()
    {
        var patient = await Http.CreateAsync(FhirTestClient.NewPatient("00012345::not-" + Guid.NewGuid().ToString("N")[..8] + ":"));
        AllergyIntolerance Allergy(string text, AllergyIntolerance.AllergyIntoleranceCategory? category) => new()
        {
            Patient = new ResourceReference($"Patient/{patient.Id}"),
            Code = new CodeableConcept { Text = text },
            Category = category is null ? [] : [category],
        };
        await Http.CreateAsync(Allergy("ペニシリン", AllergyIntolerance.AllergyIntoleranceCategory.Medication));
        await Http.CreateAsync(Allergy("そば", AllergyIntolerance.AllergyIntoleranceCategory.Food));
        await Http.CreateAsync(Allergy("不明", null));

        var drugs = await GetAsync($"AllergyIntolerance?patient=Patient/{patient.Id}&category=medication");
        var others = await GetAsync($"AllergyIntolerance?patient=Patient/{patient.Id}&category:not=medication");
        var neither = await GetAsync($"AllergyIntolerance?patient=Patient/{patient.Id}&category:not=medication,food");

        Assert.Equal(["ペニシリン"], Texts(drugs));
        Assert.Equal(["そば", "不明"], Texts(others).Order());
        Assert.Equal(["不明"], Texts(neither));
        using var badModifier = await Http.GetAsync($"AllergyIntolerance?patient:not=Patient/{patient.Id}");
        Assert.Equal(HttpStatusCode.BadRequest, badModifier.StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task Institution_include_returns_the_organization_with_that_facility_code_on_each_page_that_needs_it()
    {
        var code = "13" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var other = "27" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Http.CreateAsync(new Organization { Name = "検査病院", Identifier = [new Identifier(JpFhir.Systems.MedicalInstitutionCode, code)] });
        await Http.CreateAsync(new Organization { Name = "別の病院", Identifier = [new Identifier(JpFhir.Systems.MedicalInstitutionCode, other)] });
        var doctor = await Http.CreateAsync(new Practitioner { Name = [new HumanName { Family = "検査", Given = ["医師"] }] });
        var patient = await Http.CreateAsync(FhirTestClient.NewPatient("00012345::inc-" + Guid.NewGuid().ToString("N")[..8] + ":"));
        // Five results from the first facility (newest), then five from the other: pages of three.
        for (var i = 0; i < 10; i++)
        {
            await Http.CreateAsync(new Observation
            {
                Status = ObservationStatus.Final,
                Code = new CodeableConcept { Text = "HbA1c" },
                Subject = new ResourceReference($"Patient/{patient.Id}"),
                Effective = new FhirDateTime(new DateTimeOffset(2025, 1, 1, 9, 0, 0, TimeSpan.FromHours(9)).AddDays(-i)),
                Performer = [new ResourceReference($"Practitioner/{doctor.Id}")],
                Extension = [new Extension(JpFhir.Extensions.InstitutionNumber, new Identifier(JpFhir.Systems.MedicalInstitutionCode, i < 5 ? code : other))],
            });
        }

        var pages = new List<Bundle> { await GetAsync($"Observation?patient=Patient/{patient.Id}&_sort=-date&_count=3&_include=Observation:institution&_include=Observation:performer") };
        while (pages[^1].NextLink is { } next)
        {
            pages.Add(await GetAsync(next.ToString()));
        }

        Assert.Equal(4, pages.Count);
        Assert.All(pages, p => Assert.Equal(10, p.Total));
        Assert.Equal(10, pages.Sum(p => p.Entry.Count(e => e.Search.Mode == Bundle.SearchEntryMode.Match)));
        string[] Included(Bundle page) =>
            [.. page.Entry.Where(e => e.Search.Mode == Bundle.SearchEntryMode.Include).Select(e => e.Resource switch
            {
                Organization o => o.Name,
                Practitioner => "doctor",
                _ => "?",
            }).Order(StringComparer.Ordinal)];
        // Each page carries the Organizations (by identifier) and the Practitioner its own matches name, and nothing else.
        Assert.Equal(["doctor", "検査病院"], Included(pages[0]));
        Assert.Equal(["doctor", "別の病院", "検査病院"], Included(pages[1]));
        Assert.Equal(["doctor", "別の病院"], Included(pages[2]));
        Assert.Equal(["doctor", "別の病院"], Included(pages[3]));

        var byCode = await GetAsync($"Observation?patient=Patient/{patient.Id}&institution={Uri.EscapeDataString(JpFhir.Systems.MedicalInstitutionCode + "|" + other)}");
        Assert.Equal(5, byCode.Total);
    }

    private async Task<Bundle> GetAsync(string url)
    {
        using var response = await Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<Bundle>();
    }

    private static IEnumerable<string> Texts(Bundle bundle) =>
        bundle.Entry.Select(e => e.Resource).OfType<AllergyIntolerance>().Select(a => a.Code.Text);
}

// Firely models are nullable throughout; these tests dereference what the assertions just established.
#nullable disable warnings
using System.Net;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using MedNetPortal.IntegrationTests.Infrastructure;

namespace MedNetPortal.IntegrationTests.FhirBase;

/// <summary>The core behaviour, run against SQLite here and against PostgreSQL by <see cref="PostgresFhirBaseTests"/>.</summary>
public abstract class FhirBaseCoreTests
{
    protected abstract EmbeddedFhirBaseFixture Fixture { get; }

    protected HttpClient Http => Fixture.Http;

    [Fact]
    public async System.Threading.Tasks.Task Create_returns_201_with_location_etag_and_reads_back()
    {
        using var response = await Http.PostAsync("Patient", FhirTestClient.Json(FhirTestClient.NewPatient("00012345:x:1:" + Random.Shared.Next(10, 99))));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("W/\"1\"", response.Headers.ETag?.ToString());
        Assert.NotNull(response.Content.Headers.LastModified);
        var created = await response.ReadAsync<Patient>();
        Assert.False(string.IsNullOrEmpty(created.Id));
        Assert.Equal(new Uri(Fixture.BaseUri, $"Patient/{created.Id}/_history/1"), response.Headers.Location);

        using var read = await Http.GetAsync($"Patient/{created.Id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var patient = await read.ReadAsync<Patient>();
        Assert.Equal("1", patient.Meta.VersionId);
        Assert.Equal("山田", patient.Name[0].Family);
    }

    [Fact]
    public async System.Threading.Tasks.Task Transaction_of_patient_with_50_conditions_and_5_allergies_is_found_by_revinclude_and_pages_to_the_same_set()
    {
        var identifier = $"00012345:あ:{Guid.NewGuid():N}:01";
        using var response = await Http.PostAsync("", FhirTestClient.Json(TestBundles.PatientRecord(identifier)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadAsync<Bundle>();
        Assert.Equal(Bundle.BundleType.TransactionResponse, result.Type);
        Assert.Equal(56, result.Entry.Count);
        Assert.All(result.Entry, e => Assert.StartsWith("201", e.Response.Status, StringComparison.Ordinal));
        var patientId = result.Entry[0].Response.Location.Split('/')[1];

        var query = $"Patient?identifier={Uri.EscapeDataString(TestBundles.MemberSystem + "|" + identifier)}&_revinclude=Condition:patient&_revinclude=AllergyIntolerance:patient";
        var all = (await Http.SearchAllPagesAsync(query)).SelectMany(p => p.Entry).ToList();
        Assert.Equal(56, all.Count);
        Assert.Single(all, e => e.Search.Mode == Bundle.SearchEntryMode.Match);
        Assert.All(all.Where(e => e.Resource is Condition), e => Assert.Equal($"Patient/{patientId}", ((Condition)e.Resource).Subject.Reference));
        Assert.All(all.Where(e => e.Resource is AllergyIntolerance), e => Assert.Equal($"Patient/{patientId}", ((AllergyIntolerance)e.Resource).Patient.Reference));
        Assert.Equal(50, all.Count(e => e.Resource is Condition));
        Assert.Equal(5, all.Count(e => e.Resource is AllergyIntolerance));

        var pages = await Http.SearchAllPagesAsync(query + "&_count=7");
        Assert.Equal(8, pages.Count);
        Assert.All(pages, p => Assert.Equal(1, p.Total));
        Assert.All(pages, p => Assert.DoesNotContain(identifier, p.NextLink?.ToString() ?? string.Empty, StringComparison.Ordinal));
        var paged = pages.SelectMany(p => p.Entry).Select(e => e.FullUrl).ToList();
        Assert.Equal(paged.Count, paged.Distinct().Count());
        Assert.Equal(all.Select(e => e.FullUrl).Order(), paged.Order());

        // The same transaction again: the Patient is found by identifier, not duplicated.
        using var again = await Http.PostAsync("", FhirTestClient.Json(TestBundles.PatientRecord(identifier, conditions: 1, allergies: 0)));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var second = await again.ReadAsync<Bundle>();
        Assert.StartsWith("200", second.Entry[0].Response.Status, StringComparison.Ordinal);
        using var count = await Http.GetAsync($"Patient?identifier={Uri.EscapeDataString(TestBundles.MemberSystem + "|" + identifier)}&_summary=count");
        Assert.Equal(1, (await count.ReadAsync<Bundle>()).Total);
        using var conditions = await Http.GetAsync($"Condition?patient=Patient/{patientId}&_summary=count");
        Assert.Equal(51, (await conditions.ReadAsync<Bundle>()).Total);
    }

    [Fact]
    public async System.Threading.Tasks.Task Search_by_name_matches_kanji_and_kana_prefixes_case_insensitively()
    {
        var unique = Guid.NewGuid().ToString("N")[..6];
        var created = await Http.CreateAsync(FhirTestClient.NewPatient("00012345::" + unique + ":", "鈴木" + unique, "花子", "スズキ" + unique.ToUpperInvariant(), "ハナコ"));
        foreach (var name in new[] { "鈴木" + unique, "鈴木" + unique[..3], "スズキ" + unique.ToLowerInvariant(), "ﾊﾅｺ", "花子" })
        {
            using var response = await Http.GetAsync($"Patient?name={Uri.EscapeDataString(name)}");
            var bundle = await response.ReadAsync<Bundle>();
            Assert.Contains(bundle.Entry, e => e.Resource.Id == created.Id);
        }
        using var none = await Http.GetAsync($"Patient?name={Uri.EscapeDataString(unique + "鈴木")}");
        Assert.Equal(0, (await none.ReadAsync<Bundle>()).Total);
    }

    [Fact]
    public async System.Threading.Tasks.Task Restart_keeps_all_data()
    {
        var created = await Http.CreateAsync(FhirTestClient.NewPatient("00012345::restart:" + Random.Shared.Next(10, 99)));
        var before = await Http.StoreSnapshotAsync();
        await Fixture.RestartAsync();
        Assert.Equal(before, await Http.StoreSnapshotAsync());
        using var read = await Http.GetAsync($"Patient/{created.Id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        using var search = await Http.GetAsync($"Patient?_id={created.Id}&name=山田");
        Assert.Equal(1, (await search.ReadAsync<Bundle>()).Total);
    }
}

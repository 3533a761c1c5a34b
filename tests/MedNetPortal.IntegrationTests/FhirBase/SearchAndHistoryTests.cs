// Firely models are nullable throughout; these tests dereference what the assertions just established.
#nullable disable warnings
using System.Net;
using Hl7.Fhir.Model;
using MedNetPortal.IntegrationTests.Infrastructure;

namespace MedNetPortal.IntegrationTests.FhirBase;

public sealed class SearchAndHistoryTests(EmbeddedFhirBaseFixture fixture) : IClassFixture<EmbeddedFhirBaseFixture>
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async System.Threading.Tasks.Task Update_with_if_match_versions_history_vread_and_delete()
    {
        var patient = await Http.CreateAsync(FhirTestClient.NewPatient("00012345::hist:"));
        patient.Gender = AdministrativeGender.Female;
        using var update = await Http.SendAsync(HttpMethod.Put, $"Patient/{patient.Id}", MedNetPortal.FhirBase.FhirJson.Serialize(patient),
            new Dictionary<string, string> { ["If-Match"] = "W/\"1\"" });
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal("W/\"2\"", update.Headers.ETag?.ToString());

        using var stale = await Http.SendAsync(HttpMethod.Put, $"Patient/{patient.Id}", MedNetPortal.FhirBase.FhirJson.Serialize(patient),
            new Dictionary<string, string> { ["If-Match"] = "W/\"1\"" });
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);

        using var v1 = await Http.GetAsync($"Patient/{patient.Id}/_history/1");
        Assert.Equal(AdministrativeGender.Male, (await v1.ReadAsync<Patient>()).Gender);
        using var history = await Http.GetAsync($"Patient/{patient.Id}/_history");
        var bundle = await history.ReadAsync<Bundle>();
        Assert.Equal(Bundle.BundleType.History, bundle.Type);
        Assert.Equal(["2", "1"], bundle.Entry.Select(e => e.Resource.Meta.VersionId));

        using var typeHistory = await Http.GetAsync("Patient/_history?_count=1");
        var typeBundle = await typeHistory.ReadAsync<Bundle>();
        Assert.True(typeBundle.Total >= 2);
        Assert.NotNull(typeBundle.NextLink);

        using var delete = await Http.DeleteAsync($"Patient/{patient.Id}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using var gone = await Http.GetAsync($"Patient/{patient.Id}");
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        using var search = await Http.GetAsync($"Patient?_id={patient.Id}");
        Assert.Equal(0, (await search.ReadAsync<Bundle>()).Total);
    }

    [Fact]
    public async System.Threading.Tasks.Task Identifier_comma_or_birthdate_prefixes_sort_summary_include_and_post_search()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var a = FhirTestClient.NewPatient($"00012345:ABC:{tag}:");
        a.BirthDate = "1980-05-05";
        var b = FhirTestClient.NewPatient($"00012345:ＡＢＣ:{tag}:");
        b.BirthDate = "1990-01-01";
        a = await Http.CreateAsync(a);
        b = await Http.CreateAsync(b);
        var sys = TestBundles.MemberSystem;
        var both = Uri.EscapeDataString($"{sys}|00012345:ABC:{tag}:,{sys}|00012345:ＡＢＣ:{tag}:");

        async Task<Bundle> GetAsync(string url)
        {
            using var response = await Http.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.ReadAsync<Bundle>();
        }

        Assert.Equal(2, (await GetAsync($"Patient?identifier={both}")).Total);
        Assert.Equal(2, (await GetAsync($"Patient?identifier={both}&_summary=count")).Total);
        Assert.Empty((await GetAsync($"Patient?identifier={both}&_summary=count")).Entry);
        Assert.Equal([b.Id], (await GetAsync($"Patient?identifier={both}&birthdate=ge1985")).Entry.Select(e => e.Resource.Id));
        Assert.Equal([a.Id], (await GetAsync($"Patient?identifier={both}&birthdate=lt1985-01-01")).Entry.Select(e => e.Resource.Id));
        Assert.Equal([a.Id], (await GetAsync($"Patient?identifier={both}&birthdate=1980-05")).Entry.Select(e => e.Resource.Id));
        Assert.Equal([b.Id, a.Id], (await GetAsync($"Patient?identifier={both}&_sort=-birthdate")).Entry.Select(e => e.Resource.Id));
        Assert.Equal([b.Id, a.Id], (await GetAsync($"Patient?identifier={both}&_sort=-_lastUpdated")).Entry.Select(e => e.Resource.Id));
        Assert.Equal(0, (await GetAsync($"Patient?identifier={Uri.EscapeDataString($"|00012345:ABC:{tag}:")}")).Total);
        Assert.Equal(1, (await GetAsync($"Patient?identifier={Uri.EscapeDataString($"00012345:ABC:{tag}:")}")).Total);

        var c1 = await Http.CreateAsync(new Condition { Subject = new ResourceReference($"Patient/{a.Id}"), Code = new CodeableConcept { Text = "古い" }, Onset = new FhirDateTime("2001-01-01"), RecordedDate = "2020-01-01" });
        var c2 = await Http.CreateAsync(new Condition { Subject = new ResourceReference($"Patient/{a.Id}"), Code = new CodeableConcept { Text = "新しい" }, Onset = new FhirDateTime("2019-06-01"), RecordedDate = "2010-01-01" });
        Assert.Equal([c2.Id, c1.Id], (await GetAsync($"Condition?patient={a.Id}&_sort=-onset-date")).Entry.Select(e => e.Resource.Id));
        Assert.Equal([c2.Id, c1.Id], (await GetAsync($"Condition?subject=Patient/{a.Id}&_sort=recorded-date")).Entry.Select(e => e.Resource.Id));
        Assert.Equal([c2.Id], (await GetAsync($"Condition?patient={a.Id}&onset-date=gt2010")).Entry.Select(e => e.Resource.Id));
        var included = await GetAsync($"Condition?patient=Patient/{a.Id}&_include=Condition:patient");
        Assert.Equal(2, included.Total);
        Assert.Equal(a.Id, Assert.Single(included.Entry, e => e.Search.Mode == Bundle.SearchEntryMode.Include).Resource.Id);

        using var form = new FormUrlEncodedContent([new("identifier", $"{sys}|00012345:ABC:{tag}:"), new("_revinclude", "Condition:patient")]);
        using var post = await Http.PostAsync("Patient/_search", form);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        var posted = await post.ReadAsync<Bundle>();
        Assert.Equal(1, posted.Total);
        Assert.Equal(3, posted.Entry.Count);
    }

    [Fact]
    public async System.Threading.Tasks.Task Batch_entries_succeed_or_fail_independently()
    {
        var batch = """
            {"resourceType":"Bundle","type":"batch","entry":[
              {"resource":{"resourceType":"Patient","name":[{"family":"バッチ"}]},"request":{"method":"POST","url":"Patient"}},
              {"request":{"method":"GET","url":"Patient/does-not-exist"}},
              {"request":{"method":"GET","url":"Patient?name=バッチ&_summary=count"}}]}
            """;
        using var response = await Http.SendAsync(HttpMethod.Post, "", batch);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadAsync<Bundle>();
        Assert.Equal(Bundle.BundleType.BatchResponse, result.Type);
        Assert.StartsWith("201", result.Entry[0].Response.Status, StringComparison.Ordinal);
        Assert.StartsWith("404", result.Entry[1].Response.Status, StringComparison.Ordinal);
        Assert.IsType<OperationOutcome>(result.Entry[1].Response.Outcome);
        Assert.StartsWith("200", result.Entry[2].Response.Status, StringComparison.Ordinal);
        using var read = await Http.GetAsync(result.Entry[0].Response.Location);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task Failed_transaction_rolls_back_every_entry()
    {
        var family = "ロールバック" + Guid.NewGuid().ToString("N")[..6];
        var bundle = TestBundles.PatientRecord("00012345::rb" + family + ":", conditions: 3, allergies: 0);
        ((Patient)bundle.Entry[0].Resource).Name[0].Family = family;
        bundle.Entry.Add(new Bundle.EntryComponent { Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.GET, Url = "Patient/missing" } });
        var before = await Http.StoreSnapshotAsync();
        using var response = await Http.PostAsync("", FhirTestClient.Json(bundle));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(before, await Http.StoreSnapshotAsync());
        using var search = await Http.GetAsync($"Patient?family={Uri.EscapeDataString(family)}");
        Assert.Equal(0, (await search.ReadAsync<Bundle>()).Total);
    }
}

// Firely models are nullable throughout; these tests dereference what the assertions just established.
#nullable disable warnings
using System.Net;
using Hl7.Fhir.Model;
using MedNetPortal.FhirBase;
using MedNetPortal.IntegrationTests.Infrastructure;

namespace MedNetPortal.IntegrationTests.FhirBase;

/// <summary>Official JP-CLINS examples round-trip, and document Bundles are found by patient and by destination.</summary>
public sealed class DocumentAndFixtureTests(EmbeddedFhirBaseFixture fixture) : IClassFixture<EmbeddedFhirBaseFixture>
{
    private const string BundleIdSystem = "http://jpfhir.jp/fhir/clins/bundle-identifier";
    private const string FacilitySystem = "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no";
    private static readonly string FixtureFolder = Path.Combine(AppContext.BaseDirectory, "TestData", "jp-clins");

    public static TheoryData<string> FixtureFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(FixtureFolder, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    /// <summary>
    /// Bundles (document or collection) are stored as Bundle resources at [base]/Bundle; a lone resource goes in a
    /// transaction as a PUT with its own id. Either way it must read back equal apart from meta.
    /// </summary>
    [Theory]
    [MemberData(nameof(FixtureFiles))]
    public async System.Threading.Tasks.Task Fixture_posts_and_reads_back_equal_ignoring_meta(string file)
    {
        var original = FhirJson.Parse(await File.ReadAllTextAsync(Path.Combine(FixtureFolder, file)));
        string location;
        if (original is Bundle)
        {
            using var response = await fixture.Http.SendAsync(HttpMethod.Post, "Bundle", FhirJson.Serialize(original));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            location = response.Headers.Location!.ToString();
        }
        else
        {
            var transaction = new Bundle
            {
                Type = Bundle.BundleType.Transaction,
                Entry = [new Bundle.EntryComponent
                {
                    Resource = (Resource)original.DeepCopy(),
                    Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{original.TypeName}/{original.Id}" },
                }],
            };
            using var response = await fixture.Http.PostAsync("", FhirTestClient.Json(transaction));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var result = await response.ReadAsync<Bundle>();
            location = result.Entry[0].Response.Location;
        }
        var path = location.Split("/_history/")[0];
        using var read = await fixture.Http.GetAsync(path.StartsWith("http", StringComparison.Ordinal) ? path : path);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var stored = FhirJson.Parse(await read.Content.ReadAsStringAsync());
        Assert.NotNull(stored.Meta?.VersionId);
        if (original is Bundle)
        {
            stored.Id = original.Id;
        }
        stored.Meta = original.Meta;
        Assert.True(original.IsExactly(stored), $"{file} did not read back equal");
    }

    [Fact]
    public async System.Threading.Tasks.Task Documents_are_found_by_identifier_and_patient_and_conditional_create_never_duplicates()
    {
        var document = (Bundle)FhirJson.Parse(await File.ReadAllTextAsync(Path.Combine(FixtureFolder, "Bundle-Bundle-CLINS-Referral-Example-01.json")));
        var bundleId = $"1318814790^2024^{Guid.NewGuid():N}";
        document.Identifier = new Identifier(BundleIdSystem, bundleId);
        var patientMember = ((Patient)document.Entry[1].Resource).Identifier.Single(i => i.System.EndsWith("JP_Insurance_memberID", StringComparison.Ordinal));
        var destination = $"13{Random.Shared.Next(10000000, 99999999)}";
        ((Organization)document.FindEntry("urn:uuid:a44951be-cdaa-4c53-9e35-6be013da5441").Single().Resource).Identifier[0].Value = destination;
        var json = FhirJson.Serialize(document);
        var ifNoneExist = new Dictionary<string, string> { ["If-None-Exist"] = $"identifier={Uri.EscapeDataString(BundleIdSystem + "|" + bundleId)}" };

        using var first = await fixture.Http.SendAsync(HttpMethod.Post, "Bundle", json, ifNoneExist);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var id = (await first.ReadAsync<Bundle>()).Id;
        using var second = await fixture.Http.SendAsync(HttpMethod.Post, "Bundle", json, ifNoneExist);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(id, (await second.ReadAsync<Bundle>()).Id);

        async Task<List<string>> FindAsync(string query)
        {
            using var response = await fixture.Http.GetAsync(query);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.ReadAsync<Bundle>()).Entry.Where(e => e.Search.Mode == Bundle.SearchEntryMode.Match).Select(e => e.Resource.Id).ToList();
        }

        Assert.Equal([id], await FindAsync($"Bundle?identifier={Uri.EscapeDataString(BundleIdSystem + "|" + bundleId)}"));
        // The base's own Bundle parameters for the letter's facilities are gone: strict handling refuses them.
        using (var refused = await fixture.Http.SendAsync(HttpMethod.Get, $"Bundle?destination={Uri.EscapeDataString(FacilitySystem + "|" + destination)}",
                   headers: new Dictionary<string, string> { ["Prefer"] = "handling=strict" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
        Assert.Contains(id, await FindAsync($"Bundle?composition.patient.identifier={Uri.EscapeDataString(patientMember.System + "|" + patientMember.Value)}&type=document"));

        // By the stored Patient's id: the base matches the document's Patient by that Patient's identifiers.
        var stored = await fixture.Http.CreateAsync(new Patient { Identifier = [new Identifier(patientMember.System, patientMember.Value)] });
        Assert.Contains(id, await FindAsync($"Bundle?composition.patient=Patient/{stored.Id}"));
        Assert.Contains(id, await FindAsync($"Bundle?composition.subject={stored.Id}"));
        var other = await fixture.Http.CreateAsync(new Patient { Identifier = [new Identifier(patientMember.System, "00000000:x:y:")] });
        Assert.DoesNotContain(id, await FindAsync($"Bundle?composition.patient=Patient/{other.Id}"));

        using var read = await fixture.Http.GetAsync($"Bundle/{id}");
        var readBack = await read.ReadAsync<Bundle>();
        readBack.Meta = document.Meta;
        readBack.Id = document.Id;
        Assert.True(document.IsExactly(readBack));
    }
}

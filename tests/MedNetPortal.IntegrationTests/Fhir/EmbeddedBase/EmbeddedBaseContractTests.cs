// Enabled by the integrator once EmbeddedFhirBaseFixture exists (define EMBEDDED_BASE_READY, or delete this #if).
using System.Net;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MedNetPortal.Tests.Shared;

namespace MedNetPortal.IntegrationTests.Fhir.EmbeddedBase;

/// <summary>The typed client against the embedded base over real HTTP (Kestrel on 127.0.0.1).</summary>
public sealed class EmbeddedBaseContractTests(EmbeddedFhirBaseFixture fixture) : IClassFixture<EmbeddedFhirBaseFixture>, IDisposable
{
    private readonly ServiceProvider _services = BuildServices(fixture.BaseUri);

    private CentralFhirClient Client => _services.GetRequiredService<CentralFhirClient>();

    public void Dispose() => _services.Dispose();

    private static ServiceProvider BuildServices(Uri baseUri)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(BaseClientCredentials.ClientSettings(baseUri))
            .Build();
        var services = new ServiceCollection();
        services.AddCentralFhirClient(configuration);
        return services.BuildServiceProvider();
    }

    private static string NewIdentifierValue() => "E2E-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async System.Threading.Tasks.Task Metadata_is_an_r4_capability_statement()
    {
        var capabilities = await Client.GetCapabilitiesAsync(CancellationToken.None);

        Assert.Equal(FHIRVersion.N4_0_1, capabilities.FhirVersion);
        Assert.Contains(capabilities.Rest, r => r.Mode == CapabilityStatement.RestfulCapabilityMode.Server);
    }

    [Fact]
    public async System.Threading.Tasks.Task Create_answers_201_with_location_then_read_and_vread_return_it()
    {
        var created = await Client.CreateAsync(new Patient { BirthDate = "1970-01-01" }, null, CancellationToken.None);

        Assert.True(created.Created);
        Assert.NotNull(created.Location);
        Assert.False(string.IsNullOrEmpty(created.Id));
        var read = await Client.ReadAsync<Patient>(created.Id!, CancellationToken.None);
        Assert.Equal("1970-01-01", read.BirthDate);
        var version = await Client.VReadAsync<Patient>(created.Id!, read.Meta!.VersionId!, CancellationToken.None);
        Assert.Equal(read.Meta.VersionId, version.Meta!.VersionId);
    }

    [Fact]
    public async System.Threading.Tasks.Task Conditional_create_twice_gives_one_resource()
    {
        var value = NewIdentifierValue();
        var patient = new Patient { Identifier = [new Identifier("urn:test:conditional", value)] };
        var condition = $"identifier=urn:test:conditional|{value}";

        var first = await Client.CreateAsync(patient, condition, CancellationToken.None);
        var second = await Client.CreateAsync(patient, condition, CancellationToken.None);

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Id, second.Id);
        var found = await Client.SearchPostAsync<Patient>(new FhirSearchParameters().Add("identifier", $"urn:test:conditional|{value}"), CancellationToken.None);
        Assert.Single(found.Entry, e => e.Search?.Mode == Bundle.SearchEntryMode.Match);
    }

    [Fact]
    public async System.Threading.Tasks.Task Transaction_resolves_urn_uuid_and_search_pages_through_next_links()
    {
        var value = NewIdentifierValue();
        var tx = new Bundle { Type = Bundle.BundleType.Transaction };
        const string patientUrn = "urn:uuid:6f1c2a8e-0000-4000-8000-000000000001";
        tx.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = patientUrn,
            Resource = new Patient { Identifier = [new Identifier("urn:test:paging", value)] },
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Patient", IfNoneExist = $"identifier=urn:test:paging|{value}" },
        });
        for (var i = 0; i < 7; i++)
        {
            tx.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"urn:uuid:6f1c2a8e-0000-4000-8000-00000000010{i}",
                Resource = new Condition { Code = new CodeableConcept { Text = $"diagnosis {i}" }, Subject = new ResourceReference(patientUrn) },
                Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Condition" },
            });
        }

        var response = await Client.TransactionAsync(tx, CancellationToken.None);

        Assert.Equal(8, response.Entry.Count);
        Assert.All(response.Entry, e => Assert.StartsWith("201", e.Response!.Status, StringComparison.Ordinal));
        // Location may be relative (Patient/1/_history/1) or absolute.
        var segments = response.Entry[0].Response!.Location!.Split('/');
        var patientId = segments[Array.LastIndexOf(segments, "Patient") + 1];

        var first = await Client.SearchAsync<Condition>(new FhirSearchParameters().Add("patient", $"Patient/{patientId}").Add("_count", "3"), CancellationToken.None);
        var pages = new List<Bundle>();
        await foreach (var page in Client.PagesAsync(first, maxPages: 10, CancellationToken.None))
        {
            pages.Add(page);
        }

        Assert.Equal(3, pages.Count);
        var conditions = pages.SelectMany(p => p.Entry).Select(e => e.Resource).OfType<Condition>().ToList();
        Assert.Equal(7, conditions.Select(c => c.Id).Distinct().Count());
        Assert.All(conditions, c => Assert.Equal($"Patient/{patientId}", c.Subject.Reference));
    }

    [Fact]
    public async System.Threading.Tasks.Task Update_with_stale_if_match_is_412_and_history_keeps_versions()
    {
        var created = await Client.CreateAsync(new Patient { BirthDate = "1980-01-01" }, null, CancellationToken.None);
        var current = await Client.ReadAsync<Patient>(created.Id!, CancellationToken.None);
        current.BirthDate = "1980-01-02";
        var updated = await Client.UpdateAsync(current, current.Meta!.VersionId, CancellationToken.None);
        Assert.NotEqual(current.Meta.VersionId, updated.VersionId);

        current.BirthDate = "1980-01-03";
        var ex = await Assert.ThrowsAsync<FhirApiException>(() => Client.UpdateAsync(current, current.Meta.VersionId, CancellationToken.None));

        Assert.Equal(HttpStatusCode.PreconditionFailed, ex.StatusCode);
        Assert.Equal(FhirApiErrorReason.PreconditionFailed, ex.Reason);
        var history = await Client.HistoryAsync<Patient>(created.Id!, null, CancellationToken.None);
        Assert.Equal(2, history.Entry.Count);
        Assert.Equal("1980-01-02", (await Client.ReadAsync<Patient>(created.Id!, CancellationToken.None)).BirthDate);
    }

    [Fact]
    public async System.Threading.Tasks.Task Reading_a_missing_resource_is_404_with_an_outcome()
    {
        var ex = await Assert.ThrowsAsync<FhirApiException>(() => Client.ReadAsync<Patient>("does-not-exist-" + Guid.NewGuid().ToString("N")[..8], CancellationToken.None));

        Assert.Equal(FhirApiErrorReason.NotFound, ex.Reason);
        Assert.NotNull(ex.Outcome);
    }
}

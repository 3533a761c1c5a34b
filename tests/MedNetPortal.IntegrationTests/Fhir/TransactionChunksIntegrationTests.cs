using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.IntegrationTests.Infrastructure;
using MedNetPortal.Tests.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.IntegrationTests.Fhir;

/// <summary>A large transaction sent in chunks to the real embedded base over HTTP.</summary>
public sealed class TransactionChunksIntegrationTests(EmbeddedFhirBaseFixture fixture) : IClassFixture<EmbeddedFhirBaseFixture>
{
    [Fact]
    public async System.Threading.Tasks.Task Chunks_keep_every_reference_and_sending_again_creates_nothing()
    {
        using var services = ClientServices(fixture.BaseUri);
        var client = services.GetRequiredService<CentralFhirClient>();
        var unique = Guid.NewGuid().ToString("N");
        var transaction = PatientLastWithConditions(unique, conditions: 25);

        var first = await TransactionChunks.SendAsync(client.Api, transaction, maxEntries: 8, CancellationToken.None);
        var second = await TransactionChunks.SendAsync(client.Api, transaction, maxEntries: 8, CancellationToken.None);

        Assert.Equal(26, first.Entry.Count);
        Assert.All(first.Entry, e => Assert.StartsWith("201", e.Response!.Status, StringComparison.Ordinal));
        Assert.All(second.Entry, e => Assert.StartsWith("200", e.Response!.Status, StringComparison.Ordinal));
        var patients = await client.SearchPostAsync<Patient>(new FhirSearchParameters().Add("identifier", $"urn:test:chunks|{unique}"), CancellationToken.None);
        var patientId = Assert.Single(patients.Entry).Resource!.Id;
        var conditions = await client.SearchPostAsync<Condition>(
            new FhirSearchParameters().Add("patient", "Patient/" + patientId).Add("_count", "100"), CancellationToken.None);
        Assert.Equal(25, conditions.Entry.Count);
    }

    private static Bundle PatientLastWithConditions(string unique, int conditions)
    {
        var patient = new Bundle.EntryComponent
        {
            FullUrl = "urn:uuid:" + Guid.NewGuid(),
            Resource = new Patient { Identifier = [new Identifier("urn:test:chunks", unique)] },
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Patient", IfNoneExist = $"identifier=urn:test:chunks|{unique}" },
        };
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        for (var i = 0; i < conditions; i++)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = "urn:uuid:" + Guid.NewGuid(),
                Resource = new Condition
                {
                    Identifier = [new Identifier("urn:test:chunks:condition", $"{unique}-{i}")],
                    Code = new CodeableConcept { Text = $"病名 {i}" },
                    Subject = new ResourceReference(patient.FullUrl),
                },
                Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Condition", IfNoneExist = $"identifier=urn:test:chunks:condition|{unique}-{i}" },
            });
        }

        bundle.Entry.Add(patient);
        return bundle;
    }

    private static ServiceProvider ClientServices(Uri baseUri)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(BaseClientCredentials.ClientSettings(baseUri)).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCentralFhirClient(configuration);
        return services.BuildServiceProvider();
    }
}

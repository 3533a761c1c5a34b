// Firely models are nullable throughout; these tests dereference what the assertions just established.
#nullable disable warnings
using System.Net;
using Hl7.Fhir.Model;
using MedNetPortal.FhirBase;
using MedNetPortal.FhirBase.Storage;
using MedNetPortal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.IntegrationTests.FhirBase;

/// <summary>
/// The custom Bundle <c>sender</c> parameter (section 920 紹介元情報), next to <c>destination</c> (910), and the start-up
/// re-indexing of documents stored before <c>sender</c> existed.
/// </summary>
public sealed class SenderSearchTests(EmbeddedFhirBaseFixture fixture) : IClassFixture<EmbeddedFhirBaseFixture>
{
    private const string BundleIdSystem = "http://jpfhir.jp/fhir/clins/bundle-identifier";
    private const string FacilitySystem = "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no";
    private const string SenderUrn = "urn:uuid:8a888471-9781-4fb7-b5c4-b34afcdea638";
    private const string DestinationUrn = "urn:uuid:a44951be-cdaa-4c53-9e35-6be013da5441";
    private static readonly string FixtureFolder = Path.Combine(AppContext.BaseDirectory, "TestData", "jp-clins");

    private static async Task<(Bundle Document, string Sender, string Destination)> NewLetterAsync()
    {
        var document = (Bundle)FhirJson.Parse(await File.ReadAllTextAsync(Path.Combine(FixtureFolder, "Bundle-Bundle-CLINS-Referral-Example-01.json")));
        var sender = $"13{Random.Shared.Next(10000000, 99999999)}";
        var destination = $"13{Random.Shared.Next(10000000, 99999999)}";
        document.Identifier = new Identifier(BundleIdSystem, $"{sender}^2026^{Guid.NewGuid():N}");
        Organization(document, SenderUrn).Identifier[0].Value = sender;
        Organization(document, DestinationUrn).Identifier[0].Value = destination;
        return (document, sender, destination);
    }

    private static Organization Organization(Bundle document, string fullUrl) =>
        (Organization)document.Entry.Single(e => e.FullUrl == fullUrl).Resource;

    private async Task<string> StoreAsync(Bundle document)
    {
        using var response = await fixture.Http.SendAsync(HttpMethod.Post, "Bundle", FhirJson.Serialize(document));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadAsync<Bundle>()).Id;
    }

    private async Task<List<string>> FindAsync(string parameter, string code)
    {
        using var response = await fixture.Http.GetAsync($"Bundle?{parameter}={Uri.EscapeDataString(FacilitySystem + "|" + code)}&_sort=-timestamp");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadAsync<Bundle>()).Entry.Where(e => e.Search.Mode == Bundle.SearchEntryMode.Match).Select(e => e.Resource.Id).ToList();
    }

    [Fact]
    public async System.Threading.Tasks.Task Sender_finds_the_letters_of_the_section_920_organization_and_destination_still_works()
    {
        // Two letters from one sender to two destinations: each parameter matches only its own section.
        var (first, sender, destination) = await NewLetterAsync();
        var firstId = await StoreAsync(first);
        var (second, _, otherDestination) = await NewLetterAsync();
        Organization(second, SenderUrn).Identifier[0].Value = sender;
        second.Timestamp = DateTimeOffset.Parse("2030-01-01T09:00:00+09:00", System.Globalization.CultureInfo.InvariantCulture);
        var secondId = await StoreAsync(second);

        Assert.Equal([secondId, firstId], await FindAsync("sender", sender));
        Assert.Equal([firstId], await FindAsync("destination", destination));
        Assert.Equal([secondId], await FindAsync("destination", otherDestination));
        Assert.Empty(await FindAsync("sender", destination));
        Assert.Empty(await FindAsync("destination", sender));
    }

    [Fact]
    public async System.Threading.Tasks.Task Documents_stored_without_sender_index_rows_are_reindexed_at_start_up()
    {
        var (document, sender, destination) = await NewLetterAsync();
        var id = await StoreAsync(document);
        using (var scope = fixture.Services.CreateScope())
        {
            // What a database written by the previous version looks like: no sender rows.
            var db = scope.ServiceProvider.GetRequiredService<FhirBaseDbContext>();
            Assert.True(await db.Tokens.Where(t => t.ResourceType == "Bundle" && t.Param == "sender").ExecuteDeleteAsync() > 0);
        }
        Assert.Empty(await FindAsync("sender", sender));

        await fixture.RestartAsync();

        Assert.Equal([id], await FindAsync("sender", sender));
        Assert.Equal([id], await FindAsync("destination", destination));
        using var scope2 = fixture.Services.CreateScope();
        var after = scope2.ServiceProvider.GetRequiredService<FhirBaseDbContext>();
        // Re-indexing replaced the rows rather than adding a second set.
        var seq = await after.Resources.Where(r => r.Type == "Bundle" && r.Id == id).Select(r => r.Seq).SingleAsync();
        Assert.Equal(1, await after.Tokens.CountAsync(t => t.ResourceSeq == seq && t.Param == "destination"));
    }
}

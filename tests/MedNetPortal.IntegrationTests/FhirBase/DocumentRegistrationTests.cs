// Firely models are nullable throughout; these tests dereference what the assertions just established.
#nullable disable warnings
using System.Net;
using Hl7.Fhir.Model;
using MedNetPortal.FhirBase;
using MedNetPortal.IntegrationTests.Infrastructure;
using FhirTask = Hl7.Fhir.Model.Task;

namespace MedNetPortal.IntegrationTests.FhirBase;

/// <summary>
/// A document Bundle stored in the embedded base by any client gets a DocumentReference and a routing Task (standard
/// resources the portal searches), once, whether it was posted bare, again, in a transaction that already carries them, or
/// stored before the base registered documents (start-up).
/// </summary>
public sealed class DocumentRegistrationTests(EmbeddedFhirBaseFixture fixture) : IClassFixture<EmbeddedFhirBaseFixture>
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

    private async Task<string> StoreAsync(Bundle document, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await fixture.Http.SendAsync(HttpMethod.Post, "Bundle", FhirJson.Serialize(document),
            new Dictionary<string, string> { ["If-None-Exist"] = $"identifier={BundleIdSystem}|{Uri.EscapeDataString(document.Identifier.Value)}" });
        Assert.Equal(expected, response.StatusCode);
        return (await response.ReadAsync<Bundle>()).Id;
    }

    private async Task<List<T>> ByIdentifierAsync<T>(Bundle document)
        where T : Resource
    {
        using var response = await fixture.Http.GetAsync(
            $"{ModelInfo.GetFhirTypeNameForType(typeof(T))}?identifier={Uri.EscapeDataString(BundleIdSystem + "|" + document.Identifier.Value)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadAsync<Bundle>()).Entry.Select(e => e.Resource).OfType<T>().ToList();
    }

    private async Task<string> CreateOrganizationAsync(string code) =>
        (await fixture.Http.CreateAsync(new Organization { Identifier = [new Identifier(FacilitySystem, code)], Name = "登録済み " + code })).Id;

    [Fact]
    public async System.Threading.Tasks.Task A_bare_document_gets_one_DocumentReference_and_one_Task_naming_the_bases_organizations()
    {
        var (document, sender, destination) = await NewLetterAsync();
        var senderId = await CreateOrganizationAsync(sender);
        var destinationId = await CreateOrganizationAsync(destination);

        var id = await StoreAsync(document);
        Assert.Equal(id, await StoreAsync(document, HttpStatusCode.OK));

        var reference = Assert.Single(await ByIdentifierAsync<DocumentReference>(document));
        Assert.Equal(DocumentReferenceStatus.Current, reference.Status);
        Assert.Equal("Bundle/" + id, reference.Content.Single().Attachment.Url);
        Assert.Equal("application/fhir+json", reference.Content.Single().Attachment.ContentType);
        Assert.Equal("Bundle/" + id, reference.Context.Related.Single().Reference);
        Assert.Equal("57133-1", reference.Type.Coding.Single().Code);
        Assert.Equal("Organization/" + senderId, reference.Author.Single().Reference);
        // The example's patient is not in this base: a logical reference by its (first) identifier.
        var patient = (Patient)document.Entry.Single(e => e.Resource is Patient).Resource;
        Assert.Null(reference.Subject.Reference);
        Assert.Equal(patient.Identifier[0].System, reference.Subject.Identifier.System);
        Assert.Equal(patient.Identifier[0].Value, reference.Subject.Identifier.Value);

        var task = Assert.Single(await ByIdentifierAsync<FhirTask>(document));
        Assert.Equal(FhirTask.TaskStatus.Requested, task.Status);
        Assert.Equal("Bundle/" + id, task.Focus.Reference);
        Assert.Equal("Organization/" + senderId, task.Requester.Reference);
        Assert.Equal("Organization/" + destinationId, task.Owner.Reference);

        // Found by the standard searches the portal sends.
        using var inbox = await fixture.Http.GetAsync($"Task?owner=Organization/{destinationId}&_include=Task:focus");
        var page = await inbox.ReadAsync<Bundle>();
        Assert.Equal(task.Id, Assert.Single(page.Entry, e => e.Search.Mode == Bundle.SearchEntryMode.Match).Resource.Id);
        Assert.Equal(id, Assert.Single(page.Entry, e => e.Search.Mode == Bundle.SearchEntryMode.Include).Resource.Id);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_transaction_that_carries_its_own_DocumentReference_and_Task_gets_nothing_more()
    {
        var (document, sender, destination) = await NewLetterAsync();
        var transaction = MedNetPortal.Fhir.Letters.LetterDelivery.BuildTransaction(document, basePatientId: null, DateTimeOffset.UtcNow);
        using var response = await fixture.Http.SendAsync(HttpMethod.Post, "", FhirJson.Serialize(transaction));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadAsync<Bundle>();
        Assert.All(result.Entry, e => Assert.StartsWith("201", e.Response.Status));

        var reference = Assert.Single(await ByIdentifierAsync<DocumentReference>(document));
        var task = Assert.Single(await ByIdentifierAsync<FhirTask>(document));
        // The transaction's own, with its references rewritten: the attachment url too.
        var documentId = result.Entry[MedNetPortal.Fhir.Letters.LetterDelivery.DocumentEntryIndex(transaction)].Resource.Id;
        Assert.Equal("Bundle/" + documentId, reference.Content.Single().Attachment.Url);
        Assert.StartsWith("Patient/", reference.Subject.Reference);
        Assert.Equal("Bundle/" + documentId, task.Focus.Reference);
        Assert.Equal(destination, task.Owner.Identifier.Value);
        Assert.Equal(sender, task.Requester.Identifier.Value);
        // The stored document kept its own internal references.
        using var stored = await fixture.Http.GetAsync("Bundle/" + documentId);
        var storedDocument = await stored.ReadAsync<Bundle>();
        Assert.StartsWith("urn:uuid:", ((Composition)storedDocument.Entry[0].Resource).Subject.Reference);
    }

    [Fact]
    public async System.Threading.Tasks.Task Documents_stored_without_a_DocumentReference_are_registered_at_start_up()
    {
        var (document, _, _) = await NewLetterAsync();
        var id = await StoreAsync(document);
        // What a database written by the previous version looks like: the document alone.
        foreach (var (type, resource) in new (string, Resource)[]
                 {
                     ("DocumentReference", Assert.Single(await ByIdentifierAsync<DocumentReference>(document))),
                     ("Task", Assert.Single(await ByIdentifierAsync<FhirTask>(document))),
                 })
        {
            using var deleted = await fixture.Http.DeleteAsync($"{type}/{resource.Id}");
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Empty(await ByIdentifierAsync<DocumentReference>(document));

        await fixture.RestartAsync();

        Assert.Equal("Bundle/" + id, Assert.Single(await ByIdentifierAsync<DocumentReference>(document)).Content.Single().Attachment.Url);
        Assert.Equal("Bundle/" + id, Assert.Single(await ByIdentifierAsync<FhirTask>(document)).Focus.Reference);
        await fixture.RestartAsync();
        Assert.Single(await ByIdentifierAsync<DocumentReference>(document));
    }
}

// Firely models are nullable throughout; these tests dereference what the assertions just established.
#nullable disable warnings
using System.Net;
using Hl7.Fhir.Model;
using MedNetPortal.FhirBase;
using MedNetPortal.FhirBase.Storage;
using MedNetPortal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using FhirTask = Hl7.Fhir.Model.Task;

namespace MedNetPortal.IntegrationTests.FhirBase;

/// <summary>
/// A document Bundle stored in the embedded base by any client gets a DocumentReference and a routing Task (standard
/// resources the portal searches), once, whether it was posted bare, again, in a transaction that already carries them, or
/// stored before the base registered documents (start-up); references the base wrote by identifier, because the
/// facilities' Organizations or the Patient were not there yet, become literal once they are (at once, or at start-up).
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

    private static Patient PatientOf(Bundle document) => (Patient)document.Entry.Single(e => e.Resource is Patient).Resource;

    private async Task<T> ReadAsync<T>(string id)
        where T : Resource
    {
        using var response = await fixture.Http.GetAsync($"{ModelInfo.GetFhirTypeNameForType(typeof(T))}/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<T>();
    }

    private async Task<List<string>> TaskIdsAsync(string query)
    {
        using var response = await fixture.Http.GetAsync("Task?" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadAsync<Bundle>()).Entry.Select(e => e.Resource.Id).ToList();
    }

    [Fact]
    public async System.Threading.Tasks.Task A_document_posted_before_its_facilities_and_patient_exist_is_relinked_when_they_are_created()
    {
        var (document, sender, destination) = await NewLetterAsync();
        var patient = PatientOf(document);
        var patientIdentifier = new Identifier(patient.Identifier[0].System, $"{Random.Shared.Next(100000000, 999999999)}");
        patient.Identifier[0] = (Identifier)patientIdentifier.DeepCopy();
        await StoreAsync(document);

        var task = Assert.Single(await ByIdentifierAsync<FhirTask>(document));
        var reference = Assert.Single(await ByIdentifierAsync<DocumentReference>(document));
        Assert.Null(task.Owner.Reference);
        Assert.Equal(destination, task.Owner.Identifier.Value);
        Assert.Null(task.Requester.Reference);
        Assert.Null(task.For.Reference);
        Assert.Null(reference.Custodian.Reference);
        Assert.Equal("1", task.Meta.VersionId);

        // A sender's own Task naming the destination's code literally as owner (another Organization id) and logically as
        // requester: only the logical one is re-linked.
        var literal = await fixture.Http.CreateAsync(new FhirTask
        {
            Status = FhirTask.TaskStatus.Requested,
            Intent = FhirTask.TaskIntent.Order,
            Owner = new ResourceReference("Organization/elsewhere") { Identifier = new Identifier(FacilitySystem, destination) },
            Requester = new ResourceReference { Type = "Organization", Identifier = new Identifier(FacilitySystem, destination) },
        });

        var destinationId = await CreateOrganizationAsync(destination);
        Assert.Equal([task.Id], await TaskIdsAsync($"owner=Organization/{destinationId}"));
        Assert.Equal([literal.Id], await TaskIdsAsync($"requester=Organization/{destinationId}"));
        var senderId = await CreateOrganizationAsync(sender);
        Assert.Equal([task.Id], await TaskIdsAsync($"requester=Organization/{senderId}"));
        var patientId = (await fixture.Http.CreateAsync(new Patient { Identifier = [patientIdentifier] })).Id;
        Assert.Equal([task.Id], await TaskIdsAsync($"patient=Patient/{patientId}"));

        // One new version per re-link, each kept; the reference keeps the identifier and the document's name for the facility.
        var relinked = await ReadAsync<FhirTask>(task.Id);
        Assert.Equal("4", relinked.Meta.VersionId);
        using (var history = await fixture.Http.GetAsync($"Task/{task.Id}/_history"))
        {
            Assert.Equal(4, (await history.ReadAsync<Bundle>()).Entry.Count);
        }

        Assert.Equal("Organization/" + destinationId, relinked.Owner.Reference);
        Assert.Equal(destination, relinked.Owner.Identifier.Value);
        Assert.Equal(FacilitySystem, relinked.Owner.Identifier.System);
        Assert.Equal(Organization(document, DestinationUrn).Name, relinked.Owner.Display);
        Assert.Equal("Organization/" + senderId, relinked.Requester.Reference);
        Assert.Equal("Patient/" + patientId, relinked.For.Reference);
        Assert.Equal(patientIdentifier.Value, relinked.For.Identifier.Value);
        Assert.Equal(task.Focus.Reference, relinked.Focus.Reference);
        Assert.Equal(task.AuthoredOn, relinked.AuthoredOn);

        var document2 = await ReadAsync<DocumentReference>(reference.Id);
        Assert.Equal("Organization/" + senderId, document2.Author.Single().Reference);
        Assert.Equal("Organization/" + senderId, document2.Custodian.Reference);
        Assert.Equal("Patient/" + patientId, document2.Subject.Reference);
        Assert.Equal("3", document2.Meta.VersionId);
        using (var byPatient = await fixture.Http.GetAsync($"DocumentReference?patient=Patient/{patientId}"))
        {
            Assert.Equal(reference.Id, Assert.Single((await byPatient.ReadAsync<Bundle>()).Entry).Resource.Id);
        }

        var mixed = await ReadAsync<FhirTask>(literal.Id);
        Assert.Equal("2", mixed.Meta.VersionId);
        Assert.Equal("Organization/elsewhere", mixed.Owner.Reference);
        Assert.Equal("Organization/" + destinationId, mixed.Requester.Reference);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_reference_stays_logical_while_two_organizations_carry_the_code()
    {
        var (document, _, destination) = await NewLetterAsync();
        await StoreAsync(document);
        var task = Assert.Single(await ByIdentifierAsync<FhirTask>(document));

        var first = await CreateOrganizationAsync(destination);
        var second = await CreateOrganizationAsync(destination);

        // The first write linked it (one Organization then); the second changes nothing already literal.
        var stored = await ReadAsync<FhirTask>(task.Id);
        Assert.Equal("Organization/" + first, stored.Owner.Reference);
        Assert.Equal("2", stored.Meta.VersionId);
        Assert.Empty(await TaskIdsAsync($"owner=Organization/{second}"));

        // A document to a code two Organizations carry keeps its logical owner: which one is meant is unknown.
        var (another, _, _) = await NewLetterAsync();
        Organization(another, DestinationUrn).Identifier[0].Value = destination;
        await StoreAsync(another);
        var ambiguous = Assert.Single(await ByIdentifierAsync<FhirTask>(another));
        using var update = await fixture.Http.PutAsync($"Organization/{second}",
            FhirTestClient.Json(new Organization { Id = second, Identifier = [new Identifier(FacilitySystem, destination)], Name = "更新" }));
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        var still = await ReadAsync<FhirTask>(ambiguous.Id);
        Assert.Null(still.Owner.Reference);
        Assert.Equal("1", still.Meta.VersionId);
    }

    [Fact]
    public async System.Threading.Tasks.Task Start_up_relinks_a_stored_logical_owner_whose_organization_is_in_the_base()
    {
        var (document, _, destination) = await NewLetterAsync();
        await StoreAsync(document);
        var task = Assert.Single(await ByIdentifierAsync<FhirTask>(document));
        Assert.Null(task.Owner.Reference);

        // The Organization is written without the re-link that follows a request (as if it had failed, or by a previous version).
        string organizationId;
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<ResourceStore>();
            organizationId = (await store.CreateAsync(
                new Organization { Identifier = [new Identifier(FacilitySystem, destination)], Name = "後から登録" }, CancellationToken.None)).Id;
        }

        Assert.Empty(await TaskIdsAsync($"owner=Organization/{organizationId}"));

        await fixture.RestartAsync();

        Assert.Equal([task.Id], await TaskIdsAsync($"owner=Organization/{organizationId}"));
        Assert.Equal("2", (await ReadAsync<FhirTask>(task.Id)).Meta.VersionId);
        await fixture.RestartAsync();
        Assert.Equal("2", (await ReadAsync<FhirTask>(task.Id)).Meta.VersionId);
    }

    [Fact]
    public async System.Threading.Tasks.Task Start_up_relinks_logical_references_stored_by_a_version_that_did_not_index_them()
    {
        var (document, sender, destination) = await NewLetterAsync();
        await StoreAsync(document);
        var task = Assert.Single(await ByIdentifierAsync<FhirTask>(document));
        var reference = Assert.Single(await ByIdentifierAsync<DocumentReference>(document));

        // What a database of the previous version looks like: no index rows for logical references (nor the mark that
        // they were indexed), and the Organizations written since then.
        string destinationId, senderId;
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FhirBaseDbContext>();
            Assert.True(await db.Tokens.Where(t => t.Param.StartsWith("~logical")).ExecuteDeleteAsync() >= 2);
            var store = scope.ServiceProvider.GetRequiredService<ResourceStore>();
            destinationId = (await store.CreateAsync(new Organization { Identifier = [new Identifier(FacilitySystem, destination)] }, CancellationToken.None)).Id;
            senderId = (await store.CreateAsync(new Organization { Identifier = [new Identifier(FacilitySystem, sender)] }, CancellationToken.None)).Id;
        }

        await fixture.RestartAsync();

        Assert.Equal([task.Id], await TaskIdsAsync($"owner=Organization/{destinationId}"));
        Assert.Equal([task.Id], await TaskIdsAsync($"requester=Organization/{senderId}"));
        Assert.Equal("Organization/" + senderId, (await ReadAsync<DocumentReference>(reference.Id)).Custodian.Reference);
    }
}

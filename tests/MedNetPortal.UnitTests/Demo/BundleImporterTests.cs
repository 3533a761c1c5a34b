using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using MedNetPortal.Web.Features.Demo;
using Refit;

namespace MedNetPortal.UnitTests.Demo;

public sealed class BundleImporterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mednet-import-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async System.Threading.Tasks.Task Imports_transactions_and_documents_then_skips_them_on_a_second_run()
    {
        Write("a-transaction.json", DemoTransactions.ForPatient(DemoRecords.For(DemoPatients.SatoKenichi.Key)));
        Write("b-document.json", DemoLetters.ToDocument(DemoLetters.All[0]));
        var api = new FakeFhirApi();

        var first = await BundleImporter.ImportFolderAsync(api, _folder, CancellationToken.None);
        var second = await BundleImporter.ImportFolderAsync(api, _folder, CancellationToken.None);

        Assert.Equal([ImportOutcome.Imported, ImportOutcome.Imported], first.Select(r => r.Outcome));
        Assert.Equal([ImportOutcome.Skipped, ImportOutcome.Skipped], second.Select(r => r.Outcome));
        Assert.Equal(2, api.Transactions.Count);
        var document = api.Creates[0];
        Assert.Equal("Bundle", document.ResourceType);
        Assert.Equal(DemoIds.IdentifierQuery(DemoSystems.BundleIdentifier, DemoLetters.All[0].BundleIdentifier), document.IfNoneExist);
    }

    [Fact]
    public async System.Threading.Tasks.Task Reports_invalid_files_and_unsupported_bundles_as_failed_and_goes_on()
    {
        File.WriteAllText(Path.Combine(_folder, "1-broken.json"), "{ \"resourceType\": \"Bundle\", ", Encoding.UTF8);
        Write("2-collection.json", new Bundle { Type = Bundle.BundleType.Collection });
        Write("3-document.json", DemoLetters.ToDocument(DemoLetters.All[1]));
        var api = new FakeFhirApi();

        var results = await BundleImporter.ImportFolderAsync(api, _folder, CancellationToken.None);

        Assert.Equal([ImportOutcome.Failed, ImportOutcome.Failed, ImportOutcome.Imported], results.Select(r => r.Outcome));
        Assert.Contains("not valid FHIR JSON", results[0].Message, StringComparison.Ordinal);
        Assert.Contains("collection", results[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_lone_resource_is_wrapped_in_a_conditional_transaction()
    {
        Write("organization.json", DemoFacilities.ToOrganization(DemoFacilities.Clinic));
        var api = new FakeFhirApi();

        var result = Assert.Single(await BundleImporter.ImportFolderAsync(api, _folder, CancellationToken.None));

        Assert.Equal(ImportOutcome.Imported, result.Outcome);
        var entry = Assert.Single(Assert.Single(api.Transactions).Entry);
        Assert.Equal(Bundle.HTTPVerb.POST, entry.Request!.Method);
        Assert.Equal(DemoIds.IdentifierQuery(DemoSystems.MedicalInstitutionNo, DemoFacilities.ClinicCode), entry.Request.IfNoneExist);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_rejected_document_reports_the_servers_operation_outcome()
    {
        Write("document.json", DemoLetters.ToDocument(DemoLetters.All[2]));
        var outcome = """{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","diagnostics":"Bundle.entry[0] must be a Composition","expression":["Bundle.entry[0]"]}]}""";
        var error = await ApiException.Create(
            new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1/fhir/Bundle"),
            HttpMethod.Post,
            new HttpResponseMessage(HttpStatusCode.UnprocessableEntity) { Content = new StringContent(outcome, Encoding.UTF8, "application/fhir+json") },
            new RefitSettings());
        var api = new FakeFhirApi
        {
            CreateHandler = () => new ApiResponse<Resource>(FakeFhirApi.Response(HttpStatusCode.UnprocessableEntity), null, new RefitSettings(), error),
        };

        var result = Assert.Single(await BundleImporter.ImportFolderAsync(api, _folder, CancellationToken.None));

        Assert.Equal(ImportOutcome.Failed, result.Outcome);
        Assert.Equal("HTTP 422: Bundle.entry[0] must be a Composition (at Bundle.entry[0])", result.Message);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_batch_with_a_failed_entry_is_reported_as_failed()
    {
        Write("batch.json", new Bundle { Type = Bundle.BundleType.Batch, Entry = [new() { Resource = new Patient { Active = true }, Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Patient" } }] });
        var api = new FakeFhirApi
        {
            TransactionHandler = _ => new Bundle
            {
                Type = Bundle.BundleType.BatchResponse,
                Entry = [new() { Response = new() { Status = "400 Bad Request", Outcome = new OperationOutcome { Issue = [new() { Diagnostics = "Patient.gender: unknown code" }] } } }],
            },
        };

        var result = Assert.Single(await BundleImporter.ImportFolderAsync(api, _folder, CancellationToken.None));

        Assert.Equal(ImportOutcome.Failed, result.Outcome);
        Assert.Equal("400 Bad Request Patient.gender: unknown code", result.Message);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_command_rejects_a_missing_folder_without_starting_a_host()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await ImportCommand.RunAsync(["import", Path.Combine(_folder, "missing")], output, error, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.Contains("folder not found", error.ToString(), StringComparison.Ordinal);
    }

    private void Write(string name, Resource resource) =>
        File.WriteAllText(Path.Combine(_folder, name), DemoTestSupport.ToJson(resource), Encoding.UTF8);
}

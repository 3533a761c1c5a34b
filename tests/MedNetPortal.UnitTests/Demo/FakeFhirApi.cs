using System.Net;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using Refit;

namespace MedNetPortal.UnitTests.Demo;

/// <summary>
/// An in-memory stand-in for the base that honours conditional creates the way FHIR specifies them:
/// a POST whose ifNoneExist query already matched answers 200 instead of creating again.
/// </summary>
internal sealed class FakeFhirApi : IFhirApi
{
    private readonly HashSet<string> _matched = new(StringComparer.Ordinal);

    public List<Bundle> Transactions { get; } = [];

    public List<(string ResourceType, Resource Resource, string? IfNoneExist)> Creates { get; } = [];

    public int StoredCount { get; private set; }

    public Func<Bundle, Bundle>? TransactionHandler { get; set; }

    public Func<IApiResponse<Resource>>? CreateHandler { get; set; }

    public Task<CapabilityStatement> GetCapabilitiesAsync(CancellationToken cancellationToken) =>
        System.Threading.Tasks.Task.FromResult(new CapabilityStatement { FhirVersion = FHIRVersion.N4_0_1 });

    public Task<Bundle> TransactionAsync(Bundle bundle, CancellationToken cancellationToken)
    {
        Transactions.Add(bundle);
        if (TransactionHandler is not null)
        {
            return System.Threading.Tasks.Task.FromResult(TransactionHandler(bundle));
        }

        var response = new Bundle { Type = Bundle.BundleType.TransactionResponse };
        foreach (var entry in bundle.Entry)
        {
            var created = Store(entry.Request?.Url ?? "", entry.Request?.IfNoneExist);
            response.Entry.Add(new Bundle.EntryComponent { Response = new Bundle.ResponseComponent { Status = created ? "201 Created" : "200 OK" } });
        }

        return System.Threading.Tasks.Task.FromResult(response);
    }

    public Task<IApiResponse<Resource>> CreateAsync(string resourceType, Resource resource, string? ifNoneExist, CancellationToken cancellationToken)
    {
        Creates.Add((resourceType, resource, ifNoneExist));
        if (CreateHandler is not null)
        {
            return System.Threading.Tasks.Task.FromResult(CreateHandler());
        }

        var created = Store(resourceType, ifNoneExist);
        IApiResponse<Resource> response = new ApiResponse<Resource>(
            Response(created ? HttpStatusCode.Created : HttpStatusCode.OK), resource, new RefitSettings());
        return System.Threading.Tasks.Task.FromResult(response);
    }

    /// <summary>Refit requires a response that knows its request.</summary>
    public static HttpResponseMessage Response(HttpStatusCode status) =>
        new(status) { RequestMessage = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1/fhir/Bundle") };

    private bool Store(string resourceType, string? ifNoneExist)
    {
        if (ifNoneExist is not null && !_matched.Add(resourceType + "?" + ifNoneExist))
        {
            return false;
        }

        StoredCount++;
        return true;
    }

    // The seeder and importer use only metadata, transactions and creates; anything else is a test failure.
    public Task<Resource> ReadAsync(string resourceType, string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Resource> VReadAsync(string resourceType, string id, string versionId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Bundle> SearchAsync(string resourceType, FhirSearchParameters parameters, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Bundle> SearchPostAsync(string resourceType, FormUrlEncodedContent parameters, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IApiResponse<Resource>> UpdateAsync(string resourceType, string id, Resource resource, string? ifMatch, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Bundle> HistoryAsync(string resourceType, string id, int? count, CancellationToken cancellationToken) => throw new NotSupportedException();
}

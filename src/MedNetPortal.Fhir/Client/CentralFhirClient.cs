using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Hl7.Fhir.Model;

namespace MedNetPortal.Fhir;

/// <summary>
/// Typed helpers over <see cref="IFhirApi"/>: typed reads, writes with their headers
/// understood, and paging that follows <c>next</c> links only on the configured base. Every failure is a
/// <see cref="FhirApiException"/>. One method call is one HTTP round trip unless it says it follows links.
/// </summary>
public sealed class CentralFhirClient
{
    private readonly IFhirApi _api;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly CentralFhirEndpoint _endpoint;

    /// <summary>Creates the client (registered by <see cref="FhirClientExtensions.AddCentralFhirClient"/>).</summary>
    public CentralFhirClient(IFhirApi api, IHttpClientFactory httpClientFactory, CentralFhirEndpoint endpoint)
    {
        _api = api;
        _httpClientFactory = httpClientFactory;
        _endpoint = endpoint;
    }

    /// <summary>The raw Refit interface, for interactions without a helper here.</summary>
    public IFhirApi Api => _api;

    /// <summary>Reads the server's CapabilityStatement.</summary>
    public Task<CapabilityStatement> GetCapabilitiesAsync(CancellationToken cancellationToken) =>
        RequireBodyAsync(_api.GetCapabilitiesAsync(cancellationToken));

    /// <summary>
    /// The server's CapabilityStatement as JSON, not parsed into the R4 model: real servers list resource types and codes R4
    /// does not know (see <see cref="BaseCapabilities"/>). One round trip; failures as <see cref="FhirApiException"/>.
    /// </summary>
    public async Task<JsonDocument> GetCapabilityStatementJsonAsync(CancellationToken cancellationToken)
    {
        var client = _httpClientFactory.CreateClient(FhirClientExtensions.HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_endpoint.ClientBaseAddress, "metadata"));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("resourceType", out var type) || type.GetString() != "CapabilityStatement")
            {
                document.Dispose();
                throw FhirResponseHandler.Malformed(response.StatusCode, "The metadata answer is not a CapabilityStatement.");
            }

            return document;
        }
        catch (JsonException ex)
        {
            throw FhirResponseHandler.Malformed(response.StatusCode, "The metadata answer is not JSON.", ex);
        }
    }

    /// <summary>Reads the current version of a resource.</summary>
    public async Task<T> ReadAsync<T>(string id, CancellationToken cancellationToken)
        where T : Resource
        => As<T>(await _api.ReadAsync(TypeName<T>(), id, cancellationToken).ConfigureAwait(false));

    /// <summary>Reads one version of a resource.</summary>
    public async Task<T> VReadAsync<T>(string id, string versionId, CancellationToken cancellationToken)
        where T : Resource
        => As<T>(await _api.VReadAsync(TypeName<T>(), id, versionId, cancellationToken).ConfigureAwait(false));

    /// <summary>One page of a GET search. Parameters end up in the URL: no personal data (use <see cref="SearchPostAsync{T}"/>).</summary>
    public Task<Bundle> SearchAsync<T>(FhirSearchParameters parameters, CancellationToken cancellationToken)
        where T : Resource
        => RequireBodyAsync(_api.SearchAsync(TypeName<T>(), parameters, cancellationToken));

    /// <summary>One page of a POST <c>_search</c>: the parameters travel in the body, so identifiers stay out of URLs.</summary>
    public async Task<Bundle> SearchPostAsync<T>(FhirSearchParameters parameters, CancellationToken cancellationToken)
        where T : Resource
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var form = parameters.ToFormContent();
        return await RequireBodyAsync(_api.SearchPostAsync(TypeName<T>(), form, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// The page after <paramref name="bundle"/> (one round trip), or null when it has no <c>next</c> link.
    /// Throws <see cref="FhirApiException"/> (<see cref="FhirApiErrorReason.UntrustedLink"/>) when the link leaves the base.
    /// </summary>
    public async Task<Bundle?> NextPageAsync(Bundle bundle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var next = bundle.Link.FirstOrDefault(l => l.Relation == "next")?.Url;
        if (string.IsNullOrEmpty(next))
        {
            return null;
        }

        var uri = ResolveLink(next);
        var client = _httpClientFactory.CreateClient(FhirClientExtensions.HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return FhirJson.Deserialize<Bundle>(body);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw FhirResponseHandler.Malformed(response.StatusCode, "A paging response is not a FHIR Bundle.", ex);
        }
    }

    /// <summary>
    /// The first page and every following page by their <c>next</c> links, one round trip per page, stopping after
    /// <paramref name="maxPages"/> pages (a guard against servers whose links loop).
    /// </summary>
    public async IAsyncEnumerable<Bundle> PagesAsync(Bundle firstPage, int maxPages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(firstPage);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPages, 1);
        Bundle? page = firstPage;
        for (var count = 0; page is not null && count < maxPages; count++)
        {
            yield return page;
            if (count + 1 < maxPages)
            {
                page = await NextPageAsync(page, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Runs a search (POST <c>_search</c> when <paramref name="usePost"/>, else GET) and follows <c>next</c> links,
    /// returning all entries (matches and includes) of up to <paramref name="maxPages"/> pages.
    /// </summary>
    public async Task<IReadOnlyList<Bundle.EntryComponent>> SearchAllAsync<T>(
        FhirSearchParameters parameters, bool usePost, int maxPages, CancellationToken cancellationToken)
        where T : Resource
    {
        var first = usePost
            ? await SearchPostAsync<T>(parameters, cancellationToken).ConfigureAwait(false)
            : await SearchAsync<T>(parameters, cancellationToken).ConfigureAwait(false);
        var entries = new List<Bundle.EntryComponent>();
        await foreach (var page in PagesAsync(first, maxPages, cancellationToken).ConfigureAwait(false))
        {
            entries.AddRange(page.Entry);
        }

        return entries;
    }

    /// <summary>
    /// Creates a resource; with <paramref name="ifNoneExist"/> (e.g. <c>identifier=system|value</c>) a conditional create
    /// that answers 200 with the existing resource when one matches. Never retried.
    /// </summary>
    public async Task<FhirWriteResult<T>> CreateAsync<T>(T resource, string? ifNoneExist, CancellationToken cancellationToken)
        where T : Resource
    {
        ArgumentNullException.ThrowIfNull(resource);
        using var response = await _api.CreateAsync(TypeName<T>(), resource, ifNoneExist, cancellationToken).ConfigureAwait(false);
        return FhirWriteResults.From<T>(response);
    }

    /// <summary>
    /// Updates a resource by its id. With <paramref name="ifMatchVersionId"/> the server refuses with 412
    /// (<see cref="FhirApiErrorReason.PreconditionFailed"/>) when someone changed it since that version. Never retried.
    /// </summary>
    public async Task<FhirWriteResult<T>> UpdateAsync<T>(T resource, string? ifMatchVersionId, CancellationToken cancellationToken)
        where T : Resource
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (string.IsNullOrEmpty(resource.Id))
        {
            throw new ArgumentException("An update needs the resource's id.", nameof(resource));
        }

        var ifMatch = ifMatchVersionId is null ? null : $"W/\"{ifMatchVersionId}\"";
        using var response = await _api.UpdateAsync(TypeName<T>(), resource.Id, resource, ifMatch, cancellationToken).ConfigureAwait(false);
        return FhirWriteResults.From<T>(response);
    }

    /// <summary>
    /// Posts a transaction or batch Bundle; never retried, except a <c>batch</c> of GETs only, which reads and changes nothing
    /// (the record view's one round trip) and is retried like a search.
    /// </summary>
    public Task<Bundle> TransactionAsync(Bundle bundle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return IsReadOnlyBatch(bundle)
            ? ReadOnlyBatchAsync(bundle, cancellationToken)
            : RequireBodyAsync(_api.TransactionAsync(bundle, cancellationToken));
    }

    /// <summary>The same POST as <see cref="IFhirApi.TransactionAsync"/>, marked so the resilience pipeline may retry it.</summary>
    private async Task<Bundle> ReadOnlyBatchAsync(Bundle bundle, CancellationToken cancellationToken)
    {
        var client = _httpClientFactory.CreateClient(FhirClientExtensions.HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint.ClientBaseAddress);
        request.Content = new StringContent(FhirJson.Serialize(bundle), System.Text.Encoding.UTF8);
        request.Content.Headers.ContentType = FhirJson.ContentType;
        request.Options.Set(new HttpRequestOptionsKey<bool>(FhirRequestKinds.ReadOnlyBatchOption), true);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return FhirJson.Deserialize<Bundle>(body);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw FhirResponseHandler.Malformed(response.StatusCode, $"The {(int)response.StatusCode} answer to a batch is not a FHIR Bundle.", ex);
        }
    }

    /// <summary>A <c>batch</c> (not a transaction) with at least one entry, every entry a GET or HEAD.</summary>
    internal static bool IsReadOnlyBatch(Bundle bundle) =>
        bundle.Type == Bundle.BundleType.Batch
        && bundle.Entry.Count > 0
        && bundle.Entry.All(e => e.Request?.Method is Bundle.HTTPVerb.GET or Bundle.HTTPVerb.HEAD);

    /// <summary>One page of a resource's history.</summary>
    public Task<Bundle> HistoryAsync<T>(string id, int? count, CancellationToken cancellationToken)
        where T : Resource
        => RequireBodyAsync(_api.HistoryAsync(TypeName<T>(), id, count, cancellationToken));

    /// <summary>
    /// Resolves a paging link against the base and checks it stays on the base (scheme, host, port and path prefix);
    /// anything else is refused, so a hostile or misconfigured server cannot send the client (and its token) elsewhere.
    /// </summary>
    public Uri ResolveLink(string link)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (!Uri.TryCreate(_endpoint.BaseAddress, link, out var uri) || !_endpoint.Contains(uri))
        {
            throw new FhirApiException(
                FhirApiErrorReason.UntrustedLink,
                FhirApiException.DefaultMessage(FhirApiErrorReason.UntrustedLink),
                diagnostics: $"Link outside {_endpoint.BaseAddress.GetLeftPart(UriPartial.Path)} refused.");
        }

        return uri;
    }

    private static async Task<TResult> RequireBodyAsync<TResult>(Task<TResult> call)
        where TResult : Resource
    {
        var result = await call.ConfigureAwait(false);
        return result ?? throw FhirResponseHandler.Malformed(HttpStatusCode.OK, $"The response has no {typeof(TResult).Name} body.");
    }

    private static T As<T>(Resource? resource)
        where T : Resource
        => resource as T ?? throw FhirResponseHandler.Malformed(
            HttpStatusCode.OK, $"Expected {TypeName<T>()} but the body is {resource?.TypeName ?? "empty"}.");

    internal static string TypeName<T>()
        where T : Resource
        => ModelInfo.GetFhirTypeNameForType(typeof(T)) ?? throw new ArgumentException($"{typeof(T).Name} is not a FHIR resource type.");
}

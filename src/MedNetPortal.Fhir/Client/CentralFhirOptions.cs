using Microsoft.Extensions.Options;

namespace MedNetPortal.Fhir;

/// <summary>
/// Section <c>CentralFhir</c>: which FHIR R4 base the portal's typed client talks to, and how patiently.
/// </summary>
/// <remarks>
/// <para>Resilience (the standard pipeline of Microsoft.Extensions.Http.Resilience, tuned in code; reasons per number):</para>
/// <list type="bullet">
/// <item><b>Total timeout = <see cref="TimeoutSeconds"/></b> (default 30 s): the longest a clinician waits for one call,
/// retries included; a page that hangs longer is worse than an error with a retry button.</item>
/// <item><b>Attempt timeout = min(<see cref="AttemptTimeoutSeconds"/>, total)</b> (default 4 s) for reads and searches: a
/// record view is one round trip whose budget is 50 ms typical and 400 ms for a 1,000-diagnosis patient (docs/performance.md);
/// 4 s is ten times the large budget, so an attempt that takes longer is a stuck base, not a big patient, and a retry on
/// another connection has a better chance. Three attempts (4 + 0.5 + 4 + 1 + 4 s) end within about 14 s, inside the total.
/// Writes (create, update, transaction) are never retried, so their one attempt may use the whole total timeout.</item>
/// <item><b>Retries: at most 2, exponential back-off from 500 ms with jitter, honouring <c>Retry-After</c></b>, and only
/// for safe requests: GET and HEAD, and POST <c>[type]/_search</c> (FHIR defines search as free of side effects whatever the
/// verb; it only carries the query in the body to keep identifiers out of URLs). Never for create, transaction, batch or
/// update: a retried POST can store a resource twice when the first attempt succeeded but its answer was lost, and a
/// retried PUT can create an extra version or fail its own If-Match. Transient = 408, 429, 5xx, connection failure,
/// attempt timeout. Two retries turn a brief restart or failover blip into a success without multiplying load on a base
/// that is really down.</item>
/// <item><b>Circuit breaker: opens when at least 50 % of at least 10 calls within 30 s failed, for 15 s.</b> A clinic sends
/// a few requests per screen, not hundreds per second: the library default minimum throughput of 100 would never trip.
/// Ten calls is about three screens; 15 s is long enough to spare a struggling base and short enough that a user's next
/// try after reading the error usually goes through.</item>
/// <item><b><see cref="HttpClient.Timeout"/> is infinite</b>: the pipeline above owns timing.</item>
/// </list>
/// </remarks>
public sealed class CentralFhirOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "CentralFhir";

    /// <summary>
    /// Absolute http(s) URL of the FHIR base (e.g. <c>https://fhir.example.jp/r4</c>). Empty means the embedded base on
    /// this same host, whose address the web host resolves once it is listening.
    /// </summary>
    public string BaseUrl { get; set; } = string.Empty;

    /// <summary>Total time allowed for one call including retries, 1–300 seconds. Default 30.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Time allowed for one attempt of a read or search (retried), 1–300 seconds (the total caps it). Default 4.</summary>
    public int AttemptTimeoutSeconds { get; set; } = 4;

    /// <summary>
    /// Space-separated OAuth scopes for the bearer token. When set and an <see cref="IFhirAccessTokenProvider"/> is
    /// registered, every request carries <c>Authorization: Bearer</c>. With <see cref="ClientId"/> set a token is sent
    /// even when empty (the authority then grants the client's registered scopes).
    /// </summary>
    public string? Scopes { get; set; }

    /// <summary>
    /// OAuth client id of the portal at the base's authority. When set, the portal gets its tokens with client credentials
    /// (<see cref="ClientCredentialsTokenProvider"/>); with the embedded base on this host an empty <see cref="ClientSecret"/>
    /// is taken from <c>FhirBase:Auth:Clients:&lt;id&gt;:Secret</c>.
    /// </summary>
    public string? ClientId { get; set; }

    /// <summary>The client secret for <see cref="ClientId"/>; required with it (see there for the embedded base).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The token endpoint; empty: read from <c>[base]/.well-known/smart-configuration</c> at the first call.</summary>
    public string? TokenEndpoint { get; set; }

    /// <summary>
    /// The most entries the portal puts in one transaction when it seeds or imports (1–10,000, default 100): larger ones are
    /// sent in chunks (<see cref="TransactionChunks"/>). Some bases refuse large atomic transactions; lower it for them.
    /// </summary>
    public int MaxTransactionEntries { get; set; } = 100;

    /// <summary>The scopes as a list (empty when none).</summary>
    public IReadOnlyList<string> ScopeList =>
        (Scopes ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Validates <see cref="CentralFhirOptions"/>; every message names the configuration key.</summary>
internal sealed class CentralFhirOptionsValidator(bool hasFallbackBaseAddress) : IValidateOptions<CentralFhirOptions>
{
    public ValidateOptionsResult Validate(string? name, CentralFhirOptions options)
    {
        var failures = new List<string>();
        var baseUrl = options.BaseUrl?.Trim() ?? string.Empty;
        if (baseUrl.Length == 0)
        {
            if (!hasFallbackBaseAddress)
            {
                failures.Add("CentralFhir:BaseUrl is empty and this host offers no embedded FHIR base address; set CentralFhir:BaseUrl to an absolute http(s) URL.");
            }
        }
        else if (!TryParseBaseUrl(baseUrl, out _))
        {
            failures.Add("CentralFhir:BaseUrl must be an absolute http(s) URL without query or fragment (or empty for the embedded base).");
        }

        if (options.TimeoutSeconds is < 1 or > 300)
        {
            failures.Add("CentralFhir:TimeoutSeconds must be between 1 and 300.");
        }

        if (options.AttemptTimeoutSeconds is < 1 or > 300)
        {
            failures.Add("CentralFhir:AttemptTimeoutSeconds must be between 1 and 300.");
        }

        if (options.MaxTransactionEntries is < 1 or > 10000)
        {
            failures.Add("CentralFhir:MaxTransactionEntries must be between 1 and 10000.");
        }

        if (!string.IsNullOrWhiteSpace(options.ClientId) && string.IsNullOrEmpty(options.ClientSecret))
        {
            failures.Add("CentralFhir:ClientSecret is required when CentralFhir:ClientId is set.");
        }

        if (!string.IsNullOrWhiteSpace(options.TokenEndpoint)
            && (!Uri.TryCreate(options.TokenEndpoint.Trim(), UriKind.Absolute, out var token) || (token.Scheme != Uri.UriSchemeHttp && token.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add("CentralFhir:TokenEndpoint must be an absolute http(s) URL (or empty to read it from the base's .well-known/smart-configuration).");
        }

        if (options.Scopes is { } scopes && scopes.Any(char.IsControl))
        {
            failures.Add("CentralFhir:Scopes must be space-separated scope names without control characters.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Parses a base URL and normalises it to end with '/', so relative paths append to it.</summary>
    internal static bool TryParseBaseUrl(string value, out Uri baseUri)
    {
        baseUri = null!;
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return false;
        }

        baseUri = EnsureTrailingSlash(uri);
        return true;
    }

    internal static Uri EnsureTrailingSlash(Uri uri) =>
        uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.GetLeftPart(UriPartial.Path) + "/");
}

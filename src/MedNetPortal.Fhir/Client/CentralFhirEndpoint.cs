using Microsoft.Extensions.Options;

namespace MedNetPortal.Fhir;

/// <summary>
/// The base address of the central FHIR base, resolved at first use: the configured <c>CentralFhir:BaseUrl</c>, or
/// (when empty) the embedded base's address from the resolver the web host supplied, which is known only once the
/// server listens.
/// </summary>
public sealed class CentralFhirEndpoint
{
    /// <summary>
    /// The address Refit builds request URIs on when the real base is resolved lazily; the
    /// <see cref="BaseAddressHandler"/> swaps it for the real base at send time. <c>.invalid</c> never resolves (RFC 2606).
    /// </summary>
    internal static readonly Uri Placeholder = new("http://central-fhir-base.invalid/");

    private readonly Lazy<Uri> _baseAddress;

    internal CentralFhirEndpoint(IOptions<CentralFhirOptions> options, IServiceProvider services, Func<IServiceProvider, Uri>? fallback)
    {
        var configured = options.Value.BaseUrl?.Trim() ?? string.Empty;
        IsConfigured = configured.Length > 0;
        _baseAddress = new Lazy<Uri>(() => Resolve(configured, services, fallback), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>True when <c>CentralFhir:BaseUrl</c> names the base (false: the embedded base, resolved lazily).</summary>
    public bool IsConfigured { get; }

    /// <summary>The base address, always ending in '/'. Resolving it the first time may call the host's resolver.</summary>
    public Uri BaseAddress => _baseAddress.Value;

    /// <summary>The address given to the HttpClient (the real base when configured, else <see cref="Placeholder"/>).</summary>
    internal Uri ClientBaseAddress => IsConfigured ? BaseAddress : Placeholder;

    /// <summary>Whether <paramref name="uri"/> is on this base: same scheme, host and port, and under the base path.</summary>
    public bool Contains(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var root = BaseAddress;
        return uri.IsAbsoluteUri
            && string.Equals(uri.Scheme, root.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.IdnHost, root.IdnHost, StringComparison.OrdinalIgnoreCase)
            && uri.Port == root.Port
            && string.IsNullOrEmpty(uri.UserInfo)
            && (uri.AbsolutePath.StartsWith(root.AbsolutePath, StringComparison.Ordinal)
                || uri.AbsolutePath + "/" == root.AbsolutePath);
    }

    private static Uri Resolve(string configured, IServiceProvider services, Func<IServiceProvider, Uri>? fallback)
    {
        if (configured.Length > 0)
        {
            return CentralFhirOptionsValidator.TryParseBaseUrl(configured, out var uri)
                ? uri
                : throw new InvalidOperationException("CentralFhir:BaseUrl must be an absolute http(s) URL.");
        }

        if (fallback is null)
        {
            throw new InvalidOperationException("CentralFhir:BaseUrl is empty and no embedded FHIR base address resolver was registered.");
        }

        var resolved = fallback(services);
        return CentralFhirOptionsValidator.TryParseBaseUrl(resolved.ToString(), out var embedded)
            ? embedded
            : throw new InvalidOperationException("The embedded FHIR base address resolver returned a URL that is not absolute http(s).");
    }
}

/// <summary>Rewrites requests built on <see cref="CentralFhirEndpoint.Placeholder"/> onto the real base address.</summary>
internal sealed class BaseAddressHandler(CentralFhirEndpoint endpoint) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } uri && CentralFhirEndpoint.Placeholder.IsBaseOf(uri))
        {
            var rest = uri.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped).TrimStart('/');
            request.RequestUri = new Uri(endpoint.BaseAddress.AbsoluteUri + rest);
        }

        return base.SendAsync(request, cancellationToken);
    }
}

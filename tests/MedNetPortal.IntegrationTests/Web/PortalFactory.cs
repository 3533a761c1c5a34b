using MedNetPortal.TestSupport;

namespace MedNetPortal.IntegrationTests.Web;

/// <summary>The integration tier's portal: <see cref="TestPortal"/> (the real portal on Kestrel, embedded defaults) with proxy helpers.</summary>
public class PortalFactory : TestPortal
{
    public PortalFactory() : this(new Dictionary<string, string?>())
    {
    }

    // Not public: xunit needs a single public constructor on a class fixture.
    internal PortalFactory(IReadOnlyDictionary<string, string?> overrides, string environment = "Development")
        : base(overrides, environment, dataFolderPrefix: "mednet-web-")
    {
    }

    /// <summary>Settings for a server behind a TLS-terminating proxy on 127.0.0.1 (use with <see cref="CreateProxiedHttpsClient"/>).</summary>
    public static readonly IReadOnlyDictionary<string, string?> BehindHttpsProxy = new Dictionary<string, string?> { ["Proxy:KnownProxies"] = "127.0.0.1" };

    /// <summary>
    /// A client that speaks to the server as a TLS-terminating proxy would (X-Forwarded-Proto: https): outside Development the
    /// portal redirects plain HTTP and its antiforgery cookie is HTTPS-only. Needs <see cref="BehindHttpsProxy"/>.
    /// </summary>
    public HttpClient CreateProxiedHttpsClient()
    {
        var client = CreatePortalClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "127.0.0.1");
        return client;
    }
}

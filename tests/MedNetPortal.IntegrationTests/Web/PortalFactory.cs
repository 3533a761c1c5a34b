using MedNetPortal.Tests.Shared;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.IntegrationTests.Web;

/// <summary>
/// The real portal on Kestrel at http://127.0.0.1:{free port}, with a fresh data folder and the embedded configuration
/// (FhirBase on, CentralFhir:BaseUrl empty so the client uses the embedded base, demo data off). Settings given to the
/// constructor override these; they reach the app as command-line configuration, so Program sees them from its first line.
/// </summary>
public class PortalFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings;

    public PortalFactory() : this(new Dictionary<string, string?>())
    {
    }

    // Not public: xunit needs a single public constructor on a class fixture.
    internal PortalFactory(IReadOnlyDictionary<string, string?> overrides, string environment = "Development")
    {
        DataDirectory = Directory.CreateTempSubdirectory("mednet-web-").FullName;
        Environment = environment;
        settings = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Storage:DataDirectory"] = DataDirectory,
            ["Database:MigrateOnStartup"] = "true",
            ["FhirBase:Enabled"] = "true",
            ["CentralFhir:BaseUrl"] = "",
            ["Demo:Enabled"] = "false",
            // Every test signs in from 127.0.0.1, often as the same demo account: the production limits would refuse later
            // tests. The rate-limit tests set their own limits.
            ["RateLimits:SignInPerAccount"] = "100000",
            ["RateLimits:SignInPerAddress"] = "1000000",
            ["RateLimits:LookupPerAccount"] = "100000",
            ["RateLimits:LookupPerAddress"] = "1000000",
        };
        // The portal's own client comes from appsettings.Development.json; the tests' direct calls use the test client.
        foreach (var (key, value) in BaseClientCredentials.BaseSettings)
        {
            settings[key] = value;
        }
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        UseKestrel();
    }

    public string DataDirectory { get; }

    public string Environment { get; }

    /// <summary>The server's root address, e.g. http://127.0.0.1:41234/ (starts the server).</summary>
    public Uri RootUri
    {
        get
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri(address.TrimEnd('/') + "/");
        }
    }

    /// <summary>A client for the running server that does not follow redirects or keep cookies.</summary>
    public HttpClient CreatePortalClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = RootUri };

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

    /// <summary>
    /// A client for the embedded FHIR base on the running server (<c>fhir/</c>), asking for FHIR JSON, with a bearer token of
    /// the test client (every scope), fetched from the base's token endpoint.
    /// </summary>
    public HttpClient CreateBaseClient()
    {
        var http = BaseClientCredentials.CreateHttpClient(new Uri(RootUri, "fhir/"));
        http.DefaultRequestHeaders.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("application/fhir+json"));
        return http;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a late background task; the temp folder is cleaned by the OS.
            }
        }
    }
}

using MedNetPortal.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.TestSupport;

/// <summary>
/// The one portal fixture of the integration and end-to-end tiers: the real portal on Kestrel at
/// http://127.0.0.1:{free port} with a fresh data folder, in the embedded configuration (embedded base on,
/// <c>CentralFhir:BaseUrl</c> empty so the client uses it, migrations on start-up, demo data off, no production rate limits),
/// the base's test OAuth client registered. Settings given to the constructor override these; they reach the app before
/// Program's first line. Services a test replaces are only what the test is not about.
/// </summary>
public class TestPortal : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings;
    private readonly Action<IServiceCollection>? testServices;

    /// <param name="overrides">Settings over the embedded defaults.</param>
    /// <param name="environment">The host environment (Development unless a test is about production behaviour).</param>
    /// <param name="testServices">Services replaced for the test.</param>
    /// <param name="dataFolderPrefix">Names the temporary data folder (which tier made it).</param>
    public TestPortal(
        IReadOnlyDictionary<string, string?>? overrides = null,
        string environment = "Development",
        Action<IServiceCollection>? testServices = null,
        string dataFolderPrefix = "mednet-test-")
    {
        DataDirectory = Directory.CreateTempSubdirectory(dataFolderPrefix).FullName;
        Environment = environment;
        this.testServices = testServices;
        settings = new Dictionary<string, string?>(DefaultSettings(DataDirectory));
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
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

    /// <summary>The embedded defaults every test portal starts from.</summary>
    public static IReadOnlyDictionary<string, string?> DefaultSettings(string dataDirectory)
    {
        var defaults = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Storage:DataDirectory"] = dataDirectory,
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
            defaults[key] = value;
        }

        return defaults;
    }

    /// <summary>
    /// A client of the embedded base on the running server as the test client (every scope), asking for FHIR JSON, with a
    /// token from the base's token endpoint. <paramref name="baseAddress"/> is where relative paths start (by default
    /// <see cref="BaseClientAddress"/>).
    /// </summary>
    public HttpClient CreateBaseClient(Uri? baseAddress = null, TimeSpan? timeout = null)
    {
        var http = BaseClientCredentials.CreateHttpClient(new Uri(RootUri, "fhir/"), baseAddress ?? BaseClientAddress);
        http.Timeout = timeout ?? TimeSpan.FromSeconds(100);
        http.DefaultRequestHeaders.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("application/fhir+json"));
        return http;
    }

    /// <summary>Where <see cref="CreateBaseClient"/>'s relative paths start: the base (<c>fhir/</c>), unless a tier says otherwise.</summary>
    protected virtual Uri BaseClientAddress => new(RootUri, "fhir/");

    /// <summary>A client for the running server that does not follow redirects or keep cookies.</summary>
    public HttpClient CreatePortalClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = RootUri };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        if (testServices is not null)
        {
            builder.ConfigureTestServices(testServices);
        }

        ConfigureTestHost(builder);
    }

    /// <summary>What a tier adds to every host it starts (the end-to-end tier captures logs, for instance).</summary>
    protected virtual void ConfigureTestHost(IWebHostBuilder builder)
    {
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

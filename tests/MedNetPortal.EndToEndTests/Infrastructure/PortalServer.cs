using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MedNetPortal.Tests.Shared;

namespace MedNetPortal.EndToEndTests.Infrastructure;

/// <summary>The real portal on Kestrel at http://127.0.0.1:{free port} with a fresh data folder, in the embedded configuration.</summary>
public sealed class PortalServer : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> settings;
    private readonly Action<IServiceCollection>? testServices;

    /// <param name="overrides">Settings over the embedded defaults.</param>
    /// <param name="testServices">Services replaced for the test (only what the test is not about).</param>
    public PortalServer(IReadOnlyDictionary<string, string?>? overrides = null, Action<IServiceCollection>? testServices = null)
    {
        this.testServices = testServices;
        DataDirectory = Directory.CreateTempSubdirectory("mednet-e2e-").FullName;
        var all = new Dictionary<string, string?>
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
            all[key] = value;
        }
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        settings = all;
        UseKestrel();
    }

    public string DataDirectory { get; }

    public Uri RootUri
    {
        get
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri(address.TrimEnd('/') + "/");
        }
    }

    /// <summary>
    /// A client of the running portal (<see cref="HttpClient.BaseAddress"/> = <paramref name="baseAddress"/>, default the
    /// root, so paths read <c>fhir/…</c>) that calls the embedded base as the test client, with a token from its token endpoint.
    /// </summary>
    public HttpClient CreateBaseClient(Uri? baseAddress = null, TimeSpan? timeout = null)
    {
        var http = BaseClientCredentials.CreateHttpClient(new Uri(RootUri, "fhir/"), baseAddress ?? RootUri);
        http.Timeout = timeout ?? TimeSpan.FromSeconds(100);
        return http;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        if (testServices is not null)
        {
            builder.ConfigureTestServices(testServices);
        }

        builder.ConfigureLogging(logging => logging
            .AddProvider(CapturedLogs.Shared)
            // The console gets warnings only: request lines at Information buried the failing test's message in CI.
            .AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(null, LogLevel.Warning));
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
                // Left for the OS's temp cleanup.
            }
        }
    }
}

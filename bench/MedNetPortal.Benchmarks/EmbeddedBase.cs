using MedNetPortal.Fhir;
using MedNetPortal.FhirBase;
using MedNetPortal.Tests.Shared;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Data.Sqlite;

namespace MedNetPortal.Benchmarks;

/// <summary>
/// The embedded FHIR base on Kestrel at http://127.0.0.1:(free port)/fhir/ over <see cref="DataDirectory"/>, started the way the
/// integration tests' EmbeddedFhirBaseFixture does (AddFhirBase/MapFhirBase), plus a <see cref="CentralFhirClient"/> for it
/// registered by the portal's own <c>AddCentralFhirClient</c> (same handlers and resilience pipeline as in production). Both
/// authenticate as the test OAuth client, with tokens from the base's token endpoint, as any client of the base does.
/// </summary>
public sealed class EmbeddedBase : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServiceProvider _clientServices;
    private readonly bool _deleteOnDispose;

    private EmbeddedBase(WebApplication app, string dataDirectory, bool deleteOnDispose)
    {
        _app = app;
        DataDirectory = dataDirectory;
        _deleteOnDispose = deleteOnDispose;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        BaseUri = new Uri(address.TrimEnd('/') + "/fhir/");
        Http = BaseClientCredentials.CreateHttpClient(BaseUri);
        Http.DefaultRequestHeaders.Accept.ParseAdd(FhirJson.MediaType);

        var services = new ServiceCollection();
        services.AddLogging();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(BaseClientCredentials.ClientSettings(BaseUri))
            .Build();
        services.AddCentralFhirClient(configuration);
        _clientServices = services.BuildServiceProvider();
        Client = _clientServices.GetRequiredService<CentralFhirClient>();
    }

    public string DataDirectory { get; }

    /// <summary>The base URL, ending in <c>/fhir/</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary>A plain client (Accept: FHIR JSON) with <see cref="HttpClient.BaseAddress"/> = <see cref="BaseUri"/>.</summary>
    public HttpClient Http { get; }

    /// <summary>The portal's client, as registered by <c>AddCentralFhirClient</c>.</summary>
    public CentralFhirClient Client { get; }

    /// <summary>Starts the base over <paramref name="dataDirectory"/> (a new temp folder when null, deleted on dispose).</summary>
    public static async Task<EmbeddedBase> StartAsync(string? dataDirectory = null)
    {
        var deleteOnDispose = dataDirectory is null;
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "mednet-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FhirBase:Enabled"] = "true",
            ["FhirBase:PathBase"] = "/fhir",
            ["Storage:DataDirectory"] = dataDirectory,
            ["Database:MigrateOnStartup"] = "true",
        }.Concat(BaseClientCredentials.BaseSettings));
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddFhirBase(builder.Configuration);
        var app = builder.Build();
        app.MapFhirBase();
        await app.StartAsync().ConfigureAwait(false);
        return new EmbeddedBase(app, dataDirectory, deleteOnDispose);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _clientServices.DisposeAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        SqliteConnection.ClearAllPools();
        if (_deleteOnDispose)
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

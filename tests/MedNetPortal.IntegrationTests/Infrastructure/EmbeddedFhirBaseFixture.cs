using MedNetPortal.FhirBase;
using MedNetPortal.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MedNetPortal.IntegrationTests.Infrastructure;

/// <summary>
/// The embedded FHIR base alone on real Kestrel at http://127.0.0.1:(free port)/fhir/, over a fresh temporary data folder.
/// Use as an xunit class fixture; <see cref="RestartAsync"/> stops and starts the host on the same folder (and port may change).
/// The base authenticates as in production (Embedded mode); <see cref="Http"/> gets its tokens as the test client
/// (<see cref="BaseClientCredentials"/>, every scope) from the base's token endpoint.
/// </summary>
public sealed class EmbeddedFhirBaseFixture : IAsyncLifetime
{
    private readonly Dictionary<string, string?> _settings;
    private WebApplication? _app;

    public EmbeddedFhirBaseFixture()
        : this(null)
    {
    }

    /// <summary>A fixture with extra settings (xunit needs one public constructor, so this one is for subclasses and wrappers).</summary>
    /// <param name="settings">Extra configuration, e.g. <c>ConnectionStrings:FhirBase</c> for PostgreSQL.</param>
    internal EmbeddedFhirBaseFixture(IDictionary<string, string?>? settings)
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "mednet-fhirbase-" + Guid.NewGuid().ToString("N"));
        _settings = new Dictionary<string, string?>
        {
            ["FhirBase:Enabled"] = "true",
            ["FhirBase:PathBase"] = "/fhir",
            ["Storage:DataDirectory"] = DataDirectory,
            ["Database:MigrateOnStartup"] = "true",
        };
        foreach (var (key, value) in BaseClientCredentials.BaseSettings)
        {
            _settings[key] = value;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string DataDirectory { get; }

    /// <summary>The base URL, ending in <c>/fhir/</c>.</summary>
    public Uri BaseUri { get; private set; } = null!;


    /// <summary>
    /// A client with <see cref="HttpClient.BaseAddress"/> = <see cref="BaseUri"/> and a bearer token of the test client
    /// (every scope); replaced on restart.
    /// </summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The running host's services (e.g. to inspect the store directly).</summary>
    public IServiceProvider Services => _app!.Services;

    public Task InitializeAsync() => StartAsync();

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(_settings);
        // A restart reuses the first start's port, so links handed out before the restart stay valid.
        builder.WebHost.UseUrls(BaseUri is null ? "http://127.0.0.1:0" : $"http://127.0.0.1:{BaseUri.Port}");
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter("MedNetPortal", LogLevel.Warning);
        builder.Services.AddFhirBase(builder.Configuration);
        var app = builder.Build();
        app.MapFhirBase();
        await app.StartAsync();
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        BaseUri = new Uri(address.TrimEnd('/') + "/fhir/");
        Http = BaseClientCredentials.CreateHttpClient(BaseUri);
    }

    /// <summary>Settings for the portal's typed client (<c>AddCentralFhirClient</c>) to call this base as the test client.</summary>
    public Dictionary<string, string?> ClientSettings() => BaseClientCredentials.ClientSettings(BaseUri);

    private async Task StopAsync()
    {
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
        SqliteConnection.ClearAllPools();
    }
}

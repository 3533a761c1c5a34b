using System.Text.Json;
using MedNetPortal.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MedNetPortal.LoadDriver;

/// <summary>
/// The real portal on Kestrel at http://127.0.0.1:{free port}, with demo data, in an isolated temporary data folder (the
/// embedded base included), started like the end-to-end tests' PortalServer. Logging: warnings only, so request logging
/// does not load the machine being measured.
/// </summary>
internal sealed class LoadPortal : WebApplicationFactory<Program>
{
    public LoadPortal()
    {
        DataDirectory = Directory.CreateTempSubdirectory("mednet-load-").FullName;
        // The factory's own manifest lookup did not find the portal from a console app; the manifest written at build time has it.
        var manifest = Path.Combine(AppContext.BaseDirectory, "MvcTestingAppManifest.json");
        if (File.Exists(manifest)
            && JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(manifest)) is { } roots
            && roots.FirstOrDefault(r => r.Key.StartsWith("MedNetPortal.Web,", StringComparison.Ordinal)).Value is { } root)
        {
            Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_MEDNETPORTAL_WEB", root);
        }

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

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Development: only there does an unpublished build serve its static web assets (blazor.web.js); MEDNET_LOAD_ENVIRONMENT overrides.
        var environment = Environment.GetEnvironmentVariable("MEDNET_LOAD_ENVIRONMENT") ?? "Development";
        builder.UseEnvironment(environment);
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Storage:DataDirectory"] = DataDirectory,
            ["Database:MigrateOnStartup"] = "true",
            ["FhirBase:Enabled"] = "true",
            ["CentralFhir:BaseUrl"] = "",
            ["Demo:Enabled"] = "true",
        };
        // The driver reads the base directly as the test client; outside Development (no appsettings.Development.json) the
        // portal uses that client too, as it has none of its own configured there.
        foreach (var (key, value) in BaseClientCredentials.BaseSettings)
        {
            settings[key] = value;
        }
        if (environment != "Development")
        {
            settings["CentralFhir:ClientId"] = BaseClientCredentials.ClientId;
            settings["CentralFhir:ClientSecret"] = BaseClientCredentials.ClientSecret;
        }
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.ClearProviders().AddConsole()
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

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
        builder.UseEnvironment("Development");
        foreach (var (key, value) in new Dictionary<string, string?>
                 {
                     ["urls"] = "http://127.0.0.1:0",
                     ["Storage:DataDirectory"] = DataDirectory,
                     ["FhirBase:Enabled"] = "true",
                     ["CentralFhir:BaseUrl"] = "",
                     ["Demo:Enabled"] = "true",
                 })
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning));
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

using System.Security.Claims;
using System.Text.Encodings.Web;
using MedNetPortal.EndToEndTests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MedNetPortal.EndToEndTests.Documents;

/// <summary>
/// The real portal (Kestrel, 127.0.0.1, temp data folder, demo data on) for the letter tests; tests sign in for real
/// with <c>SignIn.AsAsync</c>.
/// </summary>
public sealed class LetterPortalServer : WebApplicationFactory<Program>
{
    public LetterPortalServer()
    {
        DataDirectory = Directory.CreateTempSubdirectory("mednet-e2e-letters-").FullName;
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
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("FhirBase:Enabled", "true");
        builder.UseSetting("CentralFhir:BaseUrl", "");
        builder.UseSetting("Demo:Enabled", "true");
        builder.ConfigureLogging(logging => logging.AddProvider(CapturedLogs.Shared));
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

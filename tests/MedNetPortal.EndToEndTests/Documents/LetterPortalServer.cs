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
/// The real portal (Kestrel, 127.0.0.1, temp data folder, demo data on) for the letter tests. While the app has no
/// authentication of its own (the sign-in feature is built in parallel), a stand-in scheme signs every request in so the
/// page's <c>[Authorize]</c> can be served; once the app registers authentication the stand-in steps aside and
/// <c>SignIn.AsAsync</c> signs in for real.
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
        builder.ConfigureTestServices(services =>
        {
            if (services.Any(d => d.ServiceType == typeof(IAuthenticationService)))
            {
                return;
            }

            services.AddAuthentication(StandInAuthenticationHandler.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, StandInAuthenticationHandler>(StandInAuthenticationHandler.SchemeName, _ => { });
            services.AddAuthorization();
        });
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

    private sealed class StandInAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "DocumentsE2EStandIn";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "doctor@hospital.example")], SchemeName);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
        }
    }
}

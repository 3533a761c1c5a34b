using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Encodings.Web;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Fhir;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using DemoPatients = MedNetPortal.Web.Features.Demo.DemoPatients;
using MedNetPortal.Tests.Shared;

namespace MedNetPortal.EndToEndTests.Patients;

/// <summary>
/// Every request the portal's central-base client sends (method and path only; bodies hold identifiers), except the
/// CapabilityStatement reads of the start-up check and <c>/health</c>, which happen on their own schedule.
/// </summary>
public sealed class CentralRequestLog : DelegatingHandler
{
    private readonly ConcurrentQueue<string> requests = new();

    public IReadOnlyList<string> Requests => [.. requests];

    public void Clear() => requests.Clear();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri?.AbsolutePath.EndsWith("/metadata", StringComparison.Ordinal) != true)
        {
            requests.Enqueue($"{request.Method} {request.RequestUri?.AbsolutePath}");
        }

        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>
/// The real portal (demo data on) with a counting handler innermost in the CentralFhir client, plus one headless Chromium.
/// Until the sign-in feature is merged the app has no authentication scheme, so [Authorize] pages would fail; only then does
/// this fixture add a scheme that signs every request in (it steps aside as soon as the app registers its own).
/// </summary>
public sealed class PatientsPortal : WebApplicationFactory<Program>, IAsyncLifetime
{
    private IPlaywright? playwright;

    public PatientsPortal()
    {
        DataDirectory = Directory.CreateTempSubdirectory("mednet-e2e-patients-").FullName;
        UseKestrel();
    }

    public string DataDirectory { get; }

    public CentralRequestLog Log { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    public Uri RootUri
    {
        get
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri(address.TrimEnd('/') + "/");
        }
    }

    /// <summary>A client of the embedded base (<paramref name="baseAddress"/>, default <c>fhir/</c>) as the test client, with a token.</summary>
    public HttpClient CreateBaseClient(Uri? baseAddress = null) =>
        BaseClientCredentials.CreateHttpClient(new Uri(RootUri, "fhir/"), baseAddress);

    /// <summary>Demo patients' base ids by demo key, found once seeding finished.</summary>
    public Dictionary<string, string> PatientIds { get; } = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(15_000); // as in BrowserFixture: a busy CI machine needs more than 5 s
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFixture.ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        _ = RootUri;
        await WaitForSeedingAsync();
    }

    public Task<IBrowserContext> NewContextAsync(string locale = "ja-JP") =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = RootUri.ToString(),
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
        });

    /// <summary>The seeder writes the large record last; once its letter is searchable, everything is in.</summary>
    private async Task WaitForSeedingAsync()
    {
        using var http = CreateBaseClient();
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        var deadline = DateTime.UtcNow.AddMinutes(4);
        foreach (var patient in DemoPatients.All)
        {
            while (true)
            {
                using var body = new FormUrlEncodedContent([new("identifier", $"{JpFhir.Systems.InsuranceMemberId}|{patient.QualificationIdentifier}")]);
                using var response = await http.PostAsync("Patient/_search", body);
                if (response.IsSuccessStatusCode)
                {
                    var bundle = FhirJson.Deserialize<Hl7.Fhir.Model.Bundle>(await response.Content.ReadAsStringAsync());
                    if (bundle.Entry.FirstOrDefault()?.Resource is { Id: { } id })
                    {
                        PatientIds[patient.Key] = id;
                        break;
                    }
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException("Demo seeding did not finish.");
                }

                await Task.Delay(500);
            }
        }

        // The large record's diagnoses come in several transactions: wait until all 523+ are there.
        var large = PatientIds[DemoPatients.LargeRecordKey];
        while (true)
        {
            using var response = await http.GetAsync($"Condition?patient=Patient/{large}&_summary=count");
            var bundle = FhirJson.Deserialize<Hl7.Fhir.Model.Bundle>(await response.Content.ReadAsStringAsync());
            using var letters = await http.GetAsync($"Bundle?composition.patient=Patient/{large}&_summary=count");
            var letterCount = FhirJson.Deserialize<Hl7.Fhir.Model.Bundle>(await letters.Content.ReadAsStringAsync()).Total ?? 0;
            if (bundle.Total >= 500 && letterCount > 0)
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Demo seeding of the large record did not finish.");
            }

            await Task.Delay(500);
        }

        await Task.Delay(1000);
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
                     // Many sign-ins and lookups from 127.0.0.1 as the same demo accounts: no production rate limits here.
                     ["RateLimits:SignInPerAccount"] = "100000",
                     ["RateLimits:SignInPerAddress"] = "1000000",
                     ["RateLimits:LookupPerAccount"] = "100000",
                     ["RateLimits:LookupPerAddress"] = "1000000",
                     // These tests count the requests a page makes to the base; the audit trail's AuditEvent copies go there
                     // too, in the background (forwarding has its own tests in the integration tier).
                     ["Audit:ForwardToCentralBase"] = "false",
                 }.Concat(BaseClientCredentials.BaseSettings))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging
            .AddProvider(CapturedLogs.Shared)
            // The console gets warnings only: request lines at Information buried the failing test's message in CI.
            .AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(null, LogLevel.Warning));
        builder.ConfigureTestServices(services => services.AddHttpClient(FhirClientExtensions.HttpClientName).AddHttpMessageHandler(() => Log));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        await DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PatientsCollection : ICollectionFixture<PatientsPortal>
{
    public const string Name = "Patients";
}

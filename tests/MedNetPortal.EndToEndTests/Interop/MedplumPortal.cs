using System.Net.Http.Headers;
using System.Text.Json;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Fhir;
using MedNetPortal.TestSupport;
using MedNetPortal.Web.Features.Demo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Interop;

/// <summary>
/// The portal over an independent FHIR server (Medplum's FHIR router with its in-memory repository), the embedded base
/// switched off, demo data seeded by the portal in transactions of at most 8 entries, plus one headless Chromium.
/// </summary>
public sealed class MedplumPortal : IAsyncLifetime
{
    private readonly MedplumFhirServer server = new();
    private IPlaywright? playwright;

    public PortalServer Portal { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>What the server logged (method, path, status), for failure messages.</summary>
    public string ServerLog => server.Log;

    public async Task InitializeAsync()
    {
        await server.InitializeAsync();
        Portal = new PortalServer(
            new Dictionary<string, string?>
            {
                ["FhirBase:Enabled"] = "false",
                ["CentralFhir:BaseUrl"] = server.BaseUri.ToString(),
                ["CentralFhir:ClientId"] = "",
                ["CentralFhir:MaxTransactionEntries"] = "8",
                ["Demo:Enabled"] = "true",
                // Its in-memory searches read every stored resource of a type: keep the generated large record small.
                ["Demo:LargeRecordDiagnoses"] = "120",
            },
            // This server has no authorisation server: the demo seeder's outside-EHR client sends no token either.
            services => services.AddKeyedSingleton<IFhirAccessTokenProvider>(DemoOptions.EhrClientId, new NoToken()));
        (playwright, Browser) = await BrowserFixture.LaunchAsync();
        _ = Portal.RootUri;
        await WaitForDemoLettersAsync();
    }

    public Task<IBrowserContext> NewContextAsync() =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Portal.RootUri.ToString(),
            Locale = "ja-JP",
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
        });

    /// <summary>The demo seeder sends the letters last: once they are all there, so is everything else.</summary>
    private async Task WaitForDemoLettersAsync()
    {
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await GetOrNullAsync(http);
            if (response is { IsSuccessStatusCode: true })
            {
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                if (json.RootElement.TryGetProperty("total", out var total) && total.GetInt32() >= DemoLetters.All.Count)
                {
                    return;
                }
            }

            await Task.Delay(500);
        }

        throw new TimeoutException("The demo data did not arrive in the Medplum server within 4 minutes. " + ServerLog[Math.Max(0, ServerLog.Length - 3000)..]);
    }

    private static async Task<HttpResponseMessage?> GetOrNullAsync(HttpClient http)
    {
        try
        {
            return await http.GetAsync(new Uri("Bundle?type=document&_summary=count", UriKind.Relative));
        }
        catch (HttpRequestException)
        {
            // The server is busy with the seeding's transactions; asked again below.
            return null;
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (Portal is not null)
        {
            await Portal.DisposeAsync();
        }

        await server.DisposeAsync();
    }

    private sealed class NoToken : IFhirAccessTokenProvider
    {
        public Task<string> GetAccessTokenAsync(IReadOnlyList<string> scopes, CancellationToken cancellationToken) => Task.FromResult(string.Empty);
    }
}

[CollectionDefinition(Name)]
public sealed class MedplumCollection : ICollectionFixture<MedplumPortal>
{
    public const string Name = "Medplum";
}

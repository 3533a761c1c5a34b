using System.Text.Json;
using MedNetPortal.Fhir;
using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.TestSupport;
using MedNetPortal.Web.Features.Demo;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.IntegrationTests.Interop;

/// <summary>
/// The whole portal with the demo data seeded by its own demo seeder, over one FHIR base: the embedded base, or an
/// independent server (<see cref="MedplumJourneyPortal"/>). The journeys in <see cref="JourneyTests{TPortal}"/> run on each.
/// </summary>
public abstract class JourneyPortal : IAsyncLifetime
{
    private PortalFactory? _factory;

    /// <summary>The running portal's services.</summary>
    public IServiceProvider Services => _factory!.Services;

    /// <summary>How many generated diagnoses the large-record demo patient has in this base.</summary>
    public virtual int LargeRecordDiagnoses => LargeRecordGenerator.DefaultCount;

    /// <summary>Whether the base's search pages link to the next page (a server may give a total and no links).</summary>
    public virtual bool GivesNextLinks => true;

    /// <summary>The base the portal talks to, ending in '/'.</summary>
    public abstract Uri BaseUri { get; }

    /// <summary>A plain client of the base (for checks the tests make directly), with the test credentials if the base needs them.</summary>
    public abstract HttpClient CreateBaseClient();

    protected abstract IReadOnlyDictionary<string, string?> Settings { get; }

    protected virtual void ConfigureTestServices(IServiceCollection services)
    {
    }

    public virtual async Task InitializeAsync()
    {
        _factory = new Factory(this);
        _ = _factory.RootUri;
        await WaitForDemoDataAsync();
    }

    public virtual async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    /// <summary>The demo seeder sends the letters last: once they are all there, so is everything else.</summary>
    private async Task WaitForDemoDataAsync()
    {
        var deadline = DateTime.UtcNow.AddMinutes(4);
        using var http = CreateBaseClient();
        while (true)
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

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The demo data did not arrive in the base at {BaseUri} within 4 minutes. {Diagnostics}");
            }

            await Task.Delay(500);
        }
    }

    /// <summary>What the base said, for a failure message (method, path and status only).</summary>
    protected virtual string Diagnostics => string.Empty;

    /// <summary>The portal's root address.</summary>
    public Uri RootUri => _factory!.RootUri;

    private static async Task<HttpResponseMessage?> GetOrNullAsync(HttpClient http)
    {
        try
        {
            return await http.GetAsync(new Uri("Bundle?type=document&_summary=count", UriKind.Relative));
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private sealed class Factory(JourneyPortal portal) : PortalFactory(portal.Settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(portal.ConfigureTestServices);
        }
    }
}

/// <summary>The portal over its embedded base (the default configuration).</summary>
public sealed class EmbeddedJourneyPortal : JourneyPortal
{
    public override Uri BaseUri => new(RootUri, "fhir/");

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Demo:Enabled"] = "true",
        ["Audit:ForwardToCentralBase"] = "true",
    };

    public override HttpClient CreateBaseClient() => MedNetPortal.Tests.Shared.BaseClientCredentials.CreateHttpClient(BaseUri);
}

/// <summary>
/// The portal over an independent FHIR server: Medplum's FHIR router with its in-memory repository (no authentication,
/// so the portal sends no token), with the embedded base switched off and transactions of at most 8 entries.
/// </summary>
public sealed class MedplumJourneyPortal : JourneyPortal
{
    private readonly MedplumFhirServer _server = new();

    public override Uri BaseUri => _server.BaseUri;

    public override int LargeRecordDiagnoses => 120;

    /// <summary>Its in-memory repository answers with a total and the first page, and no paging links.</summary>
    public override bool GivesNextLinks => false;

    protected override string Diagnostics => "Server log (last 3,000 characters): " + _server.Log[Math.Max(0, _server.Log.Length - 3000)..];

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["FhirBase:Enabled"] = "false",
        ["CentralFhir:BaseUrl"] = _server.BaseUri.ToString(),
        ["CentralFhir:ClientId"] = "",
        ["CentralFhir:MaxTransactionEntries"] = "8",
        ["Demo:Enabled"] = "true",
        // Its in-memory searches read every stored resource of a type: 120 generated diagnoses still page (100 a page).
        ["Demo:LargeRecordDiagnoses"] = LargeRecordDiagnoses.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Audit:ForwardToCentralBase"] = "true",
    };

    public override async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _server.DisposeAsync();
    }

    public override HttpClient CreateBaseClient()
    {
        var http = new HttpClient { BaseAddress = _server.BaseUri };
        http.DefaultRequestHeaders.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("application/fhir+json"));
        return http;
    }

    protected override void ConfigureTestServices(IServiceCollection services)
    {
        // This server has no authorisation server: the demo seeder's outside-EHR client sends no token, as the portal's
        // own client does without CentralFhir:ClientId.
        services.AddKeyedSingleton<IFhirAccessTokenProvider>(DemoOptions.EhrClientId, new NoToken());
    }

    private sealed class NoToken : IFhirAccessTokenProvider
    {
        public Task<string> GetAccessTokenAsync(IReadOnlyList<string> scopes, CancellationToken cancellationToken) => Task.FromResult(string.Empty);
    }
}

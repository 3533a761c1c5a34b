using System.Collections.Concurrent;
using System.Net.Http.Headers;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Fhir;
using Microsoft.Extensions.DependencyInjection;
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
/// The real portal (<see cref="PortalServer"/>, demo data on, audit forwarding off) with a counting handler innermost in
/// the CentralFhir client, plus one headless Chromium.
/// </summary>
public sealed class PatientsPortal : PortalServer, IAsyncLifetime
{
    private IPlaywright? playwright;

    public PatientsPortal() : this(new CentralRequestLog())
    {
    }

    private PatientsPortal(CentralRequestLog log)
        : base(
            new Dictionary<string, string?>
            {
                ["Demo:Enabled"] = "true",
                // These tests count the requests a page makes to the base; the audit trail's AuditEvent copies go there
                // too, in the background (forwarding has its own tests in the integration tier).
                ["Audit:ForwardToCentralBase"] = "false",
            },
            services => services.AddHttpClient(FhirClientExtensions.HttpClientName).AddHttpMessageHandler(() => log))
    {
        Log = log;
    }

    public CentralRequestLog Log { get; }

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Demo patients' base ids by demo key, found once seeding finished.</summary>
    public Dictionary<string, string> PatientIds { get; } = new(StringComparer.Ordinal);

    protected override Uri BaseClientAddress => new(RootUri, "fhir/");

    public async Task InitializeAsync()
    {
        (playwright, Browser) = await BrowserFixture.LaunchAsync();
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

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        await DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PatientsCollection : ICollectionFixture<PatientsPortal>
{
    public const string Name = "Patients";
}

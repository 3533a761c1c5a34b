using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Demo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MedNetPortal.UnitTests.Demo;

public sealed class DemoSeedingServiceTests
{
    [Fact]
    public async Task Seeds_only_after_the_application_has_started_as_the_outside_EHR_client()
    {
        var lifetime = new FakeLifetime();
        var api = new FakeFhirApi();
        var portals = new FakeFhirApi();
        await using var services = Services(enabled: "true", lifetime, api, portals);
        var service = services.GetServices<IHostedService>().OfType<DemoSeedingService>().Single();

        await service.StartAsync(CancellationToken.None);
        Assert.Empty(api.Transactions);

        lifetime.Start();
        await service.ExecuteTask!.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(1 + DemoPatients.All.Count + DemoLetters.All.Count, api.Transactions.Count);
        Assert.Empty(api.Creates);
        // Not through the portal's own client, whose scopes do not allow writing patients and records.
        Assert.Empty(portals.Transactions);
        Assert.Empty(portals.Creates);
    }

    [Fact]
    public async Task Sends_no_transaction_larger_than_CentralFhir_MaxTransactionEntries()
    {
        var lifetime = new FakeLifetime();
        var api = new FakeFhirApi();
        await using var services = Services(enabled: "true", lifetime, api, maxTransactionEntries: 8);
        var service = services.GetServices<IHostedService>().OfType<DemoSeedingService>().Single();

        await service.StartAsync(CancellationToken.None);
        lifetime.Start();
        await service.ExecuteTask!.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(api.Transactions.Count > 1 + DemoPatients.All.Count);
        Assert.All(api.Transactions, t => Assert.InRange(t.Entry.Count, 1, 8));
    }

    [Fact]
    public void A_failure_is_logged_with_the_status_and_the_outcome_codes_only()
    {
        var outcome = new Hl7.Fhir.Model.OperationOutcome
        {
            Issue = [new() { Code = Hl7.Fhir.Model.OperationOutcome.IssueType.BusinessRule, Diagnostics = "too many conditional entries for 佐藤 健一" }],
        };
        var failure = new FhirApiException(FhirApiErrorReason.BadRequest, "x", System.Net.HttpStatusCode.BadRequest, outcome);

        Assert.Equal("FhirApiException: HTTP 400 (business-rule)", DemoSeedingService.Summary(failure));
        Assert.Equal("HttpRequestException", DemoSeedingService.Summary(new HttpRequestException("佐藤")));
    }

    [Fact]
    public async Task Does_nothing_when_disabled()
    {
        var lifetime = new FakeLifetime();
        var api = new FakeFhirApi();
        await using var services = Services(enabled: "false", lifetime, api);
        var service = services.GetServices<IHostedService>().OfType<DemoSeedingService>().Single();

        await service.StartAsync(CancellationToken.None);
        lifetime.Start();
        await service.ExecuteTask!.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Empty(api.Transactions);
        Assert.Empty(api.Creates);
    }

    [Fact]
    public void A_bad_value_fails_naming_the_key()
    {
        using var services = Services(enabled: "maybe", new FakeLifetime(), new FakeFhirApi());

        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IOptions<DemoOptions>>().Value);

        Assert.Contains("Demo:Enabled", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Services(string enabled, FakeLifetime lifetime, FakeFhirApi api, FakeFhirApi? portals = null, int maxTransactionEntries = 10_000)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Demo:Enabled"] = enabled }).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IHostApplicationLifetime>(lifetime);
        services.AddSingleton<IFhirApi>(portals ?? new FakeFhirApi());
        services.AddDemoData(configuration);
        services.Configure<CentralFhirOptions>(o => o.MaxTransactionEntries = maxTransactionEntries);
        services.AddKeyedSingleton<IFhirApi>(DemoOptions.EhrClientId, api);
        return services.BuildServiceProvider();
    }

    private sealed class FakeLifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource _started = new();
        private readonly CancellationTokenSource _stopping = new();
        private readonly CancellationTokenSource _stopped = new();

        public CancellationToken ApplicationStarted => _started.Token;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => _stopped.Token;

        public void Start() => _started.Cancel();

        public void StopApplication() => _stopping.Cancel();

        public void Dispose()
        {
            _started.Dispose();
            _stopping.Dispose();
            _stopped.Dispose();
        }
    }
}

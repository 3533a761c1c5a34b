using MedNetPortal.IntegrationTests.Infrastructure;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.IntegrationTests.Letters;
using MedNetPortal.Web.Features.Patients;
using MedNetPortal.Web.Features.Letters.Compose;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MedNetPortal.IntegrationTests.Faults;

/// <summary>
/// The portal's services (the real client registration: handlers, resilience pipeline, Refit) against a central base that
/// is down, slow, failing or talking nonsense. Each fault becomes a <see cref="FhirApiException"/> with its reason, nothing
/// is logged as an error with an exception, a create is sent once, a search is tried three times, and the breaker opens.
/// </summary>
public sealed class CentralBaseFaultTests : IAsyncLifetime
{
    private static readonly InsuranceMemberId Member = InsuranceMemberId.Parse("06134522", "1234", "5678", "01").Value!;
    private readonly CapturingLoggerProvider logs = new();
    private FakeCentralBase fake = null!;
    private ServiceProvider services = null!;

    public async Task InitializeAsync()
    {
        fake = await FakeCentralBase.StartAsync();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["CentralFhir:BaseUrl"] = fake.BaseUri.ToString(),
                // The faults here are the record batch's; whether the base states the institution include (a metadata read)
                // is not what these tests count.
                ["CentralFhir:IncludeFacilityNames"] = "false",
            })
            .Build();
        var collection = new ServiceCollection();
        collection.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        collection.AddCentralFhirClient(configuration);
        collection.AddPatients();
        collection.AddSingleton<MedNetPortal.Web.Features.Audit.IAuditTrail, MedNetPortal.IntegrationTests.RecordingAuditTrail>();
        // Faults are about the base; consent is allowed here (the gate has its own tests).
        collection.AddScoped<MedNetPortal.Web.Features.Consent.IPatientAccessGate, MedNetPortal.IntegrationTests.Patients.AllowingGate>();
        collection.AddSingleton<MedNetPortal.Web.Host.Identity.ICurrentUserAccessor>(new MedNetPortal.TestSupport.TestUser(MedNetPortal.TestSupport.TestUser.HospitalClinician));
        collection.AddSingleton(TestProfileValidators.Unavailable);
        collection.AddTransient<ReferralLetterSender>();
        services = collection.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await fake.DisposeAsync();
    }

    public static TheoryData<FaultMode, FhirApiErrorReason, int> SearchFaults => new()
    {
        // Mode, the reason the page is given, requests sent for one search (1 + 2 retries when transient).
        { FaultMode.Slow, FhirApiErrorReason.Timeout, 3 },
        { FaultMode.Status500, FhirApiErrorReason.ServerUnavailable, 3 },
        { FaultMode.Status503, FhirApiErrorReason.ServerUnavailable, 3 },
        { FaultMode.TruncatedJson, FhirApiErrorReason.MalformedResponse, 1 },
        { FaultMode.HtmlErrorPage, FhirApiErrorReason.MalformedResponse, 1 },
        { FaultMode.WrongResourceType, FhirApiErrorReason.MalformedResponse, 1 },
        { FaultMode.Empty200, FhirApiErrorReason.MalformedResponse, 1 },
    };

    [Theory]
    [MemberData(nameof(SearchFaults))]
    public async Task Lookup_fault_is_a_typed_reason_after_the_configured_attempts_without_an_error_log(FaultMode mode, FhirApiErrorReason reason, int requests)
    {
        fake.Mode = mode;
        await using var scope = services.CreateAsyncScope();

        var ex = await Assert.ThrowsAsync<FhirApiException>(() =>
            scope.ServiceProvider.GetRequiredService<IPatientSearchService>().SearchAsync(Member, CancellationToken.None));

        Assert.Equal(reason, ex.Reason);
        Assert.Equal(requests, fake.Requests);
        AssertNoErrorLogged();
    }

    [Theory]
    [MemberData(nameof(SearchFaults))]
    public async Task Record_fault_is_a_typed_reason_without_an_error_log(FaultMode mode, FhirApiErrorReason reason, int requests)
    {
        fake.Mode = mode;
        await using var scope = services.CreateAsyncScope();

        var ex = await Assert.ThrowsAsync<FhirApiException>(() =>
            scope.ServiceProvider.GetRequiredService<IPatientRecordService>().LoadAsync("p1", CancellationToken.None));

        Assert.Equal(reason, ex.Reason);
        // The record view's batch holds only GETs, so it is retried like a search.
        Assert.Equal(requests, fake.Requests);
        AssertNoErrorLogged();
    }

    [Fact]
    public async Task A_read_is_tried_three_times_and_a_create_once()
    {
        fake.Mode = FaultMode.Status503;
        var client = services.GetRequiredService<CentralFhirClient>();

        await Assert.ThrowsAsync<FhirApiException>(() => client.ReadAsync<Hl7.Fhir.Model.Patient>("p1", CancellationToken.None));
        var reads = fake.Requests;
        await Assert.ThrowsAsync<FhirApiException>(() => client.CreateAsync(new Hl7.Fhir.Model.Patient(), null, CancellationToken.None));

        Assert.Equal(3, reads);
        Assert.Equal(["GET /fhir/Patient/p1", "GET /fhir/Patient/p1", "GET /fhir/Patient/p1", "POST /fhir/Patient"], fake.Log);
    }

    [Fact]
    public async Task Stopped_base_is_unreachable_then_the_same_service_works_when_it_is_back()
    {
        await fake.StopAsync();
        await using var scope = services.CreateAsyncScope();
        var search = scope.ServiceProvider.GetRequiredService<IPatientSearchService>();

        var ex = await Assert.ThrowsAsync<FhirApiException>(() => search.SearchAsync(Member, CancellationToken.None));
        await fake.StartAgainAsync();
        var result = await search.SearchAsync(Member, CancellationToken.None);

        Assert.Equal(FhirApiErrorReason.Unreachable, ex.Reason);
        Assert.Empty(result.Matches);
        Assert.Equal(1, fake.Requests);
        AssertNoErrorLogged();
    }

    [Theory]
    [InlineData(FaultMode.Status500, FhirApiErrorReason.ServerUnavailable)]
    [InlineData(FaultMode.Status503, FhirApiErrorReason.ServerUnavailable)]
    [InlineData(FaultMode.TruncatedJson, FhirApiErrorReason.MalformedResponse)]
    [InlineData(FaultMode.HtmlErrorPage, FhirApiErrorReason.MalformedResponse)]
    public async Task A_letter_send_is_posted_once_and_fails_with_a_reason(FaultMode mode, FhirApiErrorReason reason)
    {
        fake.Mode = mode;
        var sender = services.GetRequiredService<ReferralLetterSender>();

        var result = await sender.SendAsync(ReferralClient.Letter("fault-1"), CancellationToken.None);

        Assert.Equal(SendOutcome.Failed, result.Outcome);
        Assert.Equal(reason, result.FailureReason);
        Assert.Equal(["POST /fhir/"], fake.Log);
        AssertNoErrorLogged();
    }

    [Fact]
    public async Task The_breaker_opens_after_repeated_failures_and_then_sends_nothing()
    {
        fake.Mode = FaultMode.Status503;
        await using var scope = services.CreateAsyncScope();
        var search = scope.ServiceProvider.GetRequiredService<IPatientSearchService>();

        // 4 searches x 3 attempts = 12 failed calls: over the minimum throughput of 10, all failed.
        var reasons = new List<FhirApiErrorReason>();
        for (var i = 0; i < 5; i++)
        {
            reasons.Add((await Assert.ThrowsAsync<FhirApiException>(() => search.SearchAsync(Member, CancellationToken.None))).Reason);
        }

        var sentWhileOpen = fake.Requests;
        fake.Mode = FaultMode.Healthy;
        var stillOpen = await Assert.ThrowsAsync<FhirApiException>(() => search.SearchAsync(Member, CancellationToken.None));

        Assert.Equal(FhirApiErrorReason.ServerUnavailable, reasons[0]);
        Assert.Equal(FhirApiErrorReason.CircuitOpen, reasons[^1]);
        Assert.Equal(FhirApiErrorReason.CircuitOpen, stillOpen.Reason);
        Assert.Equal(sentWhileOpen, fake.Requests);
        AssertNoErrorLogged();
    }

    [Fact]
    public async Task With_the_breaker_opened_by_lookups_a_record_view_is_refused_at_once_and_sends_nothing()
    {
        fake.Mode = FaultMode.Status503;
        await using var scope = services.CreateAsyncScope();
        var search = scope.ServiceProvider.GetRequiredService<IPatientSearchService>();
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<FhirApiException>(() => search.SearchAsync(Member, CancellationToken.None));
        }

        var sentBefore = fake.Requests;
        fake.Mode = FaultMode.Healthy;
        var refused = await Assert.ThrowsAsync<FhirApiException>(() =>
            scope.ServiceProvider.GetRequiredService<IPatientRecordService>().LoadAsync("p1", CancellationToken.None));

        // One breaker for the whole client: the record page says "paused, retry in about 15 s" rather than waiting out retries.
        Assert.Equal(FhirApiErrorReason.CircuitOpen, refused.Reason);
        Assert.Equal(sentBefore, fake.Requests);
        AssertNoErrorLogged();
    }

    private void AssertNoErrorLogged()
    {
        lock (logs.Entries)
        {
            // Polly's own telemetry (retry warnings, "circuit opened" as an error) is the operator's signal and expected;
            // anything else at Error or above would be the portal failing to handle the fault.
            var errors = logs.Entries.Where(e => e.Level >= LogLevel.Error && !e.Category.StartsWith("Polly", StringComparison.Ordinal)).ToList();
            Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception?.GetType().Name}")));
        }
    }
}

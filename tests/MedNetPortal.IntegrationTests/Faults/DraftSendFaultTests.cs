using MedNetPortal.IntegrationTests.Infrastructure;
using MedNetPortal.Fhir;
using MedNetPortal.IntegrationTests.Letters;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Letters.Compose;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.IntegrationTests.Faults;

/// <summary>
/// A draft (autosaved in the portal database) sent while the central base fails: the send fails with a reason, the letter
/// is POSTed exactly once, and the draft stays a draft with its text, version and Bundle identifier; sending again to the
/// healthy base works.
/// </summary>
public sealed class DraftSendFaultTests(ReferralDraftServiceIntegrationTests.DemoPortal portal)
    : IClassFixture<ReferralDraftServiceIntegrationTests.DemoPortal>, IAsyncLifetime
{
    private static readonly CurrentUser ClinicDoctor = new("fault-clinic-1", "桜井 一郎", DemoFacilities.ClinicCode, DemoFacilities.Clinic.Name, [PortalRoles.Clinician]);
    private FakeCentralBase fake = null!;
    private ServiceProvider client = null!;

    public async Task InitializeAsync()
    {
        fake = await FakeCentralBase.StartAsync();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["CentralFhir:BaseUrl"] = fake.BaseUri.ToString() })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCentralFhirClient(configuration);
        client = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await client.DisposeAsync();
        await fake.DisposeAsync();
    }

    [Theory]
    [InlineData(FaultMode.Status500, FhirApiErrorReason.ServerUnavailable)]
    [InlineData(FaultMode.Status503, FhirApiErrorReason.ServerUnavailable)]
    [InlineData(FaultMode.HtmlErrorPage, FhirApiErrorReason.MalformedResponse)]
    [InlineData(FaultMode.TruncatedJson, FhirApiErrorReason.MalformedResponse)]
    public async Task A_failed_send_keeps_the_draft_whole_and_posted_once(FaultMode mode, FhirApiErrorReason reason)
    {
        await using var clinic = portal.As(ClinicDoctor);
        var id = (await clinic.Service.CreateAsync(portal.PatientId(DemoPatients.SatoKenichi), CancellationToken.None)).DraftId!.Value;
        var draft = (await clinic.Service.GetAsync(id, CancellationToken.None))!;
        var hospital = (await clinic.Directory.SearchAsync(DemoFacilities.HospitalCode, CancellationToken.None)).Facilities.Single();
        draft.Form.Destination = new ReferralFormDestination
        {
            OrganizationId = hospital.OrganizationId, Name = hospital.Name, Code = hospital.Code,
            AcceptsElectronicLetters = hospital.AcceptsElectronicLetters, DepartmentName = "消化器内科", DoctorName = "緑川 先生",
        };
        draft.Form.Purpose = "精査加療のお願い";
        draft.Form.Diagnoses = "心窩部痛";
        draft.Form.PresentIllness = "２週間前から心窩部痛が続いています。障害試験 " + mode;
        await clinic.Service.SaveAsync(id, draft.Form, draft.Version, false, CancellationToken.None);
        var saved = (await clinic.Service.GetAsync(id, CancellationToken.None))!;
        fake.Mode = mode;

        var failing = clinic.With(new ReferralLetterSender(client.GetRequiredService<CentralFhirClient>(), TestProfileValidators.Unavailable), TimeProvider.System);
        var failed = await failing.SendAsync(id, CancellationToken.None);
        var after = (await clinic.Service.GetAsync(id, CancellationToken.None))!;

        Assert.Equal(SendOutcome.Failed, failed.Send!.Outcome);
        Assert.Equal(reason, failed.Send.FailureReason);
        Assert.Equal(["POST /fhir/"], fake.Log);
        Assert.Equal(ReferralDraftStatus.Draft, after.Status);
        Assert.Equal(saved.Form.PresentIllness, after.Form.PresentIllness);
        Assert.Equal(saved.Form.Purpose, after.Form.Purpose);
        Assert.NotNull(after.BundleIdentifier);

        // The base is healthy again (the real embedded one): the same draft sends, under the identifier kept.
        var sent = await clinic.Service.SendAsync(id, CancellationToken.None);
        Assert.Equal(SendOutcome.Sent, sent.Send!.Outcome);
        Assert.Equal(after.BundleIdentifier, sent.Send.BundleIdentifier);
    }

    [Fact]
    public async Task A_slow_base_still_stores_a_letter_because_a_write_gets_the_whole_timeout_in_one_attempt()
    {
        fake.Mode = FaultMode.Slow;
        var sender = new ReferralLetterSender(client.GetRequiredService<CentralFhirClient>(), TestProfileValidators.Unavailable);

        var result = await sender.SendAsync(ReferralClient.Letter("slow-1"), CancellationToken.None);

        // 5 s is beyond a read attempt (4 s) but within the total (30 s) a write may use: sent once, stored once.
        Assert.Equal(SendOutcome.Sent, result.Outcome);
        Assert.Equal(["POST /fhir/"], fake.Log);
    }
}

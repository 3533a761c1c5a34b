using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.IntegrationTests.Infrastructure;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Consent;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Patients;
using Microsoft.Extensions.DependencyInjection;
using Task = System.Threading.Tasks.Task;

namespace MedNetPortal.IntegrationTests.Interop;

/// <summary>
/// The clinician's journeys through the portal's own services, the same on every base the portal supports: the embedded
/// base and an independent FHIR server (Medplum). Nothing here knows which base it runs on.
/// </summary>
public abstract class JourneyTests<TPortal>(TPortal portal)
    where TPortal : JourneyPortal
{
    protected static readonly CurrentUser ClinicDoctor = new("journey-clinic", "桜井 一郎", DemoFacilities.ClinicCode, DemoFacilities.Clinic.Name, [PortalRoles.Clinician]);
    protected static readonly CurrentUser HospitalDoctor = new("journey-hospital", "緑川 三郎", DemoFacilities.HospitalCode, DemoFacilities.Hospital.Name, [PortalRoles.Clinician]);

    protected TPortal Portal { get; } = portal;

    [Fact]
    public async Task Lookup_by_the_qualification_identifier_then_the_record_with_diagnoses_and_allergies()
    {
        await using var scope = SignedInScope.Create(Portal.Services, HospitalDoctor);
        var patient = await FindAsync(scope, DemoPatients.SatoKenichi);

        var record = await scope.ServiceProvider.GetRequiredService<IPatientRecordService>().LoadAsync(patient.Id, CancellationToken.None);

        var demo = DemoRecords.For(DemoPatients.SatoKenichi.Key);
        Assert.Equal(DemoPatients.SatoKenichi.FamilyKanji + " " + DemoPatients.SatoKenichi.GivenKanji, record.Patient.NameKanji);
        Assert.Null(record.DiagnosesError);
        Assert.Null(record.AllergiesError);
        Assert.Equal(demo.Diagnoses.Count, record.DiagnosesPage.Total ?? record.Diagnoses.Count);
        Assert.Equal(demo.Diagnoses.Select(d => d.Disease.Text).Order(StringComparer.Ordinal), record.Diagnoses.Select(d => d.Name).Order(StringComparer.Ordinal));
        Assert.Equal(demo.Allergies.Count, record.Allergies.Count);
    }

    [Fact]
    public async Task A_large_record_pages_to_the_end_or_says_what_the_base_did_not_give()
    {
        await using var scope = SignedInScope.Create(Portal.Services, HospitalDoctor);
        var patient = await FindAsync(scope, DemoPatients.TakahashiMakoto);
        var records = scope.ServiceProvider.GetRequiredService<IPatientRecordService>();
        var expected = LargeRecordGenerator.Limit(DemoRecords.For(DemoPatients.TakahashiMakoto.Key).Diagnoses, Portal.LargeRecordDiagnoses).Count;

        var record = await records.LoadAsync(patient.Id, CancellationToken.None);
        var loaded = record.Diagnoses.Count;
        var page = record.DiagnosesPage;
        while (page.NextLink is { } next)
        {
            var more = await records.MoreDiagnosesAsync(patient.Id, next, loaded, CancellationToken.None);
            loaded += more.Items.Count;
            page = more.Page;
        }

        Assert.True(expected > 100, "more than one page of diagnoses");
        Assert.Equal(expected, page.Total);
        if (Portal.GivesNextLinks)
        {
            Assert.Equal(expected, loaded);
            Assert.False(page.IsTruncated);
        }
        else
        {
            // The base counts every match but links to no further page: the page says how many it cannot show.
            Assert.Equal(100, loaded);
            Assert.True(page.IsTruncated);
        }
    }

    [Fact]
    public async Task Without_consent_nothing_opens_until_the_reception_consent_is_recorded()
    {
        await using var scope = SignedInScope.Create(Portal.Services, ClinicDoctor);
        var patient = await FindAsync(scope, DemoPatients.KobayashiMinoru);
        var records = scope.ServiceProvider.GetRequiredService<IPatientRecordService>();
        var gate = scope.ServiceProvider.GetRequiredService<IPatientAccessGate>();
        gate.Forget(patient.Id);

        var refused = await Assert.ThrowsAsync<PatientAccessDeniedException>(() => records.LoadAsync(patient.Id, CancellationToken.None));
        Assert.Equal(PatientAccessDenial.NoConsent, refused.Access.Denial);

        var recorded = await scope.ServiceProvider.GetRequiredService<IConsentRecorder>()
            .RecordReceptionConsentAsync(patient.Id, new ReceptionConsentConfirmation(ReceptionConsentReason.Verbal, null), CancellationToken.None);
        Assert.Equal(ConsentRecordOutcome.Recorded, recorded);

        var record = await records.LoadAsync(patient.Id, CancellationToken.None);
        Assert.Equal(DemoRecords.For(DemoPatients.KobayashiMinoru.Key).Diagnoses.Count, record.Diagnoses.Count);
    }

    protected static async Task<PatientSummary> FindAsync(AsyncServiceScope scope, DemoPatient demo)
    {
        var id = InsuranceMemberId.Parse(demo.InsurerNumber, demo.Symbol, demo.Number, demo.Branch).Value!;
        var result = await scope.ServiceProvider.GetRequiredService<IPatientSearchService>().SearchAsync(id, CancellationToken.None);
        return Assert.Single(result.Matches);
    }
}

[Trait("Tier", "Interop")]
public sealed class EmbeddedBaseJourneyTests(EmbeddedJourneyPortal portal)
    : JourneyTests<EmbeddedJourneyPortal>(portal), IClassFixture<EmbeddedJourneyPortal>;

[Trait("Tier", "Interop")]
public sealed class MedplumJourneyTests(MedplumJourneyPortal portal)
    : JourneyTests<MedplumJourneyPortal>(portal), IClassFixture<MedplumJourneyPortal>;

using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.IntegrationTests.Infrastructure;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Consent;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Documents;
using MedNetPortal.Web.Features.Letters;
using MedNetPortal.Web.Features.Letters.Compose;
using MedNetPortal.Web.Features.Letters.Mailbox;
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
    protected static readonly CurrentUser RegionalDoctor = new("journey-regional", "青木 四郎", DemoFacilities.RegionalHospitalCode, DemoFacilities.RegionalHospital.Name, [PortalRoles.Clinician]);
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

    [Fact]
    public async Task A_letter_composed_and_sent_by_the_clinic_is_in_the_hospital_inbox_opens_marks_read_and_shows_opened_in_the_outbox()
    {
        var purpose = "相互運用の確認 " + Guid.NewGuid().ToString("N")[..8];
        string letterId;
        string patientId;
        await using (var clinic = SignedInScope.Create(Portal.Services, ClinicDoctor))
        {
            // Compose: a draft for the base patient, the destination from the facility directory, a diagnosis copied from the record.
            var drafts = clinic.ServiceProvider.GetRequiredService<ReferralDraftService>();
            patientId = (await FindAsync(clinic, DemoPatients.SatoKenichi)).Id;
            var id = (await drafts.CreateAsync(patientId, CancellationToken.None)).DraftId!.Value;
            var draft = (await drafts.GetAsync(id, CancellationToken.None))!;
            var hospital = (await clinic.ServiceProvider.GetRequiredService<FacilityDirectory>().SearchAsync(DemoFacilities.HospitalCode, CancellationToken.None)).Facilities.Single();
            draft.Form.Destination = new ReferralFormDestination
            {
                OrganizationId = hospital.OrganizationId, Name = hospital.Name, Code = hospital.Code,
                AcceptsElectronicLetters = hospital.AcceptsElectronicLetters, DepartmentName = "消化器内科", DoctorName = "緑川 先生",
            };
            draft.Form.Purpose = purpose;
            draft.Form.Diagnoses = "心窩部痛";
            draft.Form.PresentIllness = "２週間前から心窩部痛が続いています。";
            var record = await clinic.ServiceProvider.GetRequiredService<IPatientRecordService>().LoadAsync(patientId, CancellationToken.None);
            var diagnosis = record.Diagnoses[0];
            draft.Form.DiagnosisPicks.Add(await drafts.CopySharedAsync(patientId, SharedResourceKind.Diagnosis, diagnosis.Id, diagnosis.Name, CancellationToken.None));
            Assert.Equal(DraftSaveOutcome.Saved, (await drafts.SaveAsync(id, draft.Form, draft.Version, false, CancellationToken.None)).Outcome);

            // Send.
            var sent = await drafts.SendAsync(id, CancellationToken.None);
            Assert.Equal(SendOutcome.Sent, sent.Send?.Outcome);
            letterId = sent.Send!.BundleId!;

            // Outbox: there, not opened yet.
            var outbox = await clinic.ServiceProvider.GetRequiredService<IReferralMailbox>().GetOutboxAsync(null, CancellationToken.None);
            var item = Assert.Single(outbox.Items, i => i.LetterId == letterId);
            Assert.Equal(purpose, item.Purpose);
            Assert.False(item.IsOpened);
            Assert.Equal(DemoFacilities.Hospital.Name, item.To.Facility);
        }

        await using (var other = SignedInScope.Create(Portal.Services, RegionalDoctor))
        {
            // A third facility's inbox never holds it.
            var inbox = await other.ServiceProvider.GetRequiredService<IReferralMailbox>().GetInboxAsync(null, CancellationToken.None);
            Assert.DoesNotContain(inbox.Items, i => i.LetterId == letterId);
        }

        await using (var hospitalScope = SignedInScope.Create(Portal.Services, HospitalDoctor))
        {
            // Inbox: unread, from the clinic, with the patient's name.
            var mailbox = hospitalScope.ServiceProvider.GetRequiredService<IReferralMailbox>();
            var received = Assert.Single((await mailbox.GetInboxAsync(null, CancellationToken.None)).Items, i => i.LetterId == letterId);
            Assert.False(received.IsRead);
            Assert.Equal(DemoFacilities.Clinic.Name, received.From.Facility);
            Assert.Equal(DemoPatients.SatoKenichi.NameKanji, received.PatientKanji);

            // Open: the document with its sections and the copied diagnosis, then the read status.
            var document = await hospitalScope.ServiceProvider.GetRequiredService<IDocumentSource>().LoadAsync(letterId, patientId, CancellationToken.None);
            Assert.NotNull(document);
            Assert.Equal(DemoPatients.SatoKenichi.NameKanji, document.Patient!.DisplayName);
            Assert.Contains(document.AllSections, s => s.NarrativeHtml.Contains("心窩部痛", StringComparison.Ordinal));
            var receipts = hospitalScope.ServiceProvider.GetRequiredService<IReadReceiptWriter>();
            Assert.Equal(ReceiptOutcome.Recorded, await receipts.RecordOpenedAsync(letterId, document.Routing, CancellationToken.None));
            Assert.Equal(ReceiptOutcome.AlreadyRecorded, await receipts.RecordOpenedAsync(letterId, document.Routing, CancellationToken.None));
            Assert.True(Assert.Single((await mailbox.GetInboxAsync(null, CancellationToken.None)).Items, i => i.LetterId == letterId).IsRead);

            // The patient's record lists it.
            var record = await hospitalScope.ServiceProvider.GetRequiredService<IPatientRecordService>().LoadAsync(patientId, CancellationToken.None);
            Assert.Null(record.LettersError);
            Assert.Contains(record.Letters, l => l.Id == letterId);
        }

        await using (var clinic = SignedInScope.Create(Portal.Services, ClinicDoctor))
        {
            var opened = Assert.Single((await clinic.ServiceProvider.GetRequiredService<IReferralMailbox>().GetOutboxAsync(null, CancellationToken.None)).Items, i => i.LetterId == letterId);
            Assert.True(opened.IsOpened);
        }
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

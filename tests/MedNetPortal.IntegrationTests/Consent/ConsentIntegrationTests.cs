using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Letters;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.IntegrationTests.FhirBase;
using MedNetPortal.IntegrationTests.Infrastructure;
using MedNetPortal.IntegrationTests.Patients;
using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Features.Consent;
using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Documents;
using MedNetPortal.Web.Features.Emergency;
using MedNetPortal.Web.Features.Patients;
using MedNetPortal.Web.Features.Letters.Compose;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Task = System.Threading.Tasks.Task;

namespace MedNetPortal.IntegrationTests.Consent;

/// <summary>The consent gate in the real app (portal DB, embedded base with the demo data), as different users.</summary>
public sealed class ConsentIntegrationTests(ConsentIntegrationTests.ConsentPortal portal) : IClassFixture<ConsentIntegrationTests.ConsentPortal>
{
    private static readonly CurrentUser ClinicDoctor = new("consent-clinic-1", "桜井 一郎", DemoFacilities.ClinicCode, DemoFacilities.Clinic.Name, [PortalRoles.Clinician]);
    private static readonly CurrentUser HospitalDoctor = new("consent-hospital-1", "緑川 三郎", DemoFacilities.HospitalCode, DemoFacilities.Hospital.Name, [PortalRoles.Clinician]);
    private static readonly CurrentUser DentalDoctor = new("consent-dental-1", "青葉 四郎", DemoFacilities.DentalClinicCode, DemoFacilities.DentalClinic.Name, [PortalRoles.Clinician]);
    private static readonly CurrentUser NoFacility = new("consent-admin", "管理者", null, null, [PortalRoles.SystemAdmin]);

    private static readonly string[] ClinicalTypes = ["Patient/", "Condition", "AllergyIntolerance", "Bundle", "Observation", "MedicationRequest", "Task", "DocumentReference"];

    [Fact]
    public async Task A_consent_withdrawn_in_the_base_stops_opening_the_record_after_the_recheck_interval()
    {
        await using var scope = SignedInScope.Create(portal.Services, ClinicDoctor);
        var client = scope.ServiceProvider.GetRequiredService<MedNetPortal.Fhir.CentralFhirClient>();
        // Written and withdrawn by another client of the base (an EHR): the portal's own client may not change a Consent.
        using var ehr = portal.CreateBaseClient();
        var patientId = (await ehr.CreateAsync(new Hl7.Fhir.Model.Patient { Name = [new Hl7.Fhir.Model.HumanName { Family = "撤回", Given = ["試験"] }] })).Id!;
        var consent = await ehr.CreateAsync(
            ConsentFhir.Build("Patient/" + patientId, DemoFacilities.ClinicCode, DemoFacilities.Clinic.Name, DateTimeOffset.UtcNow.AddDays(-1), null, reception: false, "桜井 一郎"));
        var clock = new MedNetPortal.IntegrationTests.Audit.ManualClock(DateTimeOffset.UtcNow);
        var gate = new PatientAccessGate(
            client, scope.ServiceProvider.GetRequiredService<ICurrentUserAccessor>(),
            scope.ServiceProvider.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<MedNetPortal.Web.Host.Data.PortalDbContext>>(), new RecordingAuditTrail(), clock,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<PatientAccessGate>.Instance);
        Assert.True((await gate.CheckAsync(patientId, CancellationToken.None)).Allowed);

        consent.Status = Hl7.Fhir.Model.Consent.ConsentState.Inactive;
        using (var withdrawn = await ehr.PutAsync($"Consent/{consent.Id}", FhirTestClient.Json(consent)))
        {
            withdrawn.EnsureSuccessStatusCode();
        }

        // Within the interval the decision is reused (one request per record view); after it, the base is asked again.
        clock.Now += PatientAccessGate.RecheckAfter - TimeSpan.FromSeconds(1);
        Assert.True((await gate.CheckAsync(patientId, CancellationToken.None)).Allowed);
        clock.Now += TimeSpan.FromSeconds(2);
        var after = await gate.CheckAsync(patientId, CancellationToken.None);
        Assert.False(after.Allowed);
        Assert.Equal(PatientAccessDenial.NoConsent, after.Denial);
    }

    [Fact]
    public async Task Without_consent_every_clinical_path_is_refused_and_the_base_sees_no_clinical_request()
    {
        var kobayashi = portal.PatientId(DemoPatients.KobayashiMinoru);
        var requests = new List<string>();

        await using (var scope = SignedInScope.Create(portal.Services, HospitalDoctor))
        {
            var records = scope.ServiceProvider.GetRequiredService<IPatientRecordService>();
            portal.Counter.Clear();
            var load = await Assert.ThrowsAsync<PatientAccessDeniedException>(() => records.LoadAsync(kobayashi, CancellationToken.None));
            var nextLink = new Uri(portal.RootUri, $"fhir/Condition?patient=Patient/{kobayashi}&_count=1&_offset=1").ToString();
            await Assert.ThrowsAsync<PatientAccessDeniedException>(() => records.MoreDiagnosesAsync(kobayashi, nextLink, 1, CancellationToken.None));
            await Assert.ThrowsAsync<PatientAccessDeniedException>(() => records.MoreAllergiesAsync(kobayashi, nextLink, 1, CancellationToken.None));
            await Assert.ThrowsAsync<PatientAccessDeniedException>(() => records.MoreLettersAsync(kobayashi, nextLink, 1, CancellationToken.None));
            requests.AddRange(portal.Counter.Requests);
            Assert.Equal(PatientAccessDenial.NoConsent, load.Access.Denial);
            Assert.True(load.Access.EmergencyAvailable); // the demo hospital is an emergency hospital
        }

        await using (var scope = SignedInScope.Create(portal.Services, ClinicDoctor))
        {
            // The compose page's shared-record picks and the prefill go through the same service.
            var drafts = ActivatorUtilities.CreateInstance<ReferralDraftService>(scope.ServiceProvider);
            portal.Counter.Clear();
            var created = await drafts.CreateAsync(kobayashi, CancellationToken.None);
            Assert.Equal(DraftCreateOutcome.PatientUnavailable, created.Outcome);
            Assert.Equal(FhirApiErrorReason.Forbidden, created.Failure);

            // A letter that is not the clinic's correspondence, asked for as if from this patient's record.
            var documents = scope.ServiceProvider.GetRequiredService<IDocumentSource>();
            await Assert.ThrowsAsync<PatientAccessDeniedException>(() => documents.LoadAsync(portal.SuzukiLetterId, kobayashi, CancellationToken.None));
            requests.AddRange(portal.Counter.Requests);
        }

        await using (var scope = SignedInScope.Create(portal.Services, NoFacility))
        {
            var denied = await Assert.ThrowsAsync<PatientAccessDeniedException>(
                () => scope.ServiceProvider.GetRequiredService<IPatientRecordService>().LoadAsync(portal.PatientId(DemoPatients.SatoKenichi), CancellationToken.None));
            Assert.Equal(PatientAccessDenial.NoFacility, denied.Access.Denial);
        }

        // Only consent searches, the facility's own Organization (the directory, not clinical), and the document check the
        // base restricts to the clinic's own correspondence (a batch of Task searches by owner and by requester).
        Assert.All(requests, r => Assert.Contains(r, new[] { "POST /fhir/Consent/_search", "POST /fhir/Organization/_search", "POST /fhir/" }));
        Assert.DoesNotContain(requests, r => ClinicalTypes.Any(t => r.Contains(t, StringComparison.Ordinal)));
        Assert.True(portal.Audit.Records.Count(r => r.Action == AuditAction.AccessDenied && r.PatientId == kobayashi) >= 6);
    }

    [Fact]
    public async Task The_clinics_own_correspondence_opens_without_consent_and_other_documents_need_it()
    {
        var kobayashi = portal.PatientId(DemoPatients.KobayashiMinoru);
        await using var scope = SignedInScope.Create(portal.Services, ClinicDoctor);
        var documents = scope.ServiceProvider.GetRequiredService<IDocumentSource>();

        var own = await documents.LoadAsync(portal.SatoLetterId, patientId: null, CancellationToken.None);
        var other = await documents.LoadAsync(portal.SuzukiLetterId, patientId: null, CancellationToken.None);
        var viaConsent = await documents.LoadAsync(portal.SuzukiLetterId, portal.PatientId(DemoPatients.SuzukiTome), CancellationToken.None);
        var wrongPatient = await documents.LoadAsync(portal.SuzukiLetterId, portal.PatientId(DemoPatients.SatoKenichi), CancellationToken.None);

        Assert.NotNull(own);
        Assert.Null(other);
        Assert.NotNull(viaConsent);
        Assert.Null(wrongPatient); // a consent for one patient opens no one else's document
        // Opened from the mailbox (no patient context), the entry still names the letter's patient, for the "who viewed" panel.
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditAction.DocumentOpened && r.Detail == "Bundle/" + portal.SatoLetterId
                                                   && r.PatientId == portal.PatientId(DemoPatients.SatoKenichi));
        _ = kobayashi;
    }

    [Fact]
    public async Task A_record_view_is_one_round_trip_after_the_first_check_and_is_audited_once_with_its_sections()
    {
        var sato = portal.PatientId(DemoPatients.SatoKenichi);
        await using var scope = SignedInScope.Create(portal.Services, ClinicDoctor);
        var records = scope.ServiceProvider.GetRequiredService<IPatientRecordService>();
        var before = portal.Audit.Records.Count(r => r.Action == AuditAction.RecordViewed && r.PatientId == sato);

        portal.Counter.Clear();
        await records.LoadAsync(sato, CancellationToken.None);
        var first = portal.Counter.Requests;
        portal.Counter.Clear();
        portal.TokenCounter.Clear();
        await records.LoadAsync(sato, CancellationToken.None);
        var second = portal.Counter.Requests;

        Assert.Equal(["POST /fhir/Consent/_search", "POST /fhir/"], first);
        Assert.Equal(["POST /fhir/"], second);
        // The portal's token is cached: the second view asked the token endpoint nothing.
        Assert.Empty(portal.TokenCounter.Requests);
        var views = portal.Audit.Records.Where(r => r.Action == AuditAction.RecordViewed && r.PatientId == sato).Skip(before).ToList();
        Assert.Equal(2, views.Count);
        Assert.All(views, v => Assert.Equal("diagnoses,allergies,letters,contraindications,labs,infections,prescriptions", v.Detail));
        Assert.All(views, v => Assert.False(v.Emergency));
    }

    [Fact]
    public async Task Recording_consent_writes_a_Consent_to_the_base_and_then_the_record_opens()
    {
        var kobayashi = portal.PatientId(DemoPatients.KobayashiMinoru);
        await using var scope = SignedInScope.Create(portal.Services, DentalDoctor);
        var records = scope.ServiceProvider.GetRequiredService<IPatientRecordService>();
        await Assert.ThrowsAsync<PatientAccessDeniedException>(() => records.LoadAsync(kobayashi, CancellationToken.None));

        var outcome = await scope.ServiceProvider.GetRequiredService<IConsentRecorder>().RecordReceptionConsentAsync(kobayashi, new ReceptionConsentConfirmation(ReceptionConsentReason.Verbal, null), CancellationToken.None);
        var record = await records.LoadAsync(kobayashi, CancellationToken.None);

        Assert.Equal(ConsentRecordOutcome.Recorded, outcome);
        Assert.Equal("小林 実", record.Patient.NameKanji);
        Assert.NotEmpty(record.Diagnoses);
        var consents = (await portal.SearchAsync($"Consent?patient=Patient/{kobayashi}")).Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Consent>().ToList();
        var written = Assert.Single(consents);
        Assert.True(ConsentFhir.IsReception(written));
        Assert.True(ConsentFhir.NamesFacility(written, DemoFacilities.DentalClinicCode));
        Assert.Equal(Hl7.Fhir.Model.Consent.ConsentState.Active, written.Status);
        Assert.Equal(DentalDoctor.DisplayName, written.Performer.Single().Display);
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditAction.ConsentRecorded && r.PatientId == kobayashi);

        // The clinic and the hospital still have no consent for this patient.
        await using var clinic = SignedInScope.Create(portal.Services, ClinicDoctor);
        await Assert.ThrowsAsync<PatientAccessDeniedException>(
            () => clinic.ServiceProvider.GetRequiredService<IPatientRecordService>().LoadAsync(kobayashi, CancellationToken.None));
    }

    [Fact]
    public async Task Emergency_access_refuses_a_wrong_password_then_grants_a_timed_view_audited_and_notified()
    {
        var kobayashi = portal.PatientId(DemoPatients.KobayashiMinoru);
        string userId;
        await using (var lookup = portal.Services.CreateAsyncScope())
        {
            userId = (await lookup.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync("doctor@hospital.example"))!.Id;
        }

        var doctor = new CurrentUser(userId, "救急 医師", DemoFacilities.HospitalCode, DemoFacilities.Hospital.Name, [PortalRoles.Clinician]);
        await using (var scope = SignedInScope.Create(portal.Services, doctor))
        {
            var emergency = scope.ServiceProvider.GetRequiredService<IEmergencyAccessService>();
            var wrong = await emergency.StartAsync(kobayashi, EmergencyReason.Unconscious, null, "not-the-password", CancellationToken.None);
            var noText = await emergency.StartAsync(kobayashi, EmergencyReason.Other, " ", "MedNet-Demo-2026!", CancellationToken.None);
            Assert.Equal(EmergencyStartOutcome.WrongSecret, wrong.Outcome);
            Assert.Equal(EmergencyStartOutcome.ReasonTextRequired, noText.Outcome);
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            Assert.False(await db.EmergencyAccessGrants.AnyAsync(g => g.PatientId == kobayashi && g.UserId == userId));
            await Assert.ThrowsAsync<PatientAccessDeniedException>(
                () => scope.ServiceProvider.GetRequiredService<IPatientRecordService>().LoadAsync(kobayashi, CancellationToken.None));

            var granted = await emergency.StartAsync(kobayashi, EmergencyReason.Unconscious, "搬送時意識レベル低下", "MedNet-Demo-2026!", CancellationToken.None);
            Assert.Equal(EmergencyStartOutcome.Granted, granted.Outcome);
            var record = await scope.ServiceProvider.GetRequiredService<IPatientRecordService>().LoadAsync(kobayashi, CancellationToken.None);
            Assert.NotEmpty(record.Diagnoses);
            var access = await scope.ServiceProvider.GetRequiredService<IPatientAccessGate>().CheckAsync(kobayashi, CancellationToken.None);
            Assert.Equal(PatientAccessKind.Emergency, access.Kind);
            Assert.Equal(granted.Until, access.Until);
            var grant = await db.EmergencyAccessGrants.SingleAsync(g => g.PatientId == kobayashi && g.UserId == userId);
            Assert.Equal(TimeSpan.FromHours(4), grant.EndUtc - grant.StartUtc);
            Assert.Equal("搬送時意識レベル低下", grant.ReasonText);
        }

        Assert.Contains(portal.Audit.Records, r => r.Action == AuditAction.EmergencyAccessStarted && r.PatientId == kobayashi && r.Emergency);
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditAction.RecordViewed && r.PatientId == kobayashi && r.Emergency);

        // The hospital's administrator sees it; the clinic's does not.
        await using (var admin = SignedInScope.Create(portal.Services, new CurrentUser("consent-admin-h", "管理者", DemoFacilities.HospitalCode, DemoFacilities.Hospital.Name, [PortalRoles.FacilityAdmin])))
        {
            var notifications = admin.ServiceProvider.GetRequiredService<INotificationService>();
            var (items, total) = await notifications.ListAsync(50, CancellationToken.None);
            var item = Assert.Single(items, i => i.PatientId == kobayashi);
            Assert.Equal(EmergencyReason.Unconscious, item.Reason);
            Assert.True(await notifications.UnreadCountAsync(CancellationToken.None) >= 1);
            Assert.True(total >= 1);
        }

        await using (var clinicAdmin = SignedInScope.Create(portal.Services, new CurrentUser("consent-admin-c", "管理者", DemoFacilities.ClinicCode, DemoFacilities.Clinic.Name, [PortalRoles.FacilityAdmin])))
        {
            Assert.Equal(0, await clinicAdmin.ServiceProvider.GetRequiredService<INotificationService>().UnreadCountAsync(CancellationToken.None));
        }

        // Another hospital clinician has no grant; a clinic clinician may not use emergency access at all.
        await using (var other = SignedInScope.Create(portal.Services, HospitalDoctor))
        {
            await Assert.ThrowsAsync<PatientAccessDeniedException>(
                () => other.ServiceProvider.GetRequiredService<IPatientRecordService>().LoadAsync(kobayashi, CancellationToken.None));
        }

        await using (var clinic = SignedInScope.Create(portal.Services, ClinicDoctor))
        {
            var refused = await clinic.ServiceProvider.GetRequiredService<IEmergencyAccessService>()
                .StartAsync(kobayashi, EmergencyReason.Unconscious, null, "MedNet-Demo-2026!", CancellationToken.None);
            Assert.Equal(EmergencyStartOutcome.NotAllowed, refused.Outcome);
        }
    }

    /// <summary>The app with demo data and a counter on the central FHIR client, waited on until seeding is done.</summary>
    public sealed class ConsentPortal : IAsyncLifetime
    {
        private readonly CountingPortalFactory factory;
        private readonly Dictionary<string, string> patientIds = new(StringComparer.Ordinal);

        public ConsentPortal()
        {
            factory = new CountingPortalFactory(Counter, TokenCounter);
        }

        /// <summary>Requests of the portal's FHIR client.</summary>
        public RequestCounter Counter { get; } = new();

        /// <summary>Requests of the portal's token client (its own HttpClient, so they are not FHIR round trips).</summary>
        public RequestCounter TokenCounter { get; } = new();

        public IServiceProvider Services => factory.Services;

        /// <summary>A client of the embedded base as the test client (every scope), like an EHR writing to the base.</summary>
        public HttpClient CreateBaseClient() => factory.CreateBaseClient();

        public Uri RootUri => factory.RootUri;

        public AuditTable Audit => new(factory.Services);

        public string SatoLetterId { get; private set; } = string.Empty;

        public string SuzukiLetterId { get; private set; } = string.Empty;

        public string PatientId(DemoPatient patient) => patientIds[patient.Key];

        public async Task InitializeAsync()
        {
            _ = factory.RootUri;
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (true)
            {
                var documents = (await SearchAsync("Bundle?type=document&_count=50")).Entry.Select(e => e.Resource).OfType<Bundle>().ToList();
                var ids = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var patient in new[] { DemoPatients.SatoKenichi, DemoPatients.SuzukiTome, DemoPatients.KobayashiMinoru })
                {
                    var found = await SearchAsync($"Patient?identifier={Uri.EscapeDataString(JpFhir.Systems.InsuranceMemberId + "|" + patient.QualificationIdentifier)}");
                    if (found.Entry.FirstOrDefault()?.Resource?.Id is { } id)
                    {
                        ids[patient.Key] = id;
                    }
                }

                var sato = documents.FirstOrDefault(d => DocumentRouting.From(d) is { SenderCode: DemoFacilities.HospitalCode, DestinationCode: DemoFacilities.ClinicCode });
                var suzuki = documents.FirstOrDefault(d => DocumentRouting.From(d) is { SenderCode: DemoFacilities.HospitalCode, DestinationCode: DemoFacilities.RegionalHospitalCode });
                if (ids.Count == 3 && sato is not null && suzuki is not null
                    && (await SearchAsync($"Consent?patient=Patient/{ids[DemoPatients.SatoKenichi.Key]}")).Entry.Count == 2)
                {
                    foreach (var (key, value) in ids)
                    {
                        patientIds[key] = value;
                    }

                    SatoLetterId = sato.Id!;
                    SuzukiLetterId = suzuki.Id!;
                    return;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException("Demo seeding did not finish.");
                }

                await Task.Delay(300);
            }
        }

        public async Task<Bundle> SearchAsync(string query)
        {
            using var http = factory.CreateBaseClient();
            using var response = await http.GetAsync(query);
            return response.IsSuccessStatusCode ? FhirJson.Deserialize<Bundle>(await response.Content.ReadAsStringAsync()) : new Bundle();
        }

        public async Task DisposeAsync() => await factory.DisposeAsync();
    }

    // Audit entries are read from the trail's table; forwarding them to the base is off so the request log shows only the
    // requests the clinical paths make.
    private sealed class CountingPortalFactory(RequestCounter counter, RequestCounter tokens)
        : PortalFactory(new Dictionary<string, string?> { ["Demo:Enabled"] = "true", ["Audit:ForwardToCentralBase"] = "false" })
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.AddHttpClient(FhirClientExtensions.HttpClientName).AddHttpMessageHandler(counter.NewHandler);
                services.AddHttpClient(FhirClientExtensions.TokenHttpClientName).AddHttpMessageHandler(tokens.NewHandler);
            });
        }
    }

    /// <summary>The audit trail as stored (the real trail, in the portal database).</summary>
    public sealed class AuditTable(IServiceProvider services)
    {
        public IReadOnlyList<AuditEntry> Records
        {
            get
            {
                using var scope = services.CreateScope();
                return [.. scope.ServiceProvider.GetRequiredService<MedNetPortal.Web.Host.Data.PortalDbContext>()
                    .AuditEntries.AsNoTracking().OrderBy(e => e.Id)];
            }
        }
    }
}

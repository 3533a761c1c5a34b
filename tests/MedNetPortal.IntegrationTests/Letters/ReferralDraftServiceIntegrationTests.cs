using MedNetPortal.IntegrationTests.Infrastructure;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Documents;
using MedNetPortal.Web.Features.Letters.Compose;
using Microsoft.Extensions.DependencyInjection;
using Task = System.Threading.Tasks.Task;
using MedNetPortal.TestSupport;

namespace MedNetPortal.IntegrationTests.Letters;

/// <summary>The draft service in the real app (portal DB, embedded base with the demo data), as different users.</summary>
public sealed partial class ReferralDraftServiceIntegrationTests(ReferralDraftServiceIntegrationTests.DemoPortal portal)
    : IClassFixture<ReferralDraftServiceIntegrationTests.DemoPortal>
{
    private static readonly CurrentUser ClinicDoctor = new("test-clinic-1", "桜井 一郎", DemoFacilities.ClinicCode, DemoFacilities.Clinic.Name, [PortalRoles.Clinician]);
    private static readonly CurrentUser ClinicNurse = new("test-clinic-2", "桜井 二郎", DemoFacilities.ClinicCode, DemoFacilities.Clinic.Name, [PortalRoles.Clinician]);
    private static readonly CurrentUser HospitalDoctor = new("test-hospital-1", "緑川 三郎", DemoFacilities.HospitalCode, DemoFacilities.Hospital.Name, [PortalRoles.Clinician]);
    private static readonly CurrentUser NoFacility = new("test-admin", "管理者", null, null, [PortalRoles.SystemAdmin]);

    [Fact]
    public async Task A_draft_for_a_base_patient_is_prefilled_with_the_patient_and_the_current_allergies_and_reads_back()
    {
        await using var clinic = portal.As(ClinicDoctor);
        var sato = DemoPatients.SatoKenichi;

        var created = await clinic.Service.CreateAsync(portal.PatientId(sato), CancellationToken.None);
        var draft = await clinic.Service.GetAsync(created.DraftId!.Value, CancellationToken.None);

        Assert.Equal(DraftCreateOutcome.Created, created.Outcome);
        Assert.NotNull(draft);
        var patient = draft.Form.Patient;
        Assert.Equal(portal.PatientId(sato), patient.BasePatientId);
        Assert.Equal(sato.NameKanji, patient.NameKanji);
        Assert.Equal(sato.NameKana, patient.NameKana);
        Assert.Equal(sato.BirthDate, patient.BirthDate);
        Assert.Equal(ReferralSex.Male, patient.Sex);
        Assert.Equal(sato.QualificationIdentifier, patient.MemberIdValue);
        Assert.Contains("そば", draft.Form.Allergies, StringComparison.Ordinal);
        Assert.DoesNotContain("ロキソプロフェン", draft.Form.Allergies, StringComparison.Ordinal); // entered in error
        Assert.Matches(LocalIdPattern(), draft.LocalId);
        Assert.Null(draft.IssuedAt);
        Assert.Equal(ReferralDraftStatus.Draft, draft.Status);
        Assert.Equal(ClinicDoctor.DisplayName, draft.AuthorName);
    }

    [Fact]
    public async Task Autosave_keeps_the_text_and_a_save_from_a_stale_tab_is_a_conflict_that_writes_nothing_until_overwritten()
    {
        await using var clinic = portal.As(ClinicDoctor);
        var id = (await clinic.Service.CreateAsync((string?)null, CancellationToken.None)).DraftId!.Value;
        var tabA = (await clinic.Service.GetAsync(id, CancellationToken.None))!;
        var tabB = (await clinic.Service.GetAsync(id, CancellationToken.None))!;

        tabA.Form.PresentIllness = "タブAの現病歴";
        var savedA = await clinic.Service.SaveAsync(id, tabA.Form, tabA.Version, overwrite: false, CancellationToken.None);
        tabB.Form.PresentIllness = "タブBの現病歴";
        var savedB = await clinic.Service.SaveAsync(id, tabB.Form, tabB.Version, overwrite: false, CancellationToken.None);
        var afterConflict = await clinic.Service.GetAsync(id, CancellationToken.None);
        var overwritten = await clinic.Service.SaveAsync(id, tabB.Form, tabB.Version, overwrite: true, CancellationToken.None);
        var final = await clinic.Service.GetAsync(id, CancellationToken.None);

        Assert.Equal(DraftSaveOutcome.Saved, savedA.Outcome);
        Assert.Equal(tabA.Version + 1, savedA.Version);
        Assert.Equal(DraftSaveOutcome.Conflict, savedB.Outcome);
        Assert.Equal("タブAの現病歴", savedB.Current!.Form.PresentIllness);
        Assert.Equal("タブAの現病歴", afterConflict!.Form.PresentIllness);
        Assert.Equal(DraftSaveOutcome.Saved, overwritten.Outcome);
        Assert.Equal("タブBの現病歴", final!.Form.PresentIllness);
    }

    [Fact]
    public async Task Another_facility_and_a_user_without_a_facility_get_nothing_from_any_method_and_the_draft_is_untouched()
    {
        await using var clinic = portal.As(ClinicDoctor);
        var id = (await clinic.Service.CreateAsync(portal.PatientId(DemoPatients.SatoKenichi), CancellationToken.None)).DraftId!.Value;
        var original = (await clinic.Service.GetAsync(id, CancellationToken.None))!;
        var intruderForm = original.Form.Clone();
        intruderForm.Purpose = "書き換え";

        foreach (var stranger in new[] { HospitalDoctor, NoFacility })
        {
            await using var other = portal.As(stranger);
            Assert.Null(await other.Service.GetAsync(id, CancellationToken.None));
            Assert.Equal(DraftSaveOutcome.NotFound, (await other.Service.SaveAsync(id, intruderForm, original.Version, overwrite: true, CancellationToken.None)).Outcome);
            Assert.DoesNotContain(id, (await other.Service.ListAsync(ReferralDraftScope.Facility, 0, 100, CancellationToken.None)).Items.Select(d => d.Id));
            Assert.DoesNotContain(id, (await other.Service.ListAsync(ReferralDraftScope.Mine, 0, 100, CancellationToken.None)).Items.Select(d => d.Id));
            Assert.False(await other.Service.DeleteAsync(id, CancellationToken.None));
            Assert.Null(await other.Service.PreviewAsync(id, CancellationToken.None));
            Assert.Equal(DraftSendOutcome.NotFound, (await other.Service.SendAsync(id, CancellationToken.None)).Outcome);
        }

        await using var noFacility = portal.As(NoFacility);
        Assert.Equal(DraftCreateOutcome.NoFacility, (await noFacility.Service.CreateAsync((string?)null, CancellationToken.None)).Outcome);
        Assert.Equal(0, (await noFacility.Service.ListAsync(ReferralDraftScope.Facility, 0, 10, CancellationToken.None)).Total);

        var after = await clinic.Service.GetAsync(id, CancellationToken.None);
        Assert.NotNull(after);
        Assert.Equal(original.Version, after.Version);
        Assert.Null(after.Form.Purpose);
        Assert.Equal(ReferralDraftStatus.Draft, after.Status);
    }

    [Fact]
    public async Task Lists_mine_and_my_facility_newest_first_with_the_total_and_pages_and_delete_removes_one()
    {
        var dentistA = new CurrentUser("test-dental-1", "歯科 一", DemoFacilities.DentalClinicCode, DemoFacilities.DentalClinic.Name, [PortalRoles.Clinician]);
        var dentistB = new CurrentUser("test-dental-2", "歯科 二", DemoFacilities.DentalClinicCode, DemoFacilities.DentalClinic.Name, [PortalRoles.Clinician]);
        await using var a = portal.As(dentistA);
        await using var b = portal.As(dentistB);
        var mine = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var form = new ReferralForm { Patient = new ReferralFormPatient { NameKanji = $"患者 {i}" } };
            mine.Add((await a.Service.CreateAsync(form, CancellationToken.None)).DraftId!.Value);
            await Task.Delay(5); // distinct UpdatedAt ticks
        }

        var theirs = (await b.Service.CreateAsync(new ReferralForm(), CancellationToken.None)).DraftId!.Value;

        var firstPage = await a.Service.ListAsync(ReferralDraftScope.Mine, 0, 2, CancellationToken.None);
        var secondPage = await a.Service.ListAsync(ReferralDraftScope.Mine, 2, 2, CancellationToken.None);
        var facility = await a.Service.ListAsync(ReferralDraftScope.Facility, 0, 50, CancellationToken.None);
        Assert.Equal(3, firstPage.Total);
        Assert.Equal([mine[2], mine[1]], firstPage.Items.Select(d => d.Id));
        Assert.Equal([mine[0]], secondPage.Items.Select(d => d.Id));
        Assert.Equal("患者 2", firstPage.Items[0].PatientDisplayName);
        Assert.Equal(4, facility.Total);
        Assert.Equal(theirs, facility.Items[0].Id);
        Assert.False(facility.Items[0].IsMine);

        Assert.True(await b.Service.DeleteAsync(mine[1], CancellationToken.None)); // a colleague of the same facility may delete
        Assert.False(await a.Service.DeleteAsync(mine[1], CancellationToken.None));
        Assert.Equal(2, (await a.Service.ListAsync(ReferralDraftScope.Mine, 0, 50, CancellationToken.None)).Total);
        Assert.Null(await a.Service.GetAsync(mine[1], CancellationToken.None));
    }

    [Fact]
    public async Task Sending_a_draft_twice_stores_one_document_and_the_draft_becomes_Sent_with_its_id_and_leaves_the_list()
    {
        await using var clinic = portal.As(ClinicDoctor);
        var id = (await clinic.Service.CreateAsync(portal.PatientId(DemoPatients.SatoKenichi), CancellationToken.None)).DraftId!.Value;
        var draft = (await clinic.Service.GetAsync(id, CancellationToken.None))!;
        await FillAsync(clinic, draft.Form);
        var diagnosis = await portal.FirstConditionAsync(DemoPatients.SatoKenichi);
        draft.Form.DiagnosisPicks.Add(await clinic.Service.CopySharedAsync(draft.Form.Patient.BasePatientId!, SharedResourceKind.Diagnosis, diagnosis.Id!, diagnosis.Code!.Text!, CancellationToken.None));
        Assert.Equal(DraftSaveOutcome.Saved, (await clinic.Service.SaveAsync(id, draft.Form, draft.Version, false, CancellationToken.None)).Outcome);

        var preview = await clinic.Service.PreviewAsync(id, CancellationToken.None);
        var first = await clinic.Service.SendAsync(id, CancellationToken.None);
        var second = await clinic.Service.SendAsync(id, CancellationToken.None);
        var sent = (await clinic.Service.GetAsync(id, CancellationToken.None))!;

        Assert.Empty(preview!.Problems);
        Assert.NotNull(preview.Document);
        Assert.Equal(DraftSendOutcome.Attempted, first.Outcome);
        Assert.Equal(SendOutcome.Sent, first.Send!.Outcome);
        Assert.Equal(SendOutcome.AlreadySent, second.Send!.Outcome);
        Assert.Equal(first.Send.BundleId, second.Send.BundleId);
        Assert.Equal(ReferralDraftStatus.Sent, sent.Status);
        Assert.Equal(first.Send.BundleId, sent.SentBundleId);
        Assert.NotNull(sent.IssuedAt);
        Assert.Equal($"{DemoFacilities.ClinicCode}^{sent.IssuedAt.Value.ToOffset(TimeSpan.FromHours(9)).Year}^{sent.LocalId}", sent.BundleIdentifier);
        Assert.Equal(1, await portal.CountBundlesAsync(sent.BundleIdentifier!));
        Assert.DoesNotContain(id, (await clinic.Service.ListAsync(ReferralDraftScope.Facility, 0, 100, CancellationToken.None)).Items.Select(d => d.Id));
        Assert.Equal(DraftSaveOutcome.AlreadySent, (await clinic.Service.SaveAsync(id, sent.Form, sent.Version, true, CancellationToken.None)).Outcome);

        // The stored letter reads like the preview: same renderer, same sections, the picked diagnosis inside.
        var stored = await portal.LoadDocumentAsync(first.Send.BundleId!);
        Assert.Equal(preview.Document!.AllSections.Select(s => s.Title), stored!.AllSections.Select(s => s.Title));
        Assert.Equal(DemoPatients.SatoKenichi.NameKanji, stored.Patient!.DisplayName);
    }

    [Fact]
    public async Task A_letter_for_a_patient_new_to_the_base_is_created_validated_and_sent()
    {
        await using var clinic = portal.As(ClinicDoctor);
        var form = new ReferralForm
        {
            Patient = new ReferralFormPatient
            {
                Insurer = "01130012", Symbol = "ＡＢ", Number = "９８７６", Branch = "01",
                NameKanji = "新規 太郎", NameKana = "シンキ タロウ", BirthDate = "1980-02-29", Sex = ReferralSex.Male,
                Address = "〒176-0001 東京都練馬区練馬１−２−３",
            },
        };
        var id = (await clinic.Service.CreateAsync(form, CancellationToken.None)).DraftId!.Value;
        var draft = (await clinic.Service.GetAsync(id, CancellationToken.None))!;
        await FillAsync(clinic, draft.Form);
        await clinic.Service.SaveAsync(id, draft.Form, draft.Version, false, CancellationToken.None);

        var result = await clinic.Service.SendAsync(id, CancellationToken.None);

        Assert.Equal(SendOutcome.Sent, result.Send?.Outcome);
        var stored = await portal.LoadDocumentAsync(result.Send!.BundleId!);
        Assert.Equal("新規 太郎", stored!.Patient!.DisplayName);
    }

    [Fact]
    public async Task A_new_patient_with_a_wrong_check_digit_and_no_birth_date_is_refused_with_problems_pointing_at_the_fields_and_nothing_is_sent()
    {
        await using var clinic = portal.As(ClinicDoctor);
        var form = new ReferralForm { Patient = new ReferralFormPatient { Insurer = "01130013", Number = "1", NameKanji = "新規 花子", NameKana = "シンキ ハナコ" } };
        var id = (await clinic.Service.CreateAsync(form, CancellationToken.None)).DraftId!.Value;

        var result = await clinic.Service.SendAsync(id, CancellationToken.None);
        var draft = await clinic.Service.GetAsync(id, CancellationToken.None);

        Assert.Equal(DraftSendOutcome.Invalid, result.Outcome);
        Assert.Contains(result.Problems, p => p.Field == ReferralField.Patient && ReferralText.FieldId(p, false) == ReferralText.FieldIds.PatientBirthDate);
        Assert.Null(draft!.IssuedAt); // nothing was attempted
        Assert.Equal(ReferralDraftStatus.Draft, draft.Status);
    }

    [Fact]
    public async Task A_letter_to_a_facility_that_is_not_connected_is_refused_at_send_by_the_registry_even_if_the_form_says_otherwise()
    {
        await using var clinic = portal.As(ClinicDoctor);
        var id = (await clinic.Service.CreateAsync(portal.PatientId(DemoPatients.SatoKenichi), CancellationToken.None)).DraftId!.Value;
        var draft = (await clinic.Service.GetAsync(id, CancellationToken.None))!;
        await FillAsync(clinic, draft.Form);
        var dental = (await clinic.Directory.SearchAsync(DemoFacilities.DentalClinicCode, CancellationToken.None)).Facilities.Single();
        Assert.False(dental.AcceptsElectronicLetters);
        // A form saved while the flag was still true (or tampered with) must not get past the server's check.
        draft.Form.Destination = new ReferralFormDestination
        {
            OrganizationId = dental.OrganizationId, Name = dental.Name, Code = dental.Code, AcceptsElectronicLetters = true,
        };
        await clinic.Service.SaveAsync(id, draft.Form, draft.Version, false, CancellationToken.None);

        var result = await clinic.Service.SendAsync(id, CancellationToken.None);
        var after = (await clinic.Service.GetAsync(id, CancellationToken.None))!;

        Assert.Equal(DraftSendOutcome.NotConnected, result.Outcome);
        Assert.Null(result.Send);
        Assert.Equal(ReferralDraftStatus.Draft, after.Status);
        Assert.Null(after.IssuedAt);
    }

    [Fact]
    public async Task A_letter_with_10000_characters_of_history_and_20_picked_diagnoses_builds_validates_and_sends()
    {
        await using var clinic = portal.As(ClinicDoctor);
        var id = (await clinic.Service.CreateAsync(portal.PatientId(DemoPatients.SatoKenichi), CancellationToken.None)).DraftId!.Value;
        var draft = (await clinic.Service.GetAsync(id, CancellationToken.None))!;
        await FillAsync(clinic, draft.Form);
        draft.Form.PastAndFamilyHistory = string.Concat(Enumerable.Repeat("高血圧症の既往あり。父に糖尿病。", 1000))[..10_000];
        var template = await portal.FirstConditionAsync(DemoPatients.SatoKenichi);
        for (var i = 1; i <= 20; i++)
        {
            var copy = (Condition)template.DeepCopy();
            copy.Id = $"big-{i}";
            // JP_Condition_eCS: an uncoded name still carries the MEDIS all-9 "no code" coding.
            copy.Code = new CodeableConcept(JpFhir.Systems.MedisDiseaseKeyNumber, "99999999", $"傷病名その{i}", $"傷病名その{i}");
            draft.Form.DiagnosisPicks.Add(new PickedSharedResource(copy.Id, $"傷病名その{i}", FhirJson.Serialize(copy)));
        }

        await clinic.Service.SaveAsync(id, draft.Form, draft.Version, false, CancellationToken.None);
        var preview = await clinic.Service.PreviewAsync(id, CancellationToken.None);
        var result = await clinic.Service.SendAsync(id, CancellationToken.None);

        Assert.Empty(preview!.Problems);
        Assert.Equal(SendOutcome.Sent, result.Send?.Outcome);
        var stored = await portal.LoadDocumentAsync(result.Send!.BundleId!);
        Assert.NotNull(stored);
        Assert.Equal(10_000, (await clinic.Service.GetAsync(id, CancellationToken.None))!.Form.PastAndFamilyHistory!.Length);
    }

    [Fact]
    public async Task A_failed_send_keeps_its_issue_time_so_a_retry_next_year_has_the_same_Bundle_identifier_and_stores_one_letter()
    {
        await using var clinic = portal.As(ClinicDoctor);
        var id = (await clinic.Service.CreateAsync(portal.PatientId(DemoPatients.SatoKenichi), CancellationToken.None)).DraftId!.Value;
        var draft = (await clinic.Service.GetAsync(id, CancellationToken.None))!;
        await FillAsync(clinic, draft.Form);
        await clinic.Service.SaveAsync(id, draft.Form, draft.Version, false, CancellationToken.None);
        var newYearsEve = new DateTimeOffset(2026, 12, 31, 23, 59, 0, TimeSpan.FromHours(9));

        // First attempt on New Year's Eve to a base that cannot be reached: nothing stored, but the issue time is kept.
        using var unreachable = ReferralClient.Services(new Uri("http://127.0.0.1:9/fhir/"), new TimeoutAfterServerHandler(0));
        var failing = clinic.With(new ReferralLetterSender(unreachable.GetRequiredService<CentralFhirClient>(), TestProfileValidators.Unavailable), new FixedTime(newYearsEve));
        var failed = await failing.SendAsync(id, CancellationToken.None);
        var afterFailure = (await clinic.Service.GetAsync(id, CancellationToken.None))!;

        // The retry, days later in the new year, through the real base.
        var retrying = clinic.With(clinic.Sender, new FixedTime(newYearsEve.AddDays(3)));
        var retried = await retrying.SendAsync(id, CancellationToken.None);
        var sent = (await clinic.Service.GetAsync(id, CancellationToken.None))!;

        Assert.Equal(SendOutcome.Failed, failed.Send!.Outcome);
        Assert.Equal(ReferralDraftStatus.Draft, afterFailure.Status);
        Assert.Equal(newYearsEve, afterFailure.IssuedAt);
        Assert.Equal($"{DemoFacilities.ClinicCode}^2026^{afterFailure.LocalId}", afterFailure.BundleIdentifier);
        Assert.Equal(SendOutcome.Sent, retried.Send!.Outcome);
        Assert.Equal(afterFailure.BundleIdentifier, retried.Send.BundleIdentifier);
        Assert.Equal(afterFailure.BundleIdentifier, sent.BundleIdentifier);
        Assert.Equal(1, await portal.CountBundlesAsync(sent.BundleIdentifier!));
    }

    private static async Task FillAsync(DraftUser user, ReferralForm form)
    {
        var hospital = (await user.Directory.SearchAsync(DemoFacilities.HospitalCode, CancellationToken.None)).Facilities.Single();
        form.Destination = new ReferralFormDestination
        {
            OrganizationId = hospital.OrganizationId, Name = hospital.Name, Code = hospital.Code,
            AcceptsElectronicLetters = hospital.AcceptsElectronicLetters, DepartmentName = "消化器内科", DoctorName = "緑川 先生",
        };
        form.Purpose = "精査加療のお願い";
        form.Diagnoses = "心窩部痛";
        form.PresentIllness = "２週間前から心窩部痛が続いています。";
    }

    [GeneratedRegex("^R[0-9]{8}-[0-9A-F]{8}$")]
    private static partial Regex LocalIdPattern();

    internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }

    internal sealed class DraftUser(AsyncServiceScope scope, CurrentUser user) : IAsyncDisposable
    {
        public ReferralDraftService Service { get; } = ActivatorUtilities.CreateInstance<ReferralDraftService>(scope.ServiceProvider, new TestUser(user));

        public FacilityDirectory Directory => scope.ServiceProvider.GetRequiredService<FacilityDirectory>();

        public ReferralLetterSender Sender => scope.ServiceProvider.GetRequiredService<ReferralLetterSender>();

        /// <summary>The same user's service with another sender and clock.</summary>
        public ReferralDraftService With(ReferralLetterSender sender, TimeProvider time) =>
            ActivatorUtilities.CreateInstance<ReferralDraftService>(scope.ServiceProvider, new TestUser(user), sender, time);

        public ValueTask DisposeAsync() => scope.DisposeAsync();
    }

    /// <summary>The app with demo data, waited on until the demo patients are in the base.</summary>
    public sealed class DemoPortal : IAsyncLifetime
    {
        private readonly PortalFactory factory = new(new Dictionary<string, string?> { ["Demo:Enabled"] = "true" });
        private readonly Dictionary<string, string> patientIds = new(StringComparer.Ordinal);

        public string PatientId(DemoPatient patient) => patientIds[patient.Key];

        // Signed in on the scope too: the record service behind the prefill asks the consent gate, which reads the signed-in user.
        internal DraftUser As(CurrentUser user) => new(MedNetPortal.IntegrationTests.Infrastructure.SignedInScope.Create(factory.Services, user), user);

        public async Task InitializeAsync()
        {
            _ = factory.RootUri;
            var deadline = DateTime.UtcNow.AddMinutes(3);
            foreach (var patient in new[] { DemoPatients.SatoKenichi })
            {
                while (true)
                {
                    var id = await SearchPatientAsync(patient);
                    if (id is not null && (await SearchAsync($"AllergyIntolerance?patient=Patient/{id}")).Entry.Count > 1
                        && (await SearchAsync($"Condition?patient=Patient/{id}")).Entry.Count > 0)
                    {
                        patientIds[patient.Key] = id;
                        break;
                    }

                    if (DateTime.UtcNow > deadline)
                    {
                        throw new TimeoutException("Demo seeding did not finish.");
                    }

                    await Task.Delay(300);
                }
            }
        }

        public async Task<Condition> FirstConditionAsync(DemoPatient patient) =>
            (await SearchAsync($"Condition?patient=Patient/{PatientId(patient)}")).Entry.Select(e => e.Resource).OfType<Condition>()
                .First(c => c.VerificationStatus?.Coding.Any(x => x.Code == "entered-in-error") != true && !string.IsNullOrEmpty(c.Code?.Text));

        public async Task<int> CountBundlesAsync(string bundleIdentifier) =>
            (await SearchAsync($"Bundle?identifier={Uri.EscapeDataString(JpFhir.Systems.BundleIdentifier + "|" + bundleIdentifier)}&_summary=count")).Total ?? -1;

        public async Task<DocumentView?> LoadDocumentAsync(string id)
        {
            await using var scope = factory.Services.CreateAsyncScope();
            // Read as stored and mapped as the viewer maps it (the consent gate of DocumentService needs a signed-in user).
            var bundle = await scope.ServiceProvider.GetRequiredService<MedNetPortal.Fhir.CentralFhirClient>().ReadAsync<Bundle>(id, CancellationToken.None);
            return DocumentMapper.Map(bundle, id);
        }

        private async Task<string?> SearchPatientAsync(DemoPatient patient)
        {
            var bundle = await SearchAsync($"Patient?identifier={Uri.EscapeDataString(JpFhir.Systems.InsuranceMemberId + "|" + patient.QualificationIdentifier)}");
            return bundle.Entry.FirstOrDefault()?.Resource?.Id;
        }

        private async Task<Bundle> SearchAsync(string query)
        {
            using var http = factory.CreateBaseClient();
            using var response = await http.GetAsync(query);
            return response.IsSuccessStatusCode ? FhirJson.Deserialize<Bundle>(await response.Content.ReadAsStringAsync()) : new Bundle();
        }

        public async Task DisposeAsync() => await factory.DisposeAsync();
    }
}

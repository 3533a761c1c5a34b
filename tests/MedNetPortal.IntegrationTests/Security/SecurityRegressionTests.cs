using MedNetPortal.Web.Features.Letters;
using System.Net;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.IntegrationTests.Account;
using MedNetPortal.IntegrationTests.Audit;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Account.Sessions;
using MedNetPortal.Web.Features.Admin.Facilities;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Features.Audit.Views;
using MedNetPortal.Web.Features.Consent;
using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Documents;
using MedNetPortal.Web.Features.Emergency;
using MedNetPortal.Web.Features.Facilities;
using MedNetPortal.Web.Features.Patients;
using MedNetPortal.Web.Features.Letters.Compose;
using MedNetPortal.Web.Features.Letters.Mailbox;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using FhirConsent = Hl7.Fhir.Model.Consent;
using Task = System.Threading.Tasks.Task;

namespace MedNetPortal.IntegrationTests.Security;

/// <summary>
/// One regression test per finding of the outside review (issue 11, items 2 to 9), in the real app with the demo data. Each
/// failed on the main branch before the fix.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class SecurityRegressionTests(SecurityPortal portal)
{
    // Item 2 -----------------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Item2_a_patient_list_in_a_letter_url_opens_no_one_elses_letter_and_the_audit_names_no_list()
    {
        // B's letter: a copy of a demo letter about 小林 実, who gave the clinic no consent, sent between two other facilities.
        var kobayashi = portal.PatientId(DemoPatients.KobayashiMinoru);
        var sato = portal.PatientId(DemoPatients.SatoKenichi);
        var letter = await KobayashiLetterAsync();
        var before = portal.LastAuditId();

        await using var scope = portal.As(Actor.ClinicianB);
        var documents = scope.ServiceProvider.GetRequiredService<IDocumentSource>();
        var opened = await documents.LoadAsync(letter, $"{sato},{kobayashi}", CancellationToken.None);
        var direct = await Assert.ThrowsAsync<PatientAccessDeniedException>(() => documents.LoadAsync(letter, kobayashi, CancellationToken.None));
        var viaConsent = await documents.LoadAsync(letter, sato, CancellationToken.None);

        Assert.Null(opened);
        Assert.Equal(PatientAccessDenial.NoConsent, direct.Access.Denial);
        Assert.Null(viaConsent); // Sato's consent opens only Sato's documents
        Assert.DoesNotContain(portal.AuditAfter(before), e => e.PatientId?.Contains(',', StringComparison.Ordinal) == true);
        Assert.DoesNotContain(portal.AuditAfter(before), e => e.Action == AuditAction.DocumentOpened);
    }

    // Item 3 -----------------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Item3_a_deny_consent_for_the_facility_closes_the_record_a_permit_opened()
    {
        var patient = await portal.CreateAsync(new Hl7.Fhir.Model.Patient { Name = [new HumanName { Family = "拒否", Given = ["試験"] }] });
        await portal.CreateAsync(ConsentFhir.Build("Patient/" + patient.Id, DemoFacilities.HospitalCode, DemoFacilities.Hospital.Name,
            DateTimeOffset.UtcNow.AddDays(-1), null, reception: false, performerDisplay: null));
        var deny = ConsentFhir.Build("Patient/" + patient.Id, DemoFacilities.HospitalCode, DemoFacilities.Hospital.Name,
            DateTimeOffset.UtcNow.AddHours(-1), null, reception: false, performerDisplay: null);
        deny.Provision!.Type = FhirConsent.ConsentProvisionType.Deny;
        await portal.CreateAsync(deny);

        await using var scope = portal.As(Actor.ClinicianA);
        var refused = await Assert.ThrowsAsync<PatientAccessDeniedException>(
            () => scope.ServiceProvider.GetRequiredService<IPatientRecordService>().LoadAsync(patient.Id!, CancellationToken.None));

        Assert.Equal(PatientAccessDenial.ConsentRefused, refused.Access.Denial);
    }

    // Item 4 -----------------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Item4_a_facility_admin_gets_no_clinical_data_from_any_service()
    {
        var sato = portal.PatientId(DemoPatients.SatoKenichi);
        await using var scope = portal.As(Actor.FacilityAdminA);
        var services = scope.ServiceProvider;
        portal.Counter.Clear();

        var record = await Assert.ThrowsAsync<PatientAccessDeniedException>(() => services.GetRequiredService<IPatientRecordService>().LoadAsync(sato, CancellationToken.None));
        var letter = await services.GetRequiredService<IDocumentSource>().LoadAsync(portal.LetterAtoB, null, CancellationToken.None);
        var inbox = await services.GetRequiredService<IReferralMailbox>().GetInboxAsync(null, CancellationToken.None);
        var draft = await ActivatorUtilities.CreateInstance<ReferralDraftService>(services).CreateAsync(new ReferralForm(), CancellationToken.None);
        var lookup = await Assert.ThrowsAsync<PatientAccessDeniedException>(() => services.GetRequiredService<IPatientSearchService>()
            .SearchAsync(MedNetPortal.Fhir.Identifiers.InsuranceMemberId.Parse("01137116", "A12", "3456789", null).Value!, CancellationToken.None));
        var history = await services.GetRequiredService<IRecordAccessHistory>().GetAsync(sato, 0, 10);

        Assert.Equal(PatientAccessDenial.NotClinician, record.Access.Denial);
        Assert.Null(letter);
        Assert.Equal(MailboxAccess.NoFacility, inbox.Access);
        Assert.Equal(DraftCreateOutcome.NoFacility, draft.Outcome);
        Assert.Equal(PatientAccessDenial.NotClinician, lookup.Access.Denial);
        Assert.Null(history);
        Assert.Empty(portal.Counter.Requests); // not one request for clinical data reached the base
    }

    [Fact]
    public async Task Item4_only_a_system_admin_changes_a_facilitys_name_and_flags_and_the_audit_names_the_fields()
    {
        var code = DemoFacilities.HospitalCode;
        await using var admin = portal.As(Actor.FacilityAdminA);
        var facilities = admin.ServiceProvider.GetRequiredService<FacilityAdminService>();
        var current = (await facilities.GetAsync(code, CancellationToken.None)).Facility!;
        var before = portal.LastAuditId();

        var emergency = FacilityForm.From(current);
        emergency.IsEmergencyHospital = !current.IsEmergencyHospital;
        var letters = FacilityForm.From(current);
        letters.AcceptsElectronicLetters = !current.AcceptsElectronicLetters;
        var renamed = FacilityForm.From(current);
        renamed.Name = current.Name + "（改）";
        var phone = FacilityForm.From(current);
        phone.Phone = current.Phone == "03-1111-2222" ? "03-1111-3333" : "03-1111-2222";

        Assert.Equal(FacilityAdminOutcome.Forbidden, (await facilities.UpdateAsync(code, emergency, CancellationToken.None)).Outcome);
        Assert.Equal(FacilityAdminOutcome.Forbidden, (await facilities.UpdateAsync(code, letters, CancellationToken.None)).Outcome);
        Assert.Equal(FacilityAdminOutcome.Forbidden, (await facilities.UpdateAsync(code, renamed, CancellationToken.None)).Outcome);
        Assert.Equal(FacilityAdminOutcome.Ok, (await facilities.UpdateAsync(code, phone, CancellationToken.None)).Outcome);
        var after = (await facilities.GetAsync(code, CancellationToken.None)).Facility!;
        Assert.Equal((current.IsEmergencyHospital, current.AcceptsElectronicLetters, current.Name), (after.IsEmergencyHospital, after.AcceptsElectronicLetters, after.Name));
        var edit = Assert.Single(portal.AuditAfter(before), e => e.Action == AuditAction.AdminChange);
        Assert.Equal($"facility {code}: edited phone", edit.Detail);

        await using var system = portal.As(Actor.SystemAdmin);
        var bySystem = system.ServiceProvider.GetRequiredService<FacilityAdminService>();
        var ehr = FacilityForm.From(after);
        ehr.HasEhr = !ehr.HasEhr;
        Assert.Equal(FacilityAdminOutcome.Ok, (await bySystem.UpdateAsync(code, ehr, CancellationToken.None)).Outcome);
        Assert.Contains(portal.AuditAfter(before), e => e.Action == AuditAction.AdminChange && e.Detail == $"facility {code}: edited has-ehr");
        var restore = FacilityForm.From((await bySystem.GetAsync(code, CancellationToken.None)).Facility!);
        restore.HasEhr = current.HasEhr;
        restore.Phone = current.Phone;
        await bySystem.UpdateAsync(code, restore, CancellationToken.None);
    }

    [Fact]
    public async Task Item4_a_deactivated_facilitys_user_loses_access_at_once()
    {
        const string code = "1319999983";
        await using (var setup = portal.Services.CreateAsyncScope())
        {
            var db = setup.ServiceProvider.GetRequiredService<PortalDbContext>();
            db.Facilities.Add(new PortalFacility { Code = code, Name = "閉院予定の診療所", Active = true, UpdatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        var email = "closing@security.test";
        var id = await TestAccounts.CreateAsync(portal.Services, email, configure: u => { u.FacilityCode = code; u.FacilityName = "閉院予定の診療所"; });
        using var browser = await PortalBrowser.SignedInAsync(portal.Factory, email);
        var user = new CurrentUser(id, "試験", code, "閉院予定の診療所", [PortalRoles.Clinician]);
        await using var circuit = Infrastructure.SignedInScope.Create(portal.Services, user);
        var (open, _) = await browser.GetAsync("/patients");
        Assert.Equal(HttpStatusCode.OK, open);
        Assert.NotNull(await circuit.ServiceProvider.GetRequiredService<ICurrentUserAccessor>().GetAsync());

        await using (var system = portal.As(Actor.SystemAdmin))
        {
            await system.ServiceProvider.GetRequiredService<FacilityAdminService>().SetActiveAsync(code, false, CancellationToken.None);
        }

        // The very next request and the very next service call: no waiting for the session check.
        using var next = await browser.Client.GetAsync(new Uri("/patients", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.StartsWith("/account/login", PortalBrowser.LocationOf(next), StringComparison.Ordinal);
        Assert.Null(await circuit.ServiceProvider.GetRequiredService<ICurrentUserAccessor>().GetAsync());
        using var again = PortalBrowser.Open(portal.Factory);
        using var signIn = await again.SignInAsync(email, TestAccounts.Password);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode); // refused, with the one sign-in message
    }

    // Item 5 -----------------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Item5_a_cookie_replayed_after_sign_out_is_refused()
    {
        using var browser = await portal.BrowserAsync(Actor.ClinicianB);
        var copied = browser.Cookies.GetCookieHeader(browser.Root);
        using var signOut = await browser.SignOutAsync();
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        using var thief = portal.Factory.CreatePortalClient();
        using var replay = new HttpRequestMessage(HttpMethod.Get, new Uri("/patients", UriKind.Relative));
        replay.Headers.Add("Cookie", copied);
        using var response = await thief.SendAsync(replay);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", PortalBrowser.LocationOf(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Item5_the_server_ends_a_session_idle_longer_than_the_idle_timeout_and_activity_keeps_it()
    {
        using var browser = await portal.BrowserAsync(Actor.ClinicianB);
        var userId = portal.IdOf(Actor.ClinicianB);
        using var activity = new HttpRequestMessage(HttpMethod.Post, new Uri(AccountExtensions.ActivityPath, UriKind.Relative));
        activity.Headers.Add(AccountExtensions.ActivityHeader, "1");
        using var seen = await browser.Client.SendAsync(activity);
        Assert.Equal(HttpStatusCode.NoContent, seen.StatusCode);

        // As if nothing (no request, no sign of activity from the page) had reached the server for the idle timeout and more.
        var security = portal.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SecurityOptions>>().Value;
        var then = DateTime.UtcNow - security.ServerIdleTimeout - TimeSpan.FromSeconds(5);
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Sessions
                .Where(s => s.UserId == userId && s.EndedUtc == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenUtc, then));
        }

        using var after = await browser.Client.GetAsync(new Uri("/patients", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login", PortalBrowser.LocationOf(after), StringComparison.Ordinal);
        await using var check = portal.Services.CreateAsyncScope();
        Assert.Contains(await check.ServiceProvider.GetRequiredService<PortalDbContext>().Sessions.Where(s => s.UserId == userId).ToListAsync(),
            s => s.EndReason == "idle");
    }

    [Fact]
    public async Task Item5_regenerating_recovery_codes_asks_for_the_password_and_a_code_and_is_audited()
    {
        var email = "tfa-change@security.test";
        await TestAccounts.CreateAsync(portal.Services, email, configure: u => u.FacilityCode = DemoFacilities.HospitalCode);
        string key;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = (await users.FindByEmailAsync(email))!;
            await users.ResetAuthenticatorKeyAsync(user);
            key = (await users.GetAuthenticatorKeyAsync(user))!;
            await users.SetTwoFactorEnabledAsync(user, true);
        }

        using var browser = PortalBrowser.Open(portal.Factory);
        using (var password = await browser.SignInAsync(email, TestAccounts.Password))
        {
            using var code = await browser.PostFormAsync(PortalBrowser.LocationOf(password)!, "login-2fa",
                new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
            Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        }

        var before = portal.LastAuditId();
        using var bare = await browser.PostFormAsync(AccountExtensions.TwoFactorPath, "two-factor-regenerate", new Dictionary<string, string>());
        using var wrongCode = await browser.PostFormAsync(AccountExtensions.TwoFactorPath, "two-factor-regenerate",
            new Dictionary<string, string> { ["Regenerate.Password"] = TestAccounts.Password, ["Regenerate.Code"] = "000000" });
        using var right = await browser.PostFormAsync(AccountExtensions.TwoFactorPath, "two-factor-regenerate",
            new Dictionary<string, string> { ["Regenerate.Password"] = TestAccounts.Password, ["Regenerate.Code"] = Totp.Code(key, DateTimeOffset.UtcNow, stepOffset: 1) });

        Assert.DoesNotContain("data-testid=\"recovery-codes\"", await bare.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"recovery-codes\"", await wrongCode.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"recovery-codes\"", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var changes = portal.AuditAfter(before).Where(e => e.Action == AuditAction.TwoFactorChanged).ToList();
        Assert.Equal(
            [("regenerate-recovery-codes;password", AuditOutcome.Failure), ("regenerate-recovery-codes;code", AuditOutcome.Failure), ("regenerate-recovery-codes", AuditOutcome.Success)],
            changes.Select(c => (c.Detail, c.Outcome)));
        Assert.Equal(2, (await TestAccounts.FindAsync(portal.Services, email))!.AccessFailedCount);
    }

    // Item 6 -----------------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Item6_emergency_access_counts_wrong_codes_respects_lockout_is_rate_limited_and_audits_each_refusal()
    {
        var kobayashi = portal.PatientId(DemoPatients.KobayashiMinoru);
        var email = "er-doctor@security.test";
        var id = await TestAccounts.CreateAsync(portal.Services, email, configure: u => u.FacilityCode = DemoFacilities.HospitalCode);
        string key;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = (await users.FindByIdAsync(id))!;
            await users.ResetAuthenticatorKeyAsync(user);
            key = (await users.GetAuthenticatorKeyAsync(user))!;
            await users.SetTwoFactorEnabledAsync(user, true);
        }

        var doctor = new CurrentUser(id, "救急 医師", DemoFacilities.HospitalCode, DemoFacilities.Hospital.Name, [PortalRoles.Clinician]);
        var before = portal.LastAuditId();
        await using var circuit = Infrastructure.SignedInScope.Create(portal.Services, doctor);
        var emergency = circuit.ServiceProvider.GetRequiredService<IEmergencyAccessService>();

        var wrong = await emergency.StartAsync(kobayashi, EmergencyReason.Unconscious, null, "000000", CancellationToken.None);
        Assert.Equal(EmergencyStartOutcome.WrongSecret, wrong.Outcome);
        Assert.Equal(1, (await TestAccounts.FindAsync(portal.Services, email))!.AccessFailedCount);

        await TestAccounts.UpdateAsync(portal.Services, email, u => u.LockoutEnd = DateTimeOffset.UtcNow.AddMinutes(10));
        var locked = await emergency.StartAsync(kobayashi, EmergencyReason.Unconscious, null, Totp.Code(key, DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.Equal(EmergencyStartOutcome.LockedOut, locked.Outcome);
        await TestAccounts.UpdateAsync(portal.Services, email, u => { u.LockoutEnd = null; u.AccessFailedCount = 0; });

        var outcomes = new List<EmergencyStartOutcome>();
        for (var i = 0; i < 4; i++)
        {
            outcomes.Add((await emergency.StartAsync(kobayashi, EmergencyReason.Unconscious, null, "111111", CancellationToken.None)).Outcome);
        }

        Assert.Equal(EmergencyStartOutcome.RateLimited, outcomes[^1]); // 5 per window by default
        Assert.DoesNotContain(EmergencyStartOutcome.Granted, outcomes);
        var refusals = portal.AuditAfter(before).Where(e => e.Action == AuditAction.EmergencyAccessRefused).ToList();
        Assert.Equal(2 + outcomes.Count, refusals.Count);
        Assert.All(refusals, r => Assert.Equal((kobayashi, AuditOutcome.Failure, id), (r.PatientId, r.Outcome, r.ActorUserId)));
        Assert.Contains(refusals, r => r.Detail == "locked-out");
        Assert.Contains(refusals, r => r.Detail == "rate-limited");
    }

    // Item 7 -----------------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Item7_a_letter_opened_with_another_patient_in_the_url_is_audited_under_the_letters_own_patient()
    {
        var sato = portal.PatientId(DemoPatients.SatoKenichi);
        var kobayashi = portal.PatientId(DemoPatients.KobayashiMinoru);
        var before = portal.LastAuditId();

        await using var scope = portal.As(Actor.ClinicianB);
        var view = await scope.ServiceProvider.GetRequiredService<IDocumentSource>().LoadAsync(portal.LetterAtoB, kobayashi, CancellationToken.None);

        Assert.NotNull(view); // the clinic's own correspondence
        var opened = Assert.Single(portal.AuditAfter(before), e => e.Action == AuditAction.DocumentOpened);
        Assert.Equal(sato, opened.PatientId);
        Assert.Equal(sato, view.BasePatientId); // what the print entry names
    }

    [Fact]
    public async Task Item7_an_entry_the_base_refuses_is_set_aside_later_ones_go_on_audit_retry_queues_it_again_and_health_degrades()
    {
        await using var harness = await AuditHarness.CreateAsync();
        for (var i = 0; i < 4; i++)
        {
            await harness.RecordAsync(new AuditRecord(AuditAction.RecordViewed) { PatientId = $"p{i}" });
        }

        var entries = await harness.EntriesAsync();
        harness.Publisher.Invalid.Add(entries[1].Hash);
        var forwarder = harness.Forwarder();

        var first = await forwarder.ForwardPendingAsync(CancellationToken.None);
        var afterFirst = await harness.EntriesAsync();
        Assert.Equal((3, true), first);
        Assert.Equal([entries[0].Hash, entries[2].Hash, entries[3].Hash], harness.Publisher.Stored);
        Assert.NotNull(afterFirst[1].ForwardRejectedAtUtc);
        Assert.Equal("HTTP 422 Unprocessable", afterFirst[1].ForwardError);
        Assert.Equal((0, true), await forwarder.ForwardPendingAsync(CancellationToken.None)); // not retried by itself

        var health = new MedNetPortal.Web.Host.Health.AuditForwardingHealthCheck(
            harness.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<MedNetPortal.Web.Host.Data.PortalDbContext>>(), harness.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuditOptions>>(), harness.Clock);
        var context = new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext
        {
            Registration = new("audit-forwarding", health, Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, null),
        };
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, (await health.CheckHealthAsync(context)).Status);
        harness.Clock.Now = harness.Clock.Now.AddMinutes(61);
        var degraded = await health.CheckHealthAsync(context);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, degraded.Status);
        Assert.Contains("1 set aside", degraded.Description, StringComparison.Ordinal);

        using var output = new StringWriter();
        var code = await AuditRetryCommand.RunAsync(
            ["audit-retry", $"--Storage:DataDirectory={harness.Folder}", $"--Audit:HashKey={AuditHarness.Key}"], output, TextWriter.Null, CancellationToken.None);
        Assert.Equal(0, code);
        Assert.Contains("1 entries queued again", output.ToString(), StringComparison.Ordinal);
        harness.Publisher.Invalid.Clear();
        Assert.Equal((1, true), await forwarder.ForwardPendingAsync(CancellationToken.None));
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, (await health.CheckHealthAsync(context)).Status);
        Assert.True((await harness.VerifyAsync()).Intact);
    }

    // Item 8 -----------------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Item8_a_reception_consent_needs_a_reason_shows_in_who_viewed_and_notifies_the_facilitys_admins()
    {
        var patient = await portal.CreateAsync(new Hl7.Fhir.Model.Patient { Name = [new HumanName { Family = "受付", Given = ["同意"] }] });
        await using (var clinician = portal.As(Actor.ClinicianA))
        {
            var recorder = clinician.ServiceProvider.GetRequiredService<IConsentRecorder>();
            var noText = await recorder.RecordReceptionConsentAsync(patient.Id!, new ReceptionConsentConfirmation(ReceptionConsentReason.Other, " "), CancellationToken.None);
            var recorded = await recorder.RecordReceptionConsentAsync(patient.Id!, new ReceptionConsentConfirmation(ReceptionConsentReason.WrittenForm, "家族同席"), CancellationToken.None);
            Assert.Equal(ConsentRecordOutcome.ReasonTextRequired, noText);
            Assert.Equal(ConsentRecordOutcome.Recorded, recorded);

            var history = await clinician.ServiceProvider.GetRequiredService<IRecordAccessHistory>().GetAsync(patient.Id!, 0, 10);
            var row = Assert.Single(history!.Items);
            Assert.Equal((AuditAction.ConsentRecorded, "consent"), (row.Action, row.Items.Single()));
        }

        await using var admin = portal.As(Actor.FacilityAdminA);
        var (items, _) = await admin.ServiceProvider.GetRequiredService<INotificationService>().ListAsync(100, CancellationToken.None);
        var notice = Assert.Single(items, i => i.PatientId == patient.Id);
        Assert.Equal((PortalNotificationKinds.ReceptionConsent, ReceptionConsentReason.WrittenForm, "家族同席"), (notice.Kind, notice.ConsentReason, notice.ReasonText));
    }

    // Item 9 -----------------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Item9_unknown_wrong_and_locked_accounts_get_the_same_answer_each_after_one_password_check()
    {
        var hasher = new CountingHasher();
        await using var factory = new CountingHasherPortal(hasher);
        var email = "locked@security.test";
        await TestAccounts.CreateAsync(factory.Services, email);
        await TestAccounts.CreateAsync(factory.Services, "known@security.test");
        await TestAccounts.UpdateAsync(factory.Services, email, u => u.LockoutEnd = DateTimeOffset.UtcNow.AddMinutes(10));
        using var browser = PortalBrowser.Open(factory);

        const string Answer = "メールアドレスまたはパスワードが正しくありません。続けて失敗すると、アカウントは15分間ロックされます。";
        async Task<(bool SaysIt, bool SaysLocked, int Checks)> AttemptAsync(string who, string password)
        {
            var before = hasher.Verifications;
            using var response = await browser.SignInAsync(who, password);
            var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            return (html.Contains(Answer, StringComparison.Ordinal), html.Contains("ロックされています", StringComparison.Ordinal), hasher.Verifications - before);
        }

        var unknown = await AttemptAsync("nobody@security.test", TestAccounts.Password);
        var locked = await AttemptAsync(email, TestAccounts.Password);
        var wrong = await AttemptAsync("known@security.test", "Wrong-passw0rd");

        Assert.Equal((true, false), (unknown.SaysIt, unknown.SaysLocked));
        Assert.Equal((true, false), (locked.SaysIt, locked.SaysLocked));
        Assert.Equal((true, false), (wrong.SaysIt, wrong.SaysLocked));
        // Identity checks no password for an unknown or a locked account; the page spends one check, so each answer costs the same.
        Assert.Equal((1, 1, 1), (unknown.Checks, locked.Checks, wrong.Checks));
    }

    [Fact]
    public async Task Item9_a_non_ascii_return_url_or_redirect_uri_gives_a_clean_redirect()
    {
        using var client = portal.Factory.CreatePortalClient();
        using var culture = await client.GetAsync(new Uri("/culture/set?culture=en&redirectUri=" + Uri.EscapeDataString("/patients/患者"), UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, culture.StatusCode);
        Assert.Equal("/patients/%E6%82%A3%E8%80%85", PortalBrowser.LocationOf(culture));

        using var browser = PortalBrowser.Open(portal.Factory);
        using var signIn = await browser.SignInAsync(portal.EmailOf(Actor.ClinicianB), TestAccounts.Password, returnUrl: "/referrals/受信箱 1");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/referrals/%E5%8F%97%E4%BF%A1%E7%AE%B1%201", PortalBrowser.LocationOf(signIn));
    }

    [Fact]
    public async Task Item9_data_protection_keys_are_encrypted_at_rest_and_the_data_files_are_the_portals_only()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var keys = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().DataProtectionKeys.ToListAsync();

        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.Contains("<encryptedKey", k.Xml, StringComparison.Ordinal));
        Assert.All(keys, k => Assert.DoesNotContain("<masterKey", k.Xml, StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            foreach (var file in new[] { "portal.db", "fhirbase.db", "dataprotection.key", "audit-hash.key", "portal.db-wal", "portal.db-shm" })
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(portal.Factory.DataDirectory, file)));
            }
        }

        // Created ahead of SQLite (to be 0600 from the start), the databases still use write-ahead logging as EF Core would set it.
        foreach (var file in new[] { "portal.db", "fhirbase.db" })
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(portal.Factory.DataDirectory, file)};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode;";
            Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        }
    }

    [Fact]
    public async Task Item9_the_shared_record_picks_pass_the_consent_gate_and_copy_only_the_patients_own_data()
    {
        var kobayashi = portal.PatientId(DemoPatients.KobayashiMinoru);
        var sato = portal.PatientId(DemoPatients.SatoKenichi);
        using var http = portal.BaseClient();
        var conditions = FhirJson.Deserialize<Bundle>(await http.GetStringAsync(new Uri($"Condition?patient=Patient/{kobayashi}&_count=1", UriKind.Relative)));
        var kobayashiCondition = conditions.Entry.Select(e => e.Resource).OfType<Condition>().First().Id!;

        await using var scope = portal.As(Actor.ClinicianB);
        var drafts = ActivatorUtilities.CreateInstance<ReferralDraftService>(scope.ServiceProvider);
        var denied = await Assert.ThrowsAsync<PatientAccessDeniedException>(
            () => drafts.CopySharedAsync(kobayashi, SharedResourceKind.Diagnosis, kobayashiCondition, "x", CancellationToken.None));
        var smuggled = await Assert.ThrowsAsync<FhirApiException>(
            () => drafts.CopySharedAsync(sato, SharedResourceKind.Diagnosis, kobayashiCondition, "x", CancellationToken.None));

        Assert.Equal(PatientAccessDenial.NoConsent, denied.Access.Denial);
        Assert.Equal(FhirApiErrorReason.NotFound, smuggled.Reason);
    }

    /// <summary>A copy of the demo letter to the regional hospital, about 小林 実 (no consent for the clinic).</summary>
    private async Task<string> KobayashiLetterAsync()
    {
        using var http = portal.BaseClient();
        var letter = FhirJson.Deserialize<Bundle>(await http.GetStringAsync(new Uri("Bundle/" + portal.LetterAtoRegional, UriKind.Relative)));
        var subject = letter.Entry.Select(e => e.Resource).OfType<Composition>().First().Subject!.Reference;
        var patient = (Hl7.Fhir.Model.Patient)letter.Entry.First(e => e.FullUrl == subject).Resource!;
        patient.Identifier = [new Identifier(JpFhir.Systems.InsuranceMemberId, DemoPatients.KobayashiMinoru.QualificationIdentifier)];
        letter.Id = null;
        letter.Meta = null;
        letter.Identifier = new Identifier(JpFhir.Systems.BundleIdentifier, $"{DemoFacilities.HospitalCode}^2026^SEC-{Guid.NewGuid():N}");
        return (await portal.CreateAsync(letter)).Id!;
    }

    /// <summary>Identity's own hasher, counting the verifications (the cost a sign-in answer carries).</summary>
    private sealed class CountingHasher : IPasswordHasher<PortalUser>
    {
        private readonly PasswordHasher<PortalUser> inner = new();
        private int verifications;

        public int Verifications => Volatile.Read(ref verifications);

        public string HashPassword(PortalUser user, string password) => inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(PortalUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref verifications);
            return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    private sealed class CountingHasherPortal(CountingHasher hasher) : Web.PortalFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            Microsoft.AspNetCore.TestHost.WebHostBuilderExtensions.ConfigureTestServices(builder, services => services.AddSingleton<IPasswordHasher<PortalUser>>(hasher));
        }
    }
}

using MedNetPortal.Web.Features.Patients;
using Bunit;
using Microsoft.AspNetCore.Components;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Consent;
using Microsoft.Extensions.DependencyInjection;
using MedNetPortal.TestSupport;

namespace MedNetPortal.ComponentTests.Consent;

/// <summary>Stand-ins for the record page's consent services (the gate allows; no recording).</summary>
internal static class ConsentTestServices
{
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton<IPatientAccessGate>(new AllowingGate());
        services.AddSingleton<IConsentRecorder>(new NoRecorder());
        services.AddSingleton<ICurrentUserAccessor>(new TestUser(null));
        // The record page's "who viewed this record" panel (its own tests are in Audit/).
        services.AddSingleton<MedNetPortal.Web.Features.Patients.IRecordAccessHistory>(new NoHistory());
    }

    internal sealed class NoHistory : MedNetPortal.Web.Features.Patients.IRecordAccessHistory
    {
        public Task<MedNetPortal.Web.Features.Audit.Views.RecordAccessPage?> GetAsync(string patientId, int skip, int take, CancellationToken cancellationToken = default) =>
            Task.FromResult<MedNetPortal.Web.Features.Audit.Views.RecordAccessPage?>(new([], 0));
    }

    internal sealed class AllowingGate : IPatientAccessGate
    {
        public Task<PatientAccess> CheckAsync(string patientId, CancellationToken cancellationToken) =>
            Task.FromResult(new PatientAccess(PatientAccessKind.Consent, null, null));

        public Task<PatientAccess> EnsureAsync(string patientId, CancellationToken cancellationToken) => CheckAsync(patientId, cancellationToken);

        public void Forget(string patientId)
        {
        }
    }

    internal sealed class NoRecorder : IConsentRecorder
    {
        public Task<ConsentRecordOutcome> RecordReceptionConsentAsync(string patientId, ReceptionConsentConfirmation confirmation, CancellationToken cancellationToken) =>
            Task.FromResult(ConsentRecordOutcome.Failed);
    }
}

public sealed class PatientAccessDeniedPanelTests : PortalTestContext
{
    [Fact]
    public void No_consent_explains_why_and_offers_consent_and_emergency_at_an_emergency_hospital()
    {
        var panel = Render<PatientAccessDeniedPanel>(p => p
            .Add(x => x.PatientId, "p1")
            .Add(x => x.Access, PatientAccess.Denied(PatientAccessDenial.NoConsent, emergencyAvailable: true))
            .Add(x => x.CanRecordConsent, true));

        Assert.Contains("同意が確認できない", panel.Find("[data-testid=access-denied-reason]").TextContent, StringComparison.Ordinal);
        Assert.Contains("記録が無いという意味ではありません", panel.Markup, StringComparison.Ordinal);
        Assert.Equal("本日受付で同意を確認", panel.Find("[data-testid=record-consent]").TextContent.Trim());
        Assert.Equal("patients/p1/emergency", panel.Find("[data-testid=emergency-access]").GetAttribute("href"));
    }

    [Fact]
    public void A_clinic_gets_no_emergency_access()
    {
        var panel = Render<PatientAccessDeniedPanel>(p => p
            .Add(x => x.PatientId, "p1")
            .Add(x => x.Access, PatientAccess.Denied(PatientAccessDenial.NoConsent, emergencyAvailable: false))
            .Add(x => x.CanRecordConsent, true));

        Assert.Single(panel.FindAll("[data-testid=record-consent]"));
        Assert.Empty(panel.FindAll("[data-testid=emergency-access]"));
    }

    [Fact]
    public void Expired_consent_and_no_facility_say_so_and_an_account_without_a_facility_gets_no_buttons()
    {
        var expired = Render<PatientAccessDeniedPanel>(p => p
            .Add(x => x.PatientId, "p1")
            .Add(x => x.Access, PatientAccess.Denied(PatientAccessDenial.ConsentExpired)));
        Assert.Contains("有効期間が終了", expired.Markup, StringComparison.Ordinal);

        var none = Render<PatientAccessDeniedPanel>(p => p
            .Add(x => x.PatientId, "p1")
            .Add(x => x.Access, PatientAccess.Denied(PatientAccessDenial.NoFacility))
            .Add(x => x.CanRecordConsent, false));
        Assert.Contains("医療機関に所属していない", none.Markup, StringComparison.Ordinal);
        Assert.Empty(none.FindAll("[data-testid=record-consent]"));
        Assert.Empty(none.FindAll("[data-testid=emergency-access]"));
    }

    [Fact]
    public void Recording_consent_asks_for_a_confirmation_with_a_reason_first()
    {
        ReceptionConsentConfirmation? confirmed = null;
        var panel = Render<PatientAccessDeniedPanel>(p => p
            .Add(x => x.PatientId, "p1")
            .Add(x => x.Access, PatientAccess.Denied(PatientAccessDenial.NoConsent))
            .Add(x => x.CanRecordConsent, true)
            .Add(x => x.OnRecordConsent, (ReceptionConsentConfirmation c) => confirmed = c));

        panel.Find("[data-testid=record-consent]").Click();
        Assert.Null(confirmed); // the button only opens the confirmation
        Assert.Equal(4, panel.FindAll("[data-testid=consent-confirm] input[type=radio]").Count);
        Assert.All(panel.FindAll("[data-testid=consent-confirm] input[type=radio]"),
            r => Shown.One(panel.FindAll($"label[for={r.Id}]")));

        panel.Find("[data-testid=consent-reason-other]").Change(true);
        panel.Find("[data-testid=consent-confirm]").Submit();
        Assert.Null(confirmed); // その他 needs a text
        Assert.Single(panel.FindAll("[data-testid=consent-reason-missing]"));

        panel.Find("[data-testid=consent-reason-writtenform]").Change(true);
        panel.Find("[data-testid=consent-confirm]").Submit();
        Assert.Equal(new ReceptionConsentConfirmation(ReceptionConsentReason.WrittenForm, null), confirmed);
    }

    [Fact]
    public void A_refusal_by_the_patient_offers_no_consent_button_and_says_so()
    {
        var panel = Render<PatientAccessDeniedPanel>(p => p
            .Add(x => x.PatientId, "p1")
            .Add(x => x.Access, PatientAccess.Denied(PatientAccessDenial.ConsentRefused))
            .Add(x => x.CanRecordConsent, true));

        Assert.Contains("拒否", panel.Find("[data-testid=access-denied-reason]").TextContent, StringComparison.Ordinal);
        Assert.Empty(panel.FindAll("[data-testid=record-consent]"));
    }

    [Fact]
    public void In_English_the_explanation_is_English()
    {
        UseCulture("en");
        var panel = Render<PatientAccessDeniedPanel>(p => p
            .Add(x => x.PatientId, "p1")
            .Add(x => x.Access, PatientAccess.Denied(PatientAccessDenial.NoConsent, emergencyAvailable: true))
            .Add(x => x.CanRecordConsent, true));

        Assert.Contains("No consent", panel.Markup, StringComparison.Ordinal);
        Assert.Contains("Emergency access", panel.Find("[data-testid=emergency-access]").TextContent, StringComparison.Ordinal);
    }
}

public sealed class RecordPageDeniedTests : PortalTestContext
{
    [Fact]
    public void A_refused_record_shows_the_explanation_with_consent_for_a_clinician_never_an_empty_record()
    {
        var records = new Patients.FakeRecords
        {
            Answer = () => throw new PatientAccessDeniedException("p1", PatientAccess.Denied(PatientAccessDenial.NoConsent, emergencyAvailable: false)),
        };
        Services.AddSingleton<MedNetPortal.Web.Features.Patients.IPatientRecordService>(records);
        ConsentTestServices.Add(Services);
        Services.AddSingleton<ICurrentUserAccessor>(new TestUser(
            new CurrentUser("u1", "医師", "1310267898", "さくら内科クリニック", [PortalRoles.Clinician])));
        Services.AddSingleton<MedNetPortal.Web.Features.Letters.Compose.IReferralDraftStarter>(new Letters.FakeDraftStarter());
        Services.AddPatientRecordAction<MedNetPortal.Web.Features.Letters.Compose.ComposeReferralButton>();

        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var page = Render<MedNetPortal.Web.Features.Patients.PatientRecordPage>(p => p.Add(x => x.Id, "p1"));

        page.WaitForElement("[data-testid=access-denied]");
        Assert.Single(page.FindAll("[data-testid=record-consent]"));
        Assert.Empty(page.FindAll("[data-testid=emergency-access]"));
        Assert.Empty(page.FindAll("[data-testid=diagnoses]"));
        Assert.Empty(page.FindAll("[data-testid=record-error]"));
    }
}

public sealed class NotificationsNavTests : PortalTestContext
{
    [Fact]
    public void A_facility_admin_sees_the_notifications_link_with_the_unread_count()
    {
        var authorization = AddAuthorization();
        authorization.SetAuthorized("admin@hospital.example");
        authorization.SetRoles(PortalRoles.FacilityAdmin);
        Services.AddSingleton<MedNetPortal.Web.Features.Emergency.INotificationService>(new TwoUnread());

        var menu = Render<MedNetPortal.Web.Components.Layout.NavMenu>();

        Assert.Equal("admin/notifications", menu.Find("[data-testid=nav-notifications]").GetAttribute("href"));
        Assert.Equal("（未読 2）", menu.Find("[data-testid=nav-notifications-count]").TextContent.Trim());
    }

    [Fact]
    public void A_system_admin_gets_no_notifications_link()
    {
        var authorization = AddAuthorization();
        authorization.SetAuthorized("sysadmin@mednet.example");
        authorization.SetRoles(PortalRoles.SystemAdmin);

        var menu = Render<MedNetPortal.Web.Components.Layout.NavMenu>();

        Assert.Empty(menu.FindAll("[data-testid=nav-notifications]"));
    }

    private sealed class TwoUnread : MedNetPortal.Web.Features.Emergency.INotificationService
    {
        public Task<int> UnreadCountAsync(CancellationToken cancellationToken) => Task.FromResult(2);

        public Task<(IReadOnlyList<MedNetPortal.Web.Features.Emergency.NotificationItem> Items, int Total)> ListAsync(int take, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task MarkReadAsync(Guid id, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

using System.Data.Common;
using MedNetPortal.Web.Components.Layout;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Admin.Accounts;
using MedNetPortal.Web.Features.Admin.Audit;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Features.Audit.Views;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using MedNetPortal.Web.Features.Patients;

namespace MedNetPortal.ComponentTests.Audit;

public sealed class AuditViewsComponentTests : PortalTestContext
{
    private readonly FakeLog log = new();
    private readonly FakeHistory history = new();

    public AuditViewsComponentTests()
    {
        Services.AddSingleton<IAuditLogService>(log);
        Services.AddSingleton<IRecordAccessHistory>(history);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private static AuditLogRow Row(long id) => new(
        id, new DateTimeOffset(2026, 4, 1, 3, 0, 0, TimeSpan.Zero).AddMinutes(id), "u-1", "病院 医師", "doctor@hospital.example", "1310123455",
        "みどり台総合病院", PortalRoles.Clinician, AuditAction.RecordViewed, id == 3 ? AuditOutcome.Denied : AuditOutcome.Success, "p-1",
        "diagnoses,allergies", id % 50 == 0, "127.0.0.1");

    [Fact]
    public void The_trail_shows_loading_then_newest_rows_in_Japan_time_with_the_total_and_loads_more()
    {
        log.Gate = new TaskCompletionSource();
        log.Total = 120;
        var cut = Render<AuditTrailPage>();
        Shown.One(cut.FindAll("[data-testid=audit-loading]"));

        log.Gate.SetResult();
        cut.WaitForAssertion(() => Assert.Equal(50, cut.FindAll("[data-testid=audit-row]").Count));
        Assert.Equal("50 / 120件", cut.Find("[data-testid=audit-count]").TextContent.Trim());
        var first = cut.FindAll("[data-testid=audit-row]")[0];
        Assert.Contains("2026/04/01 14:00:00", first.TextContent, StringComparison.Ordinal);
        Assert.Contains("診療情報の閲覧", first.TextContent, StringComparison.Ordinal);
        Assert.Contains("医療従事者", first.TextContent, StringComparison.Ordinal);
        Assert.Single(cut.FindAll("[data-testid=audit-emergency]"));

        cut.Find("[data-testid=audit-more]").Click();
        cut.WaitForAssertion(() => Assert.Equal("100 / 120件", cut.Find("[data-testid=audit-count]").TextContent.Trim()));
        Assert.Equal((71L, 120L), (log.Queries[^1].BeforeId!.Value, log.Queries[^1].SnapshotId!.Value));
        cut.Find("[data-testid=audit-more]").Click();
        cut.WaitForAssertion(() => Assert.Equal("120 / 120件", cut.Find("[data-testid=audit-count]").TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid=audit-more]"));
    }

    [Fact]
    public void Every_filter_has_a_visible_label_in_Japanese_and_English_and_the_filter_goes_to_the_service_not_the_address()
    {
        var cut = Render<AuditTrailPage>();
        cut.WaitForAssertion(() => Shown.One(cut.FindAll("[data-testid=audit-table]")));
        string[] ids = ["audit-from", "audit-to", "audit-account", "audit-facility", "audit-patient", "audit-action", "audit-outcome", "audit-emergency"];
        Assert.Equal(
            ["開始日（日本時間）", "終了日（日本時間）", "アカウント（氏名・メールアドレス）", "施設", "患者ID", "操作", "結果", "緊急アクセスのみ"],
            ids.Select(id => { Shown.One(cut.FindAll("#" + id)); return cut.Find($"label[for={id}]").TextContent; }));
        // No name attributes: nothing of the filter could be sent as a query string.
        Assert.Empty(cut.FindAll("[data-testid=audit-filters] [name]"));

        var navigation = Services.GetRequiredService<NavigationManager>();
        var address = navigation.Uri;
        cut.Find("#audit-patient").Input("p-secret");
        cut.Find("#audit-action").Change("EmergencyAccessStarted");
        cut.Find("#audit-from").Change("2026-04-01");
        cut.Find("#audit-emergency").Change(true);
        cut.Find("[data-testid=audit-filters]").Submit();
        cut.WaitForAssertion(() => Assert.Equal("p-secret", log.Queries[^1].Filter.PatientId));
        Assert.Equal(
            (AuditAction.EmergencyAccessStarted, new DateOnly(2026, 4, 1), true, (long?)null),
            (log.Queries[^1].Filter.Action, log.Queries[^1].Filter.From, log.Queries[^1].Filter.EmergencyOnly, log.Queries[^1].BeforeId));
        Assert.Equal(address, navigation.Uri);

        UseCulture("en");
        var english = Render<AuditTrailPage>();
        english.WaitForAssertion(() => Assert.Equal("Patient id", english.Find("label[for=audit-patient]").TextContent));
        Assert.Equal("Emergency access only", english.Find("label[for=audit-emergency]").TextContent);
    }

    [Fact]
    public void The_trail_failure_says_what_failed_and_retries_into_the_empty_state()
    {
        log.Fail = true;
        var cut = Render<AuditTrailPage>();
        cut.WaitForAssertion(() => Assert.Contains("監査ログを読み込めませんでした", cut.Find("[data-testid=audit-error]").TextContent, StringComparison.Ordinal));

        log.Fail = false;
        log.Total = 0;
        cut.Find("[data-testid=audit-retry]").Click();
        cut.WaitForAssertion(() => Assert.Equal("条件に合う記録はありません。", cut.Find("[data-testid=audit-empty]").TextContent));
    }

    [Fact]
    public void The_chain_box_shows_intact_or_the_first_broken_entry_and_checks_again()
    {
        log.Chain = new AuditChainReport(true, 1234, null, null);
        var cut = Render<AuditTrailPage>();
        cut.WaitForAssertion(() => Assert.Equal("改ざんなし（1,234件を検証）", cut.Find("[data-testid=audit-chain-intact]").TextContent.Trim()));

        log.Chain = new AuditChainReport(false, 40, 41, "hash mismatch");
        cut.Find("[data-testid=audit-chain-recheck]").Click();
        cut.WaitForAssertion(() => Assert.Equal("記録 #41 で連鎖が切れています：hash mismatch", cut.Find("[data-testid=audit-chain-broken]").TextContent.Trim()));
        Assert.Equal(2, log.ChainChecks);
    }

    [Fact]
    public void Without_a_checker_the_box_says_so_and_a_FacilityAdmin_sees_no_box_and_a_fixed_facility()
    {
        log.Chain = null;
        var cut = Render<AuditTrailPage>();
        cut.WaitForAssertion(() => Shown.One(cut.FindAll("[data-testid=audit-chain-unavailable]")));

        log.SystemAdmin = false;
        var facilityAdmin = Render<AuditTrailPage>();
        facilityAdmin.WaitForAssertion(() => Shown.One(facilityAdmin.FindAll("[data-testid=audit-table]")));
        Assert.Empty(facilityAdmin.FindAll("[data-testid=audit-chain]"));
        Assert.True(facilityAdmin.Find("#audit-facility").HasAttribute("disabled"));
    }

    [Fact]
    public void Refused_by_the_service_shows_no_entries()
    {
        log.Refuse = true;
        var cut = Render<AuditTrailPage>();
        cut.WaitForAssertion(() => Shown.One(cut.FindAll("[data-testid=audit-forbidden]")));
        Assert.Empty(cut.FindAll("[data-testid=audit-row]"));
    }

    [Fact]
    public void Export_streams_the_service_s_CSV_to_the_download_module_and_reports_the_rows()
    {
        var module = JSInterop.SetupModule(m => m.Arguments.Count == 1 && ((string)m.Arguments[0]!).Contains("audit-export.js", StringComparison.Ordinal));
        var download = module.SetupVoid("downloadFile", _ => true).SetVoidResult();
        var cut = Render<AuditTrailPage>();
        cut.WaitForAssertion(() => Shown.One(cut.FindAll("[data-testid=audit-table]")));
        cut.Find("#audit-patient").Input("p-7");
        cut.Find("[data-testid=audit-filters]").Submit();
        cut.WaitForAssertion(() => Assert.Equal("p-7", log.Queries[^1].Filter.PatientId));
        cut.Find("#audit-patient").Input("typed later, not searched");

        cut.Find("[data-testid=audit-export]").Click();

        cut.WaitForAssertion(() => Assert.Equal("5件をCSVに出力しました。", cut.Find("[data-testid=audit-exported]").TextContent.Trim()));
        Assert.Equal("p-7", log.Exported!.PatientId);
        var invocation = Assert.Single(download.Invocations);
        Assert.Matches("^audit-log-[0-9]{8}-[0-9]{6}\\.csv$", (string)invocation.Arguments[0]!);
        Assert.IsType<DotNetStreamReference>(invocation.Arguments[1]);
    }

    [Fact]
    public void Who_viewed_shows_loading_then_facility_profession_items_and_the_emergency_highlighted_and_loads_more()
    {
        history.Gate = new TaskCompletionSource();
        history.Total = 25;
        var cut = Render<WhoViewedPanel>(p => p.Add(c => c.PatientId, "p-1"));
        Shown.One(cut.FindAll("[data-testid=who-viewed-loading]"));

        history.Gate.SetResult();
        cut.WaitForAssertion(() => Assert.Equal(20, cut.FindAll("[data-testid=who-viewed-row]").Count));
        Assert.Equal("20 / 25件", cut.Find("[data-testid=who-viewed-count]").TextContent.Trim());
        var rows = cut.FindAll("[data-testid=who-viewed-row]");
        Assert.Contains("2026年4月1日 12:00", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("さくら内科クリニック", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("看護師", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("傷病名、アレルギー", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("true", rows[1].GetAttribute("data-emergency"));
        Assert.Contains("who-viewed-emergency", rows[1].ClassName, StringComparison.Ordinal);
        Assert.Contains("緊急アクセス", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("文書", rows[1].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("医師 花子", cut.Markup, StringComparison.Ordinal);

        cut.Find("[data-testid=who-viewed-more]").Click();
        cut.WaitForAssertion(() => Assert.Equal("25 / 25件", cut.Find("[data-testid=who-viewed-count]").TextContent.Trim()));
        Assert.Equal(("p-1", 20), history.Requests[^1]);
        Assert.Empty(cut.FindAll("[data-testid=who-viewed-more]"));
    }

    [Fact]
    public void Who_viewed_in_English_joins_the_viewed_items_with_an_English_comma()
    {
        UseCulture("en");
        var cut = Render<WhoViewedPanel>(p => p.Add(c => c.PatientId, "p-1"));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=who-viewed-row]")));
        var first = cut.FindAll("[data-testid=who-viewed-row]")[0].TextContent;
        Assert.Contains("Diagnoses, Allergies", first, StringComparison.Ordinal);
        Assert.DoesNotContain("、", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Who_viewed_error_retries_into_the_empty_state_and_a_refusal_is_explained()
    {
        history.Fail = true;
        var cut = Render<WhoViewedPanel>(p => p.Add(c => c.PatientId, "p-1"));
        cut.WaitForAssertion(() => Assert.Contains("閲覧履歴を読み込めませんでした", cut.Find("[data-testid=who-viewed-error]").TextContent, StringComparison.Ordinal));

        history.Fail = false;
        history.Total = 0;
        cut.Find("[data-testid=who-viewed-retry]").Click();
        cut.WaitForAssertion(() => Assert.Equal("まだ閲覧の記録はありません。", cut.Find("[data-testid=who-viewed-empty]").TextContent));

        history.Refuse = true;
        var refused = Render<WhoViewedPanel>(p => p.Add(c => c.PatientId, "p-1"));
        refused.WaitForAssertion(() => Shown.One(refused.FindAll("[data-testid=who-viewed-forbidden]")));
    }

    private sealed class FakeLog : IAuditLogService
    {
        public TaskCompletionSource? Gate { get; set; }

        public int Total { get; set; } = 5;

        public bool Fail { get; set; }

        public bool Refuse { get; set; }

        public bool SystemAdmin { get; set; } = true;

        public AuditChainReport? Chain { get; set; } = new(true, 5, null, null);

        public int ChainChecks { get; private set; }

        public AuditFilter? Exported { get; private set; }

        public List<AuditLogQuery> Queries { get; } = [];

        public Task<AdminResult<AuditLogScope>> GetScopeAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(Refuse
                ? AdminResult<AuditLogScope>.Fail(AdminOutcome.Forbidden)
                : AdminResult<AuditLogScope>.Ok(new AuditLogScope(SystemAdmin, SystemAdmin ? null : "1310123455", [new FacilityChoice("1310123455", "みどり台総合病院")])));

        public async Task<AdminResult<AuditLogPage>> SearchAsync(AuditLogQuery query, CancellationToken cancellationToken = default)
        {
            Queries.Add(query);
            if (Gate is not null)
            {
                await Gate.Task;
            }

            if (Fail)
            {
                throw new FakeDbException();
            }

            // Ids Total … 1, newest first; the snapshot is the newest.
            var items = Enumerable.Range(1, Total).Reverse().Where(id => query.BeforeId is not { } before || id < before)
                .Take(query.PageSize).Select(id => Row(id)).ToList();
            return AdminResult<AuditLogPage>.Ok(new AuditLogPage(items, Total, Total == 0 ? null : Total));
        }

        public async Task<AdminResult<int>> ExportCsvAsync(AuditFilter filter, Stream destination, CancellationToken cancellationToken = default)
        {
            Exported = filter;
            await destination.WriteAsync(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'a' }, cancellationToken);
            return AdminResult<int>.Ok(5);
        }

        public Task<AdminResult<AuditChainReport?>> CheckChainAsync(CancellationToken cancellationToken = default)
        {
            ChainChecks++;
            return Task.FromResult(AdminResult<AuditChainReport?>.Ok(Chain));
        }
    }

    private sealed class FakeHistory : IRecordAccessHistory
    {
        public TaskCompletionSource? Gate { get; set; }

        public int Total { get; set; } = 3;

        public bool Fail { get; set; }

        public bool Refuse { get; set; }

        public List<(string PatientId, int Skip)> Requests { get; } = [];

        public async Task<RecordAccessPage?> GetAsync(string patientId, int skip, int take, CancellationToken cancellationToken = default)
        {
            Requests.Add((patientId, skip));
            if (Gate is not null)
            {
                await Gate.Task;
            }

            if (Fail)
            {
                throw new FakeDbException();
            }

            if (Refuse)
            {
                return null;
            }

            var items = Enumerable.Range(skip, Math.Max(0, Math.Min(take, Total - skip))).Select(i => i % 2 == 0
                ? new RecordAccess(i, new DateTimeOffset(2026, 4, 1, 3, 0, 0, TimeSpan.Zero), "1310267898", "さくら内科クリニック", PortalRoles.Clinician,
                    Profession.Nurse, AuditAction.RecordViewed, ["diagnoses", "allergies"], false)
                : new RecordAccess(i, new DateTimeOffset(2026, 4, 1, 2, 0, 0, TimeSpan.Zero), "1310123455", "みどり台総合病院", PortalRoles.Clinician,
                    Profession.Doctor, AuditAction.DocumentOpened, ["document"], true)).ToList();
            return new RecordAccessPage(items, Total);
        }
    }

    private sealed class FakeDbException : DbException;
}

/// <summary>The 管理 group's 監査ログ link (its own context: authorization is set up before the first render).</summary>
public sealed class AuditNavTests : PortalTestContext
{
    [Theory]
    [InlineData(PortalRoles.FacilityAdmin, true)]
    [InlineData(PortalRoles.SystemAdmin, true)]
    [InlineData(PortalRoles.Clinician, false)]
    public void Nav_admin_group_lists_the_audit_log_for_administrators_only(string role, bool shown)
    {
        var authorization = AddAuthorization();
        authorization.SetAuthorized("someone");
        authorization.SetRoles(role);

        var menu = Render<NavMenu>();

        var links = menu.FindAll(".mud-navmenu a").Select(a => (Text: a.TextContent.Trim(), Href: a.GetAttribute("href"))).ToList();
        Assert.Equal(shown, links.Contains(("監査ログ", "admin/audit")));
    }
}

using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Admin.Accounts;
using MedNetPortal.Web.Features.Admin.Audit;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Features.Audit.Views;
using Microsoft.AspNetCore.Components;

namespace MedNetPortal.ComponentTests.Audit;

/// <summary>The audit page's parts on their own (the page with all of them: <see cref="AuditViewsComponentTests"/>).</summary>
public sealed class AuditTrailComponentTests : PortalTestContext
{
    public AuditTrailComponentTests() => SetRendererInfo(new RendererInfo("Server", isInteractive: true));

    [Fact]
    public void The_chain_box_says_checking_failed_or_unavailable_and_offers_a_recheck_only_when_idle()
    {
        var rechecks = 0;
        var checking = Render<AuditChainBox>(p => p.Add(c => c.Checking, true));
        Assert.Equal("検証しています…", checking.Find("[data-testid=audit-chain-checking]").TextContent.Trim());
        Assert.True(checking.Find("[data-testid=audit-chain-recheck]").HasAttribute("disabled"));

        var failed = Render<AuditChainBox>(p => p.Add(c => c.Failed, true).Add(c => c.OnRecheck, () => rechecks++));
        Assert.NotEmpty(failed.Find("[data-testid=audit-chain-failed]").TextContent.Trim());
        failed.Find("[data-testid=audit-chain-recheck]").Click();
        Assert.Equal(1, rechecks);

        var unavailable = Render<AuditChainBox>(p => p.Add(c => c.Available, false));
        Assert.Empty(unavailable.FindAll("[data-testid=audit-chain-intact], [data-testid=audit-chain-broken]"));
        Assert.NotEmpty(unavailable.Find("[data-testid=audit-chain-unavailable]").TextContent.Trim());

        var broken = Render<AuditChainBox>(p => p.Add(c => c.Report, new AuditChainReport(false, 40, 41, "hash mismatch")));
        Assert.Equal("記録 #41 で連鎖が切れています：hash mismatch", broken.Find("[data-testid=audit-chain-broken]").TextContent.Trim());
    }

    [Fact]
    public void The_export_status_shows_running_failure_with_retry_and_the_rows_written()
    {
        var retries = 0;
        Shown.One(Render<AuditExportStatus>(p => p.Add(c => c.Exporting, true)).FindAll("[data-testid=audit-exporting]"));

        var failed = Render<AuditExportStatus>(p => p.Add(c => c.Failed, true).Add(c => c.OnRetry, () => retries++));
        failed.Find("[data-testid=audit-export-retry]").Click();
        Assert.Equal(1, retries);

        Assert.Equal("5件をCSVに出力しました。", Render<AuditExportStatus>(p => p.Add(c => c.Rows, 5)).Find("[data-testid=audit-exported]").TextContent.Trim());
        Assert.Empty(Render<AuditExportStatus>().FindAll("[role=status], .mud-alert"));
    }

    [Fact]
    public void The_results_show_loading_failure_empty_and_rows_with_more_only_when_there_are_more()
    {
        var calls = new List<string>();
        Shown.One(Render<AuditResults>(p => p.Add(c => c.Items, []).Add(c => c.Loading, true)).FindAll("[data-testid=audit-loading]"));

        var failed = Render<AuditResults>(p => p.Add(c => c.Items, []).Add(c => c.Failed, true).Add(c => c.OnRetry, () => calls.Add("retry")));
        failed.Find("[data-testid=audit-retry]").Click();

        Assert.Equal("条件に合う記録はありません。", Render<AuditResults>(p => p.Add(c => c.Items, [])).Find("[data-testid=audit-empty]").TextContent);

        AuditLogRow[] rows = [Row(2, AuditOutcome.Denied, emergency: true), Row(1, AuditOutcome.Success, emergency: false)];
        var some = Render<AuditResults>(p => p.Add(c => c.Items, rows).Add(c => c.Total, 3).Add(c => c.OnMore, () => calls.Add("more")));
        Assert.Equal(2, some.FindAll("[data-testid=audit-row]").Count);
        Assert.Equal("2 / 3件", some.Find("[data-testid=audit-count]").TextContent.Trim());
        Assert.Single(some.FindAll("[data-testid=audit-emergency]"));
        some.Find("[data-testid=audit-more]").Click();

        var all = Render<AuditResults>(p => p.Add(c => c.Items, rows).Add(c => c.Total, 2));
        Assert.Empty(all.FindAll("[data-testid=audit-more]"));
        Assert.Equal(["retry", "more"], calls);
    }

    [Fact]
    public void Each_cell_carries_its_column_name_for_the_phone_card_and_a_field_without_a_value_has_no_line()
    {
        AuditLogRow[] rows = [Row(2, AuditOutcome.Denied, emergency: true), Row(1, AuditOutcome.Success, emergency: false) with { PatientId = null, Detail = null }];
        var cut = Render<AuditResults>(p => p.Add(c => c.Items, rows).Add(c => c.Total, 2));

        var headings = cut.FindAll("thead th").Select(th => th.TextContent.Trim()).ToList();
        Assert.Equal(10, headings.Count);
        var full = cut.FindAll("[data-testid=audit-row]")[0].QuerySelectorAll("td");
        Assert.Equal(headings, full.Select(td => td.GetAttribute("data-label")));
        Assert.DoesNotContain(full, td => td.ClassList.Contains("card-empty"));

        var sparse = cut.FindAll("[data-testid=audit-row]")[1].QuerySelectorAll("td");
        Assert.Equal(["患者ID", "詳細", "緊急"], sparse.Where(td => td.ClassList.Contains("card-empty")).Select(td => td.GetAttribute("data-label")));
        // Nothing but the table and its count: no stray text left from the page it was split out of.
        Assert.DoesNotContain("}", string.Concat(cut.Nodes.Select(n => n.TextContent)), StringComparison.Ordinal);
    }

    [Fact]
    public void Clear_empties_every_filter_and_searches_and_a_FacilityAdmin_cannot_change_the_facility()
    {
        var searched = new List<AuditFilter>();
        var scope = new AuditLogScope(true, null, [new FacilityChoice("1310123455", "みどり台総合病院")]);
        var cut = Render<AuditFilters>(p => p.Add(c => c.Scope, scope).Add(c => c.OnSearch, (AuditFilter f) => searched.Add(f)));
        cut.Find("#audit-facility").Change("1310123455");
        cut.Find("#audit-outcome").Change(nameof(AuditOutcome.Denied));
        cut.Find("#audit-account").Input("  doctor@hospital.example ");
        cut.Find("[data-testid=audit-filters]").Submit();

        cut.Find("[data-testid=audit-clear]").Click();

        Assert.Equal(("1310123455", AuditOutcome.Denied, "doctor@hospital.example"), (searched[0].FacilityCode, searched[0].Outcome, searched[0].Account));
        Assert.Equal(new AuditFilter(), searched[1]);
        Assert.Equal(string.Empty, cut.Find("#audit-account").GetAttribute("value") ?? string.Empty);

        var facilityAdmin = Render<AuditFilters>(p => p.Add(c => c.Scope, scope with { IsSystemAdmin = false }));
        Assert.True(facilityAdmin.Find("#audit-facility").HasAttribute("disabled"));
    }

    [Fact]
    public void Export_waits_while_one_runs()
    {
        var exports = 0;
        var idle = Render<AuditFilters>(p => p.Add(c => c.OnExport, () => exports++));
        idle.Find("[data-testid=audit-export]").Click();

        var running = Render<AuditFilters>(p => p.Add(c => c.Exporting, true));

        Assert.Equal(1, exports);
        Assert.True(running.Find("[data-testid=audit-export]").HasAttribute("disabled"));
    }

    private static AuditLogRow Row(long id, AuditOutcome outcome, bool emergency) => new(
        id, new DateTimeOffset(2026, 4, 1, 3, 0, 0, TimeSpan.Zero), "u-1", "病院 医師", "doctor@hospital.example", "1310123455",
        "みどり台総合病院", PortalRoles.Clinician, AuditAction.RecordViewed, outcome, "p-1", "diagnoses", emergency, "127.0.0.1");
}

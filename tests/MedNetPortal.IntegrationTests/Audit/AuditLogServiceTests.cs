using System.Globalization;
using System.Text;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Admin.Accounts;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Features.Audit.Views;
using static MedNetPortal.IntegrationTests.Audit.AuditViewsDatabase;

namespace MedNetPortal.IntegrationTests.Audit;

/// <summary>The admin trail service on a real portal database: scoping by facility, filters, paging and the CSV export.</summary>
public sealed class AuditLogServiceTests : IAsyncLifetime
{
    private static readonly DateTime Noon = new(2026, 4, 1, 3, 0, 0, DateTimeKind.Utc); // 12:00 JST

    private readonly AuditViewsDatabase data = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await data.DisposeAsync();

    [Fact]
    public async Task A_SystemAdmin_reads_every_facility_and_can_narrow_to_one()
    {
        await data.AddAsync(ClinicianOfA, AuditAction.RecordViewed, Noon);
        await data.AddAsync(ClinicianOfB, AuditAction.RecordViewed, Noon.AddMinutes(1));
        var service = data.LogAs(SystemAdmin);

        var all = (await service.SearchAsync(new AuditLogQuery(new AuditFilter()))).Value!;
        var onlyB = (await service.SearchAsync(new AuditLogQuery(new AuditFilter { FacilityCode = B }))).Value!;
        var scope = (await service.GetScopeAsync()).Value!;

        Assert.Equal(2, all.Total);
        Assert.Equal([B, A], all.Items.Select(i => i.FacilityCode));
        Assert.Equal("さくら内科クリニック", all.Items[0].FacilityName);
        Assert.Equal("nurse@clinic.example", all.Items[0].ActorEmail);
        Assert.Equal([B], onlyB.Items.Select(i => i.FacilityCode));
        Assert.True(scope.IsSystemAdmin);
        Assert.Equal([A, B], scope.Facilities.Select(f => f.Code));
    }

    [Fact]
    public async Task A_FacilityAdmin_reads_only_their_facility_even_when_asking_for_another_in_search_export_and_scope()
    {
        await data.AddAsync(ClinicianOfA, AuditAction.RecordViewed, Noon, e => e.PatientId = "p-1");
        await data.AddAsync(ClinicianOfB, AuditAction.RecordViewed, Noon, e => e.PatientId = "p-1");
        await data.AddAsync(ClinicianOfB, AuditAction.SignIn, Noon);
        var service = data.LogAs(AdminOfA);

        var asked = (await service.SearchAsync(new AuditLogQuery(new AuditFilter { FacilityCode = B }))).Value!;
        var byPatient = (await service.SearchAsync(new AuditLogQuery(new AuditFilter { PatientId = "p-1" }))).Value!;
        using var csv = new MemoryStream();
        var exported = await service.ExportCsvAsync(new AuditFilter { FacilityCode = B }, csv);
        var scope = (await service.GetScopeAsync()).Value!;

        Assert.Equal([A], asked.Items.Select(i => i.FacilityCode));
        Assert.Equal(1, asked.Total);
        Assert.Equal([A], byPatient.Items.Select(i => i.FacilityCode));
        Assert.Equal(1, exported.Value);
        var rows = Csv.Parse(Encoding.UTF8.GetString(csv.ToArray()));
        Assert.Equal(A, Assert.Single(rows.Skip(1))[4]);
        Assert.False(scope.IsSystemAdmin);
        Assert.Equal([A], scope.Facilities.Select(f => f.Code));
        Assert.Equal(AdminOutcome.Forbidden, (await service.CheckChainAsync()).Outcome);
    }

    [Fact]
    public async Task Clinicians_and_anonymous_get_nothing_and_an_export_writes_nothing()
    {
        await data.AddAsync(ClinicianOfA, AuditAction.RecordViewed, Noon);
        foreach (var actor in new[] { ClinicianOfA, null, new CurrentUser("u-x", "施設なし管理者", null, null, [PortalRoles.FacilityAdmin]) })
        {
            var service = data.LogAs(actor);
            using var csv = new MemoryStream();
            Assert.Equal(AdminOutcome.Forbidden, (await service.SearchAsync(new AuditLogQuery(new AuditFilter()))).Outcome);
            Assert.Equal(AdminOutcome.Forbidden, (await service.GetScopeAsync()).Outcome);
            Assert.Equal(AdminOutcome.Forbidden, (await service.ExportCsvAsync(new AuditFilter(), csv)).Outcome);
            Assert.Equal(0, csv.Length);
        }

        Assert.Empty(data.Trail.Records);
    }

    [Fact]
    public async Task Dates_are_Japan_dates_and_every_filter_narrows()
    {
        // 2026-04-01 23:59:59 JST and 2026-04-02 00:00:00 JST.
        var lastOfFirst = await data.AddAsync(ClinicianOfA, AuditAction.RecordViewed, new DateTime(2026, 4, 1, 14, 59, 59, DateTimeKind.Utc));
        var firstOfSecond = await data.AddAsync(ClinicianOfA, AuditAction.RecordViewed, new DateTime(2026, 4, 1, 15, 0, 0, DateTimeKind.Utc));
        var denied = await data.AddAsync(ClinicianOfB, AuditAction.AccessDenied, Noon, e => { e.Outcome = AuditOutcome.Denied; e.PatientId = "p-9"; });
        var emergency = await data.AddAsync(ClinicianOfA, AuditAction.EmergencyAccessStarted, Noon, e => { e.Emergency = true; e.PatientId = "p-9"; });
        var service = data.LogAs(SystemAdmin);

        async Task<long[]> Ids(AuditFilter filter) =>
            [.. (await service.SearchAsync(new AuditLogQuery(filter))).Value!.Items.Select(i => i.Id).Order()];

        var first = new DateOnly(2026, 4, 1);
        var second = new DateOnly(2026, 4, 2);
        Assert.Equal([lastOfFirst, denied, emergency], await Ids(new AuditFilter { From = first, To = first }));
        Assert.Equal([firstOfSecond], await Ids(new AuditFilter { From = second }));
        Assert.Equal([lastOfFirst, denied, emergency], await Ids(new AuditFilter { To = first }));
        Assert.Equal([denied], await Ids(new AuditFilter { Account = "CLINIC.example" }));
        Assert.Equal([denied], await Ids(new AuditFilter { Account = "診療所" }));
        Assert.Equal([denied, emergency], await Ids(new AuditFilter { PatientId = "p-9" }));
        Assert.Equal([denied], await Ids(new AuditFilter { Action = AuditAction.AccessDenied }));
        Assert.Equal([denied], await Ids(new AuditFilter { Outcome = AuditOutcome.Denied }));
        Assert.Equal([emergency], await Ids(new AuditFilter { EmergencyOnly = true }));
        Assert.Equal([emergency], await Ids(new AuditFilter { PatientId = "p-9", Account = "doctor@hospital" }));
    }

    [Fact]
    public async Task Pages_are_newest_first_with_the_total_and_an_entry_added_meanwhile_neither_shifts_nor_repeats_rows()
    {
        var ids = new List<long>();
        for (var i = 0; i < 120; i++)
        {
            ids.Add(await data.AddAsync(ClinicianOfA, AuditAction.PatientLookup, Noon.AddSeconds(i)));
        }

        var service = data.LogAs(SystemAdmin);
        var first = (await service.SearchAsync(new AuditLogQuery(new AuditFilter()))).Value!;
        await data.AddAsync(ClinicianOfA, AuditAction.PatientLookup, Noon.AddHours(1));
        var second = (await service.SearchAsync(new AuditLogQuery(new AuditFilter(), first.SnapshotId, first.Items[^1].Id))).Value!;
        var third = (await service.SearchAsync(new AuditLogQuery(new AuditFilter(), first.SnapshotId, second.Items[^1].Id))).Value!;

        Assert.Equal((50, 120), (first.Items.Count, first.Total));
        Assert.Equal((50, 120), (second.Items.Count, second.Total));
        Assert.Equal((20, 120), (third.Items.Count, third.Total));
        Assert.Equal(Enumerable.Reverse(ids), first.Items.Concat(second.Items).Concat(third.Items).Select(i => i.Id));
        Assert.Equal(121, (await service.SearchAsync(new AuditLogQuery(new AuditFilter()))).Value!.Total);
    }

    [Fact]
    public async Task The_CSV_round_trips_Japanese_text_with_a_BOM_quoted_fields_and_Japanese_headers_and_the_export_is_audited()
    {
        const string detail = "救急外来：\"胸痛\"、意識あり,\r\n再診は翌日";
        await data.AddAsync(ClinicianOfB, AuditAction.SignIn, Noon.AddMinutes(-5), e => e.Detail = "=HYPERLINK(\"http://x\")");
        await data.AddAsync(ClinicianOfA, AuditAction.EmergencyAccessStarted, Noon, e =>
        {
            e.Detail = detail;
            e.PatientId = "p-42";
            e.Emergency = true;
        });

        var csv = await ExportAsync("ja-JP", new AuditFilter());

        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]);
        var text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetString(csv, 3, csv.Length - 3);
        Assert.Contains("\"救急外来：\"\"胸痛\"\"、意識あり,\r\n再診は翌日\"", text, StringComparison.Ordinal);
        var rows = Csv.Parse(text);
        Assert.Equal(
            ["記録番号", "日時（日本時間）", "アカウント", "メールアドレス", "医療機関コード", "施設", "権限", "操作", "患者ID", "詳細", "結果", "緊急", "接続元"],
            rows[0]);
        Assert.Equal(3, rows.Count);
        Assert.Equal(
            ["2026/04/01 12:00:00", "病院 医師", "doctor@hospital.example", A, "みどり台総合病院", "医療従事者", "緊急アクセス開始", "p-42", detail, "成功", "緊急", "127.0.0.1"],
            rows[1][1..]);
        // A cell Excel would run as a formula is kept as text.
        Assert.Equal("'=HYPERLINK(\"http://x\")", rows[2][9]);

        var record = Assert.Single(data.Trail.Records);
        Assert.Equal((AuditAction.AuditExported, AuditOutcome.Success), (record.Action, record.Outcome));
        Assert.StartsWith("csv rows=2", record.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_CSV_header_and_labels_follow_the_UI_language_and_the_filter()
    {
        await data.AddAsync(ClinicianOfA, AuditAction.RecordViewed, Noon, e => e.PatientId = "p-1");
        await data.AddAsync(ClinicianOfA, AuditAction.SignIn, Noon);

        var rows = Csv.Parse(Encoding.UTF8.GetString(await ExportAsync("en", new AuditFilter { Action = AuditAction.RecordViewed, PatientId = "p-1" })).TrimStart('\uFEFF'));

        Assert.Equal("Time (Japan)", rows[0][1]);
        Assert.Equal("Record viewed", Assert.Single(rows.Skip(1))[7]);
        var record = Assert.Single(data.Trail.Records);
        Assert.Equal("p-1", record.PatientId);
        Assert.Equal("csv rows=1; action=RecordViewed", record.Detail);
    }

    [Fact]
    public async Task The_chain_status_is_the_registered_checker_s_report_and_absent_without_one()
    {
        Assert.Null((await data.LogAs(SystemAdmin).CheckChainAsync()).Value);

        await using var withChecker = new AuditViewsDatabase(chain: new FixedChain(new AuditChainReport(false, 12, 7, "hash mismatch")));
        var report = await withChecker.LogAs(SystemAdmin).CheckChainAsync();
        Assert.Equal(new AuditChainReport(false, 12, 7, "hash mismatch"), report.Value);
    }

    [Fact]
    public async Task The_export_works_without_an_audit_trail_registered()
    {
        await using var bare = new AuditViewsDatabase(withTrail: false);
        await bare.AddAsync(ClinicianOfA, AuditAction.SignIn, Noon);
        using var csv = new MemoryStream();
        Assert.Equal(1, (await bare.LogAs(SystemAdmin).ExportCsvAsync(new AuditFilter(), csv)).Value);
    }

    private async Task<byte[]> ExportAsync(string culture, AuditFilter filter)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            using var csv = new MemoryStream();
            var result = await data.LogAs(SystemAdmin).ExportCsvAsync(filter, csv);
            Assert.True(result.Succeeded);
            return csv.ToArray();
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    private sealed class FixedChain(AuditChainReport report) : IAuditChainVerifier
    {
        public Task<AuditChainReport> VerifyAsync(CancellationToken cancellationToken) => Task.FromResult(report);
    }
}

/// <summary>An RFC 4180 reader, independent of the writer, to read exports back.</summary>
internal static class Csv
{
    public static List<string[]> Parse(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add([.. row]);
        }

        return rows;
    }
}

using System.Text;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Host.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Audit;

/// <summary>The system administrator reads the trail, filters it by action and exports it as CSV.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AuditTrailPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_sysadmin_filters_the_trail_by_action_and_exports_a_CSV_Excel_reads_as_Japanese()
    {
        var marker = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        var reason = $"{marker} 意識障害のため救急搬送、\"至急\"";
        await AddAsync(new AuditRecord(AuditAction.EmergencyAccessStarted) { PatientId = "p-" + marker, Detail = reason, Emergency = true });
        await AddAsync(new AuditRecord(AuditAction.SignIn) { Detail = marker + " other" });

        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, DemoAccounts.SystemAdmin);
        await page.GotoAsync("admin/audit");
        await Assertions.Expect(page.Locator("[data-testid=audit-count]")).ToContainTextAsync("件");

        await Eventually.PassAsync(async () =>
        {
            await page.GetByLabel("操作", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "緊急アクセス開始" }, new() { Timeout = 2000 });
            await page.Locator("[data-testid=audit-search]").ClickAsync(new() { Timeout = 2000 });
            await Assertions.Expect(page.Locator("[data-testid=audit-row]", new() { HasText = marker })).ToHaveCountAsync(1, new() { Timeout = 3000 });
        });
        await Assertions.Expect(page.Locator("[data-testid=audit-row]", new() { HasText = marker + " other" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=audit-row]", new() { HasText = marker })).ToContainTextAsync("意識障害のため救急搬送");
        Assert.DoesNotContain("?", page.Url, StringComparison.Ordinal);

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=audit-export]").ClickAsync());
        var path = await download.PathAsync();
        var bytes = await File.ReadAllBytesAsync(path!);

        Assert.Matches("^audit-log-[0-9]{8}-[0-9]{6}\\.csv$", download.SuggestedFilename);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = new UTF8Encoding(false).GetString(bytes, 3, bytes.Length - 3);
        Assert.StartsWith("記録番号,日時（日本時間）,", text, StringComparison.Ordinal);
        Assert.Contains("\"" + reason.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"", text, StringComparison.Ordinal);
        Assert.Contains("緊急アクセス開始", text, StringComparison.Ordinal);
        Assert.DoesNotContain(marker + " other", text, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-testid=audit-exported]")).ToContainTextAsync("CSVに出力しました");
    }

    // Through the real trail, as the hospital doctor, so the chain stays intact.
    private async Task AddAsync(AuditRecord record)
    {
        await using var scope = browser.Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var doctor = await db.Users.AsNoTracking().SingleAsync(u => u.Email == "doctor@hospital.example");
        await scope.ServiceProvider.GetRequiredService<IAuditTrail>().RecordAsync(record with { ActorUserId = doctor.Id }, CancellationToken.None);
    }
}

using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Features.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Audit;

/// <summary>One user action, one audit entry: not one per render (prerender + interactive) and none for a reconnect.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AuditOncePerActionTests(BrowserFixture browser)
{
    // Keeps every WebSocket the page opens, so the test can drop Blazor's connection the way a network blip does.
    private const string SocketSpy = """
        (() => {
          const Native = window.WebSocket;
          window.__mednetSockets = [];
          window.WebSocket = function (...args) { const s = new Native(...args); window.__mednetSockets.push(s); return s; };
          window.WebSocket.prototype = Native.prototype;
          Object.assign(window.WebSocket, Native);
        })();
        """;

    [Fact]
    public async Task A_record_view_is_one_entry_through_prerendering_and_a_dropped_and_resumed_connection()
    {
        var patientId = await DemoSeeding.PatientIdAsync(browser.Portal, DemoPatients.SatoKenichi);
        await using var context = await browser.NewContextAsync();
        await context.AddInitScriptAsync(SocketSpy);
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "doctor@hospital.example");
        var before = await RecordViewsAsync(patientId);

        // The page is prerendered, then rendered again by the circuit: one view.
        await page.GotoInteractiveAsync($"patients/{patientId}");
        await Assertions.Expect(page.Locator("[data-testid=patient-name]")).ToHaveTextAsync(DemoPatients.SatoKenichi.NameKanji);
        Assert.Equal(1, await RecordViewsAsync(patientId) - before);

        // Drop the connection; Blazor reconnects to the same circuit (no reload: the page's own variable survives).
        await page.EvaluateAsync("window.__mednetMark = 'same page'");
        Assert.True(await page.EvaluateAsync<int>("window.__mednetSockets.filter(s => s.readyState === 1).length") >= 1);
        await page.EvaluateAsync("window.__mednetSockets.forEach(s => s.close())");
        await Eventually.PassAsync(async () =>
            Assert.Equal(1, await page.EvaluateAsync<int>("window.__mednetSockets.filter(s => s.readyState === 1).length")));
        await Assertions.Expect(page.Locator("[data-testid=patient-name]")).ToHaveTextAsync(DemoPatients.SatoKenichi.NameKanji);
        Assert.Equal("same page", await page.EvaluateAsync<string>("window.__mednetMark"));

        // The resumed circuit still answers (a click that reaches the server), and nothing more was recorded for the view.
        await page.Locator("[data-testid=drawer-toggle]").ClickAsync();
        await page.WaitForTimeoutAsync(1000);
        Assert.Equal(1, await RecordViewsAsync(patientId) - before);
    }

    private async Task<int> RecordViewsAsync(string patientId)
    {
        await using var scope = browser.Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var doctor = await db.Users.AsNoTracking().SingleAsync(u => u.Email == "doctor@hospital.example");
        return await db.AuditEntries.CountAsync(e => e.Action == AuditAction.RecordViewed && e.PatientId == patientId && e.ActorUserId == doctor.Id);
    }
}

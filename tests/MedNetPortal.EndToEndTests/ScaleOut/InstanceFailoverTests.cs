using System.Text.RegularExpressions;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Tests.Shared;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Features.Letters.Compose;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.ScaleOut;

/// <summary>
/// Two portal instances on one PostgreSQL behind <see cref="StickyProxy"/>; the browser only ever talks to the proxy. Started
/// once for the class (instance "a" with the demo data, then "b"); skipped without the test PostgreSQL.
/// </summary>
public sealed class TwoInstancesBehindProxy : IAsyncLifetime
{
    private readonly Dictionary<string, PortalServer> running = new(StringComparer.Ordinal);
    private TestPostgresDatabase? portalDb;
    private TestPostgresDatabase? baseDb;

    public StickyProxy Proxy { get; private set; } = null!;

    public IReadOnlyDictionary<string, PortalServer> Running => running;

    public async Task InitializeAsync()
    {
        if (!TestPostgresDatabase.Available)
        {
            return;
        }

        portalDb = await TestPostgresDatabase.CreateAsync("failover_portal");
        baseDb = await TestPostgresDatabase.CreateAsync("failover_base");
        // What several instances must share (docs/deployment.md): the databases, the audit key, the key that encrypts the Data
        // Protection keys in the database; and the proxy is trusted for X-Forwarded-For.
        var shared = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Portal"] = portalDb.ConnectionString,
            ["ConnectionStrings:FhirBase"] = baseDb.ConnectionString,
            ["Audit:HashKey"] = "ZmFpbG92ZXItdGVzdC1zaGFyZWQtYXVkaXQta2V5LTMyYnl0ZXMh",
            ["DataProtection:KeyEncryptionKey"] = "ZmFpbG92ZXItc2hhcmVkLWRwLWtleS0zMi1ieXRlcyE=",
            ["Proxy:KnownProxies"] = "127.0.0.1",
        };
        // A rolling start: "a" migrates the databases and seeds the demo accounts, then "b" starts on them.
        running["a"] = new PortalServer(new Dictionary<string, string?>(shared) { ["Demo:Enabled"] = "true" });
        _ = running["a"].RootUri;
        running["b"] = new PortalServer(new Dictionary<string, string?>(shared) { ["Demo:Enabled"] = "false" });
        _ = running["b"].RootUri;
        Proxy = await StickyProxy.StartAsync(running.ToDictionary(r => r.Key, r => r.Value.RootUri));
    }

    /// <summary>Stops an instance as a deployment would (its host shuts down; circuits and connections close).</summary>
    public async Task StopAsync(string instance)
    {
        await running[instance].DisposeAsync();
        running.Remove(instance);
    }

    public async Task DisposeAsync()
    {
        if (portalDb is null)
        {
            return;
        }

        await Proxy.DisposeAsync();
        foreach (var server in running.Values)
        {
            await server.DisposeAsync();
        }

        await portalDb.DisposeAsync();
        await baseDb!.DisposeAsync();
    }
}

[Collection(BrowserCollection.Name)]
public sealed partial class InstanceFailoverTests(BrowserFixture browser, TwoInstancesBehindProxy cluster) : IClassFixture<TwoInstancesBehindProxy>
{
    [PostgresFact]
    public async Task When_a_clinicians_instance_stops_the_page_continues_on_the_other_with_the_draft_and_the_audit_chain_verifies()
    {
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = cluster.Proxy.RootUri.ToString(),
            Locale = "ja-JP",
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
        });
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "doctor@clinic.example");
        await page.GotoInteractiveAsync("referrals/new");
        await Eventually.PassAsync(() => page.GetByLabel("保険者番号").FillAsync("01130012", new() { Timeout = 2000 }));
        await page.GetByLabel("番号", new() { Exact = true }).FillAsync("9876");
        await page.GetByLabel("患者氏名（漢字）").FillAsync("継続 太郎");
        await page.WaitForURLAsync(DraftUrl());
        var draftUrl = page.Url;
        await page.GetByLabel("紹介目的").FillAsync("インスタンスが止まっても残る紹介目的");
        await SavedAsync(page);

        var first = cluster.Proxy.LastCircuitInstance;
        Assert.NotNull(first);
        var other = cluster.Running.Keys.Single(k => k != first);
        await page.EvaluateAsync("() => { window.mednetBeforeFailover = true; }");
        await cluster.StopAsync(first);

        // The circuit was in the stopped instance's memory. Blazor reconnects through the proxy, which sends it to the other
        // instance; that one does not know the circuit, so the page reloads there (ReconnectModal) and renders from the database.
        await page.WaitForFunctionAsync("() => window.mednetBeforeFailover === undefined", null, new() { Timeout = 120_000 });
        await page.Locator("main[data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        Assert.Equal(draftUrl, page.Url); // still signed in: no detour through the sign-in page
        Assert.Equal(other, cluster.Proxy.LastCircuitInstance);
        await Assertions.Expect(page.GetByLabel("紹介目的")).ToHaveValueAsync("インスタンスが止まっても残る紹介目的");
        await Assertions.Expect(page.GetByLabel("患者氏名（漢字）")).ToHaveValueAsync("継続 太郎");

        // The session goes on there: the next keystrokes are saved by the new circuit.
        await Eventually.PassAsync(() => page.GetByLabel("備考").FillAsync("別のインスタンスで追記", new() { Timeout = 2000 }));
        await SavedAsync(page);

        var survivor = cluster.Running[other];
        await using var scope = survivor.Services.CreateAsyncScope();
        var draftId = Guid.Parse(draftUrl[^36..]);
        var draft = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().ReferralDrafts.AsNoTracking().SingleAsync(d => d.Id == draftId);
        var form = ReferralForm.FromJson(draft.FormJson);
        Assert.Equal("インスタンスが止まっても残る紹介目的", form.Purpose);
        Assert.Equal("別のインスタンスで追記", form.Remarks);

        var report = await scope.ServiceProvider.GetRequiredService<IAuditChainVerifier>().VerifyAsync(CancellationToken.None);
        Assert.True(report.Intact, $"broken at {report.FirstBrokenId}: {report.Problem}");
        Assert.True(report.EntriesChecked > 0);
    }

    private static async Task SavedAsync(IPage page)
    {
        // The debounce fires ~1 s after the last key; then the status shows the save time.
        await page.WaitForTimeoutAsync(1500);
        await Assertions.Expect(page.Locator("[data-testid=save-saved]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-testid=save-status]")).Not.ToContainTextAsync("保存中", new() { Timeout = 15_000 });
    }

    [GeneratedRegex("/referrals/drafts/[0-9a-f-]{36}$")]
    private static partial Regex DraftUrl();
}

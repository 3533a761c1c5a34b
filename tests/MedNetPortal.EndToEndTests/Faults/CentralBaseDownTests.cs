using System.Net;
using System.Net.Sockets;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Demo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Faults;

/// <summary>
/// A stand-in central base on 127.0.0.1 that answers every search with an empty searchset; stopped, its port refuses
/// connections, and it starts again on the same port.
/// </summary>
public sealed class StubCentralBase : IAsyncDisposable
{
    private WebApplication? app;

    public int Port { get; } = FreePort();

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/fhir/");

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        app = builder.Build();
        app.Run(context =>
        {
            context.Response.ContentType = "application/fhir+json";
            return context.Response.WriteAsync("""{"resourceType":"Bundle","type":"searchset","total":0}""");
        });
        await app.StartAsync();
    }

    public async Task StopAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            app = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The portal pointed at <see cref="StubCentralBase"/>, one clinician account, and a headless Chromium.</summary>
public class DownBasePortal : IAsyncLifetime
{
    public const string Email = "doctor2@clinic.example";
    public const string Password = "Outage-Drill-2026!";

    private IPlaywright? playwright;

    public StubCentralBase Base { get; } = new();

    public PortalServer Portal { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>();

    public Task<IBrowserContext> NewContextAsync() => Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = Portal.RootUri.ToString(),
        Locale = "ja-JP",
        ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
    });

    public async Task InitializeAsync()
    {
        await Base.StartAsync();
        // The stub base asks for no token, so the portal has no OAuth client for it.
        var settings = new Dictionary<string, string?>(ExtraSettings) { ["CentralFhir:BaseUrl"] = Base.BaseUri.ToString(), ["CentralFhir:ClientId"] = "" };
        Portal = new PortalServer(settings);
        _ = Portal.RootUri;
        await using (var scope = Portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = new PortalUser
            {
                UserName = Email,
                Email = Email,
                EmailConfirmed = true,
                DisplayName = "障害 試験",
                DisplayNameKana = "ショウガイ シケン",
                FacilityCode = DemoFacilities.Clinic.Code,
                FacilityName = DemoFacilities.Clinic.Name,
                Profession = Profession.Doctor,
            };
            Check(await users.CreateAsync(user, Password));
            Check(await users.AddToRoleAsync(user, PortalRoles.Clinician));
        }

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFixture.ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    private static void Check(IdentityResult result) =>
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Code + ": " + e.Description)));

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        await Portal.DisposeAsync();
        await Base.DisposeAsync();
    }
}

public sealed class CentralBaseDownTests(DownBasePortal fixture) : IClassFixture<DownBasePortal>
{
    [Fact]
    public async Task Base_down_shows_a_message_with_retry_and_retry_works_once_it_is_back_on_the_same_live_page()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, DownBasePortal.Email, DownBasePortal.Password);
        var errorsBefore = PortalErrors().Count;
        await fixture.Base.StopAsync();

        await page.GotoAsync("patients");
        // The normalised value appears only once the circuit is live: typing before that would be lost.
        await Eventually.PassAsync(async () =>
        {
            await page.GetByLabel("まとめて貼り付け").FillAsync("06134522:1234:5678:01");
            Assert.True(await page.Locator("[data-testid=lookup-normalised]").IsVisibleAsync());
        });
        await page.Locator("[data-testid=lookup-submit]").ClickAsync();

        var error = page.Locator("[data-testid=lookup-error]");
        await Assertions.Expect(error).ToContainTextAsync("共有サーバーに接続できません");
        await Assertions.Expect(page.Locator("[data-testid=lookup-retry]")).ToBeVisibleAsync();

        await fixture.Base.StartAsync();
        await page.Locator("[data-testid=lookup-retry]").ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=lookup-not-found]")).ToBeVisibleAsync();
        // Same circuit, still answering: a new value is normalised at once, without a reload.
        await page.GetByLabel("まとめて貼り付け").FillAsync("138057:1:2:");
        await Assertions.Expect(page.Locator("[data-testid=lookup-normalised]")).ToContainTextAsync("00138057:1:2:");
        Assert.Empty(PortalErrors().Skip(errorsBefore));
    }

    // Polly's own events (retries, an opened breaker) are expected telemetry; anything else at Error would be the portal
    // failing to handle the outage.
    private static List<string> PortalErrors() =>
        [.. CapturedLogs.Shared.Lines.Where(l => (l.StartsWith("Error ", StringComparison.Ordinal) || l.StartsWith("Critical ", StringComparison.Ordinal))
            && !l.Contains(" Polly", StringComparison.Ordinal))];
}

/// <summary>The same portal with the production per-account lookup limit lifted and a per-address limit of 2.</summary>
public sealed class AddressLimitedPortal : DownBasePortal
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["RateLimits:LookupPerAddress"] = "2",
    };
}

public sealed class LookupRateLimitTests(AddressLimitedPortal fixture) : IClassFixture<AddressLimitedPortal>
{
    [Fact]
    public async Task The_third_lookup_from_one_address_in_a_live_circuit_says_to_wait()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, DownBasePortal.Email, DownBasePortal.Password);
        await page.GotoAsync("patients");
        await Eventually.PassAsync(async () =>
        {
            await page.GetByLabel("まとめて貼り付け").FillAsync("06134522:1234:5678:01");
            Assert.True(await page.Locator("[data-testid=lookup-normalised]").IsVisibleAsync());
        });

        for (var i = 0; i < 2; i++)
        {
            await page.Locator("[data-testid=lookup-submit]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=lookup-not-found]")).ToBeVisibleAsync();
            await page.GetByLabel("まとめて貼り付け").FillAsync(i == 0 ? "138057:1:2:" : "06134522:1234:5678:01");
            await Assertions.Expect(page.Locator("[data-testid=lookup-not-found]")).ToBeHiddenAsync();
        }

        // The circuit's client address (captured when it opened) is what the per-address budget counts.
        await page.Locator("[data-testid=lookup-submit]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=lookup-error]")).ToContainTextAsync("検索が多すぎます。しばらくしてから");
        await Assertions.Expect(page.Locator("[data-testid=lookup-retry]")).ToBeVisibleAsync();
    }
}

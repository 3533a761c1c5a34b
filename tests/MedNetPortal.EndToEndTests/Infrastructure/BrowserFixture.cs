using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Infrastructure;

/// <summary>
/// One portal server and one headless Debian Chromium (<c>/usr/bin/chromium</c>, never a downloaded browser) shared by every
/// end-to-end test in the <see cref="BrowserCollection"/>. Each test opens its own context (cookies, language) from it.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? playwright;

    // Demo data on: the demo accounts (SignIn.AsAsync) and patients exist.
    public PortalServer Portal { get; } = new(new Dictionary<string, string?> { ["Demo:Enabled"] = "true" });

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        (playwright, Browser) = await LaunchAsync();
        _ = Portal.RootUri;
    }

    /// <summary>Playwright and Debian's headless Chromium, with the flags this machine needs.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"End-to-end tests need Debian's Chromium at {ChromiumPath}: run tests/run.sh (installs it as root) or `apt-get install chromium`.");
        }

        // Expect(...) waits 5 s by default; a busy 2-core CI machine has needed more. Only a failing assertion waits this long.
        Assertions.SetDefaultExpectTimeout(15_000);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
        return (playwright, browser);
    }

    /// <summary>A fresh browser context at 1366×768 whose Accept-Language is <paramref name="locale"/>.</summary>
    public Task<IBrowserContext> NewContextAsync(string locale = "ja-JP") => NewContextAsync(locale, 1366, 768);

    /// <summary>A fresh browser context at a phone's 390×844 whose Accept-Language is <paramref name="locale"/>.</summary>
    public Task<IBrowserContext> NewPhoneContextAsync(string locale = "ja-JP") => NewContextAsync(locale, 390, 844);

    private Task<IBrowserContext> NewContextAsync(string locale, int width, int height) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Portal.RootUri.ToString(),
            Locale = locale,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        await Portal.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

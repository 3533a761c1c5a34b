using System.Diagnostics;
using MedNetPortal.Web.Features.Demo;
using Microsoft.Playwright;

namespace MedNetPortal.LoadDriver;

/// <summary>One simulated clinician: a browser context (ja-JP), one page, one Blazor circuit kept for the whole run.</summary>
internal sealed class Clinician : IAsyncDisposable
{
    private const string RecordShown = "[data-testid=patient-banner]";
    private const string RecordFailed = "[data-testid=record-error]";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly IBrowserContext _context;
    private readonly IPage _page;

    private Clinician(IBrowserContext context, IPage page)
    {
        _context = context;
        _page = page;
    }

    // The browsers share the server's two cores, so the load generator is kept light: no animations or transitions (drawn
    // frame by frame in software with --disable-gpu), as with the "reduce motion" setting a clinician may use.
    private const string NoMotion = """
        document.addEventListener('DOMContentLoaded', () => {
          const style = document.createElement('style');
          style.textContent = '*, *::before, *::after { animation: none !important; transition: none !important; }';
          document.head.appendChild(style);
        });
        """;

    public static async Task<IBrowserContext> NewContextAsync(IBrowser browser, Uri root, string? storageState)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = root.ToString(),
            Locale = "ja-JP",
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
            StorageState = storageState,
            ReducedMotion = ReducedMotion.Reduce,
            // Only so the style above applies; the portal's own CSP is tested by the end-to-end tests, not here.
            BypassCSP = true,
        });
        await context.AddInitScriptAsync(NoMotion);
        return context;
    }

    /// <summary>Signs in (unless a signed-in storage state is given) and opens the first record; the circuit is then live.</summary>
    public static async Task<Clinician> OpenAsync(IBrowser browser, Uri root, string email, string? storageState, string firstPatientId, bool idleOnLookup = false)
    {
        var context = await NewContextAsync(browser, root, storageState);
        context.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
        var page = await context.NewPageAsync();
        if (storageState is null)
        {
            await SignInAsync(page, email);
        }

        if (idleOnLookup)
        {
            await page.GotoAsync("patients");
            await page.Locator("main[data-interactive=true]").WaitForAsync();
            return new Clinician(context, page);
        }

        await page.GotoAsync($"patients/{Uri.EscapeDataString(firstPatientId)}");
        await page.Locator("main[data-interactive=true]").WaitForAsync();
        await WaitForRecordAsync(page);
        return new Clinician(context, page);
    }

    /// <summary>
    /// Leaves the record for the patient lookup, then times an in-circuit navigation (Blazor.navigateTo, as a link click does)
    /// to <paramref name="patientId"/>'s record until its banner is shown. Milliseconds.
    /// </summary>
    public async Task<double> ViewRecordAsync(string patientId)
    {
        await _page.EvaluateAsync("url => Blazor.navigateTo(url)", "patients");
        await _page.Locator(RecordShown).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        var watch = Stopwatch.StartNew();
        await _page.EvaluateAsync("url => Blazor.navigateTo(url)", $"patients/{Uri.EscapeDataString(patientId)}");
        await WaitForRecordAsync(_page);
        return watch.Elapsed.TotalMilliseconds;
    }

    public static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("account/login");
        await page.GetByLabel("メールアドレス").FillAsync(email);
        await page.GetByLabel("パスワード").FillAsync(DemoOptions.DefaultPassword);
        await page.Locator("[data-testid=login-submit]").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
    }

    private static async Task WaitForRecordAsync(IPage page)
    {
        await page.Locator($"{RecordShown}, {RecordFailed}").First.WaitForAsync();
        if (await page.Locator(RecordFailed).CountAsync() > 0)
        {
            throw new InvalidOperationException("The record page showed an error: " + await page.Locator(RecordFailed).First.InnerTextAsync());
        }
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}

using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Infrastructure;

/// <summary>Opening interactive pages so that the next click reaches the server.</summary>
public static class PortalNavigation
{
    /// <summary>
    /// Opens <paramref name="url"/> and waits until its Blazor circuit is live (the layout's <c>main[data-interactive=true]</c>):
    /// a click on the prerendered page before that is lost, which made tests fail only on faster or slower machines.
    /// </summary>
    public static async Task GotoInteractiveAsync(this IPage page, string url)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync(url);
        await page.Locator("main[data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }
}

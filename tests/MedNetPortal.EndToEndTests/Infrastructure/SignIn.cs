using MedNetPortal.Web.Features.Demo;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Infrastructure;

/// <summary>
/// Signs in through the real sign-in form (Japanese labels メールアドレス / パスワード: use a ja-JP context), as a user would.
/// The shared <see cref="BrowserFixture"/> portal runs with demo data, so the demo accounts exist
/// (<c>doctor@hospital.example</c>, <c>doctor@clinic.example</c>, <c>admin@hospital.example</c>, <c>sysadmin@mednet.example</c>).
/// </summary>
public static class SignIn
{
    /// <summary>Opens the sign-in page, signs in, and waits until the portal has left the sign-in page.</summary>
    /// <param name="page">A page of a context whose BaseURL is the portal.</param>
    /// <param name="email">The account.</param>
    /// <param name="password">Its password; the demo password (<c>Demo:Password</c> default) when null.</param>
    public static async Task AsAsync(IPage page, string email, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("account/login");
        await SubmitAsync(page, email, password);
    }

    /// <summary>Fills and submits the sign-in form already on screen (e.g. after a redirect with a ReturnUrl).</summary>
    public static async Task SubmitAsync(IPage page, string email, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GetByLabel("メールアドレス").FillAsync(email);
        await page.GetByLabel("パスワード").FillAsync(password ?? DemoOptions.DefaultPassword);
        await page.Locator("[data-testid=login-submit]").ClickAsync();
        // The form posts and the browser navigates: wait until it has left the sign-in page or shows the error there (waiting
        // for DOMContentLoaded alone could return on the old page, before the post was answered, e.g. behind a proxy).
        await page.WaitForFunctionAsync(
            "() => location.pathname !== '/account/login' || document.querySelector('[data-testid=login-error]') !== null",
            null,
            new() { Timeout = 30_000 });
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        if (page.Url.Contains("/account/login", StringComparison.Ordinal))
        {
            var error = page.Locator("[data-testid=login-error]");
            throw new InvalidOperationException(
                $"Sign-in as {email} failed: {(await error.CountAsync() > 0 ? await error.InnerTextAsync() : "still on the sign-in page")}");
        }
    }
}

using System.Text.RegularExpressions;
using MedNetPortal.EndToEndTests.Infrastructure;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Account;

/// <summary>A portal whose idle timeout is 8 seconds with a 5-second warning, so the test runs in seconds.</summary>
public sealed class ShortIdlePortal : IAsyncLifetime
{
    public PortalServer Portal { get; } = new(new Dictionary<string, string?>
    {
        ["Security:IdleTimeoutSeconds"] = "8",
        ["Security:IdleWarningSeconds"] = "5",
    });

    public Task InitializeAsync()
    {
        _ = Portal.RootUri;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Portal.DisposeAsync();
}

[Collection(BrowserCollection.Name)]
public sealed partial class IdleTimeoutTests(BrowserFixture fixture, ShortIdlePortal idle) : IClassFixture<ShortIdlePortal>
{
    [Fact]
    public async Task Idle_user_is_warned_can_continue_and_is_then_signed_out_to_the_sign_in_page_with_a_way_back()
    {
        var email = await TestAccounts.CreateAsync(idle.Portal.Services, "e2e-idle");
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = idle.Portal.RootUri.ToString(),
            Locale = "ja-JP",
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
        });
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, email, TestAccounts.Password);
        await page.GotoAsync("not-found");

        // The warning: an alert dialog with a countdown and 「続ける」.
        var dialog = page.GetByRole(AriaRole.Alertdialog);
        await Assertions.Expect(dialog).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(dialog).ToContainTextAsync(CountdownText());
        await page.GetByRole(AriaRole.Button, new() { Name = "続ける" }).ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        Assert.EndsWith("/not-found", page.Url, StringComparison.Ordinal);

        // No more activity: warned again, then signed out.
        await Assertions.Expect(page).ToHaveURLAsync(IdleLogin(), new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-testid=login-notice]")).ToHaveTextAsync("一定時間操作がなかったため、サインアウトしました");

        // The session is really over, and signing in again returns to the page.
        await SignIn.SubmitAsync(page, email, TestAccounts.Password);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/not-found$"));
    }

    [GeneratedRegex(@"あと\d+秒でサインアウトします")]
    private static partial Regex CountdownText();

    [GeneratedRegex(@"/account/login\?ReturnUrl=%2Fnot-found&reason=idle$")]
    private static partial Regex IdleLogin();
}

using MedNetPortal.EndToEndTests.Infrastructure;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Web;

[Collection(BrowserCollection.Name)]
public sealed class HomePageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Home_page_shows_the_Japanese_heading_and_the_circuit_makes_it_interactive()
    {
        await using var context = await fixture.NewContextAsync("ja-JP");
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "doctor@hospital.example");

        await page.GotoAsync("/");

        Assert.Equal("医療機関をつなぐ診療情報共有ポータル", (await page.Locator("h1").TextContentAsync())?.Trim());
        Assert.Equal("ja", await page.Locator("html").GetAttributeAsync("lang"));
        await Assertions.Expect(page).ToHaveTitleAsync("ホーム - MedNetPortal");

        // The drawer toggles only when the Blazor circuit handles the click; retry-until-true covers the circuit's start.
        var toggle = page.Locator("[data-testid=drawer-toggle]");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        await Eventually.PassAsync(async () =>
        {
            await toggle.ClickAsync();
            await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false", new() { Timeout = 500 });
        });
    }

    [Fact]
    public async Task Language_menu_switches_to_English_and_the_choice_sticks()
    {
        await using var context = await fixture.NewContextAsync("ja-JP");
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "doctor@hospital.example");
        await page.GotoAsync("/");

        await Eventually.PassAsync(async () =>
        {
            await page.Locator("[data-testid=language-menu] button").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=language-en]")).ToBeVisibleAsync(new() { Timeout = 500 });
        });
        // The menu's popover animates in; on a busy machine it never counted as "stable" within the wait. It is visible.
        await page.Locator("[data-testid=language-en]").ClickAsync(new() { Force = true });

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("The shared-record portal for clinicians");
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("The shared-record portal for clinicians");
        await Assertions.Expect(page).ToHaveTitleAsync("Home - MedNetPortal");
    }
}

using System.Text.Json;
using MedNetPortal.EndToEndTests.Accessibility;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Web.Features.Demo;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Web;

/// <summary>
/// At a phone's width (390 px): the app bar keeps one line with every control on screen and the user menu still named
/// after the person signed in; the page never scrolls sideways; the accounts and audit tables become cards, one labelled
/// line per field, instead of ten squeezed columns.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PhoneLayoutTests(BrowserFixture fixture)
{
    private const float Slow = 30_000;

    [Theory]
    [InlineData(DemoAccounts.HospitalDoctor, "ja-JP")]
    [InlineData(DemoAccounts.SystemAdmin, "ja-JP")]
    [InlineData(DemoAccounts.SystemAdmin, "en-US")]
    public async Task App_bar_keeps_one_line_with_every_control_on_screen_and_the_user_menu_named(string email, string locale)
    {
        var account = DemoAccounts.All.Single(a => a.Email == email);
        await using var context = await fixture.NewPhoneContextAsync(locale);
        var page = await context.NewPageAsync();
        // By the fields' ids: their labels are in the page's language.
        await AccessibilityAuditTests.SignInAsync(page, email);
        await page.GotoInteractiveAsync("/");

        var userMenu = page.GetByRole(AriaRole.Button, new() { Name = account.DisplayName, Exact = true });
        await Assertions.Expect(userMenu).ToBeVisibleAsync(new() { Timeout = Slow });
        var bar = await page.Locator("header.mud-appbar").BoundingBoxAsync();
        Assert.NotNull(bar);
        Assert.True(bar.Height <= 64, $"app bar is {bar.Height} px high: a control wrapped onto several lines");

        // Every control of the bar is inside the screen and inside the bar (a squeezed label once ran down out of it).
        var controls = await page.Locator("header.mud-appbar button, header.mud-appbar a").AllAsync();
        Assert.True(controls.Count >= 4, $"{controls.Count} controls in the app bar");
        foreach (var control in controls)
        {
            var box = await control.BoundingBoxAsync();
            Assert.NotNull(box);
            var name = await control.GetAttributeAsync("aria-label") ?? await control.InnerTextAsync();
            Assert.True(box.X >= 0 && box.X + box.Width <= 390.5, $"'{name}' runs off the screen: x {box.X}, width {box.Width}");
            Assert.True(box.Y >= bar.Y && box.Y + box.Height <= bar.Y + bar.Height + 0.5, $"'{name}' runs out of the app bar: y {box.Y}, height {box.Height}");
        }

        // What shows of the user menu is its person icon, not a slice of the clipped name.
        var label = await userMenu.Locator(".mud-button-label").BoundingBoxAsync();
        var icon = await userMenu.Locator(".mud-button-icon-start svg").BoundingBoxAsync();
        Assert.NotNull(label);
        Assert.NotNull(icon);
        Assert.True(icon.X >= label.X - 0.5 && icon.X + icon.Width <= label.X + label.Width + 0.5,
            $"the user menu's icon (x {icon.X}, width {icon.Width}) is clipped out of its label (x {label.X}, width {label.Width})");
        Assert.True(label.Width <= icon.Width + 1, $"the user menu shows {label.Width - icon.Width} px of the name beside its icon");

        await userMenu.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=user-menu-signout]")).ToBeVisibleAsync(new() { Timeout = Slow });
        await AssertNoSidewaysScrollAsync(page, "/");
    }

    [Fact]
    public async Task Accounts_and_audit_rows_are_cards_of_labelled_lines()
    {
        await using var context = await fixture.NewPhoneContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, DemoAccounts.SystemAdmin);

        await page.GotoInteractiveAsync("admin/accounts");
        await Assertions.Expect(page.Locator("[data-testid=account-row]").First).ToBeVisibleAsync(new() { Timeout = Slow });
        await AssertRowsAreCardsAsync(page, "accounts-table", "account-row", "メールアドレス");
        await AssertNoSidewaysScrollAsync(page, "/admin/accounts");

        await page.GotoInteractiveAsync("admin/audit");
        await Assertions.Expect(page.Locator("[data-testid=audit-row]").First).ToBeVisibleAsync(new() { Timeout = Slow });
        await AssertRowsAreCardsAsync(page, "audit-table", "audit-row", "アカウント");
        await AssertNoSidewaysScrollAsync(page, "/admin/audit");
    }

    [Fact]
    public async Task The_record_page_fits_the_screen_and_who_viewed_rows_are_cards()
    {
        var patientId = await DemoSeeding.PatientIdAsync(fixture.Portal, DemoPatients.SuzukiTome);
        await using var context = await fixture.NewPhoneContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, DemoAccounts.HospitalDoctor);

        await page.GotoInteractiveAsync($"patients/{patientId}");
        await Assertions.Expect(page.Locator("[data-testid=who-viewed-row]").First).ToBeVisibleAsync(new() { Timeout = Slow });
        await Assertions.Expect(page.Locator("[data-testid=letter-row]").First).ToBeVisibleAsync(new() { Timeout = Slow });
        await AssertRowsAreCardsAsync(page, "who-viewed-table", "who-viewed-row", "閲覧した項目");
        await AssertNoSidewaysScrollAsync(page, "/patients/{Id}");
    }

    /// <summary>
    /// Each cell of the first row is a line of its own, led by its column's heading, and wide enough to read: the column
    /// <paramref name="wideColumn"/> (an e-mail address or a name with one) is not broken letter by letter.
    /// </summary>
    private static async Task AssertRowsAreCardsAsync(IPage page, string table, string row, string wideColumn)
    {
        var json = await page.EvaluateAsync<JsonElement>(
            """
            ([table, row]) => {
              const headings = [...document.querySelectorAll(`[data-testid=${table}] thead th`)].map(th => th.textContent.trim());
              const cells = [...document.querySelector(`[data-testid=${table}] [data-testid=${row}]`).querySelectorAll('td')];
              return cells.map((td, i) => {
                const style = getComputedStyle(td);
                return {
                  heading: headings[i],
                  label: getComputedStyle(td, '::before').content.replace(/^"|"$/g, ''),
                  display: style.display,
                  width: td.getBoundingClientRect().width,
                  // A column name longer than its place must grow the line, not spill over the next one.
                  overflow: td.scrollHeight - td.clientHeight,
                };
              });
            }
            """,
            new[] { table, row });
        var cells = json.EnumerateArray().Select(c => new CardCell(
            c.GetProperty("heading").GetString()!, c.GetProperty("label").GetString()!, c.GetProperty("display").GetString()!,
            c.GetProperty("width").GetDouble(), c.GetProperty("overflow").GetDouble())).ToList();
        Assert.NotEmpty(cells);
        foreach (var cell in cells.Where(c => c.Display != "none"))
        {
            Assert.Equal("block", cell.Display);
            Assert.Equal(cell.Heading, cell.Label);
            Assert.True(cell.Width > 300, $"the '{cell.Heading}' line is {cell.Width} px wide");
            Assert.True(cell.Overflow <= 1, $"the '{cell.Heading}' line spills {cell.Overflow} px over the next one");
        }

        Assert.Contains(cells, c => c.Heading == wideColumn && c.Display == "block");
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page, string route)
    {
        var overflow = await page.EvaluateAsync<double>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"{route} scrolls sideways by {overflow} px at a phone's width");
    }

    private sealed record CardCell(string Heading, string Label, string Display, double Width, double Overflow);
}

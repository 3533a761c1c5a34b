using System.Text.Json;
using MedNetPortal.EndToEndTests.Accessibility;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Web.Features.Demo;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Web;

/// <summary>
/// At a desktop's width the accounts and audit tables (ten columns) keep their words whole: no column name or value is
/// split inside a word ("Facilit|y"), except ids, e-mail addresses and details, which may break anywhere.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WideTableLayoutTests(BrowserFixture fixture)
{
    private const float Slow = 30_000;

    // Each word of a cell's text (Latin words; Japanese breaks between any characters anyway) against the cell's content
    // width, measured in the cell's own font.
    private const string SplitWordsScript =
        """
        (table) => {
          const canvas = document.createElement('canvas').getContext('2d');
          const split = [];
          const cells = document.querySelectorAll(`[data-testid=${table}] thead th, [data-testid=${table}] tbody tr:first-child td`);
          for (const cell of cells) {
            if (cell.matches('.audit-mono, .audit-detail')) continue;
            const style = getComputedStyle(cell);
            canvas.font = style.font;
            const width = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            const text = [...cell.childNodes].filter(n => n.nodeType === Node.TEXT_NODE || !n.matches?.('[lang=en]'))
              .map(n => n.textContent).join(' ');
            // A hyphen is a place to break ("Sign-|in"), so the parts around it count as words.
            for (const word of text.split(/[\s-]+/).filter(w => /^[A-Za-z()]{2,}$/.test(w))) {
              if (canvas.measureText(word).width > width + 0.5) split.push(`${word} (${Math.round(canvas.measureText(word).width)} px in ${Math.round(width)} px)`);
            }
          }
          return split;
        }
        """;

    [Theory]
    [InlineData("admin/accounts", "accounts-table", "account-row")]
    [InlineData("admin/audit", "audit-table", "audit-row")]
    public async Task Wide_admin_tables_keep_their_words_whole_in_English(string route, string table, string row)
    {
        await using var context = await fixture.NewContextAsync("en-US");
        var page = await context.NewPageAsync();
        await AccessibilityAuditTests.SignInAsync(page, DemoAccounts.SystemAdmin);

        await page.GotoInteractiveAsync(route);
        await Assertions.Expect(page.Locator($"[data-testid={row}]").First).ToBeVisibleAsync(new() { Timeout = Slow });
        var split = await page.EvaluateAsync<JsonElement>(SplitWordsScript, table);

        Assert.True(split.GetArrayLength() == 0, $"{route}: words split inside: {split}");
    }
}

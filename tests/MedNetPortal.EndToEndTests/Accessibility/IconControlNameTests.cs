using System.Text.Json;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.EndToEndTests.Screenshots;
using MedNetPortal.Web.Features.Demo;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Accessibility;

/// <summary>
/// Controls that show only an icon are named for screen readers, in the page's language, through the portal's resources;
/// and the screenshots of the skip link and the inbox's unread marker (docs/screenshots).
/// </summary>
[Collection(AccessibilityCollection.Name)]
public sealed class IconControlNameTests(BrowserFixture browser)
{
    private const float Slow = 30_000;

    /// <summary>Every button or link without visible text, with the name a screen reader would read (aria-labelledby, aria-label, title).</summary>
    private const string IconControlsScript = """
        () => [...document.querySelectorAll('button, a[href], [role=button], [role=menuitem]')]
          .filter(e => e.offsetParent !== null && e.innerText.trim() === '')
          .map(e => ({
            html: e.outerHTML.slice(0, 160),
            name: ((e.getAttribute('aria-labelledby') ?? '').split(' ').map(id => document.getElementById(id)?.textContent ?? '').join(' ').trim()
                   || e.getAttribute('aria-label') || e.getAttribute('title') || [...e.querySelectorAll('img[alt]')].map(i => i.alt).join(' ')).trim(),
          }))
        """;

    [Theory]
    [InlineData("ja", "このページを印刷", "メニューの表示を切り替える", "表示言語", "紹介状を開く・閉じる")]
    [InlineData("en", "Print this page", "Show or hide the menu", "Display language", "Show or hide Referral letters")]
    public async Task Every_icon_only_control_has_a_localised_accessible_name(string language, string print, string menu, string languages, string group)
    {
        var suzuki = await DemoSeeding.PatientIdAsync(browser.Portal, DemoPatients.SuzukiTome);
        await using var context = await AccessibilityAuditTests.ContextAsync(browser, language);
        var page = await context.NewPageAsync();
        await AccessibilityAuditTests.SignInAsync(page, "doctor@hospital.example");

        var problems = new List<string>();
        foreach (var (url, ready) in new[]
        {
            ("", "main[data-interactive=true]"),
            ($"patients/{suzuki}", "[data-testid=labs-row]"),
            ("referrals/new", "[data-testid=preview-button]"),
            ("referrals/inbox", "[data-testid=mailbox-table], [data-testid=mailbox-empty]"),
        })
        {
            await page.GotoInteractiveAsync(url);
            await Assertions.Expect(page.Locator(ready).First).ToBeAttachedAsync(new() { Timeout = Slow });
            // Found by their names, as a screen reader user (or a test) finds them.
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = print, Exact = true })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = menu, Exact = true })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = languages, Exact = true })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = group, Exact = true })).ToBeVisibleAsync();

            var controls = await page.EvaluateAsync<JsonElement>(IconControlsScript);
            Assert.NotEqual(0, controls.GetArrayLength());
            foreach (var control in controls.EnumerateArray())
            {
                var name = control.GetProperty("name").GetString() ?? string.Empty;
                var html = control.GetProperty("html").GetString();
                if (name.Length == 0)
                {
                    problems.Add($"{url}: no accessible name: {html}");
                }
                else if (language == "ja" && !name.Any(c => c is >= '\u3040' and <= '\u30ff' or >= '\u4e00' and <= '\u9fff'))
                {
                    problems.Add($"{url}: name \"{name}\" is not Japanese: {html}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [ScreenshotFact]
    public async Task Screenshots_of_the_skip_link_and_the_inbox_unread_marker()
    {
        var folder = Path.GetFullPath(Environment.GetEnvironmentVariable(ScreenshotTests.FolderVariable)!);
        Directory.CreateDirectory(folder);
        await DemoSeeding.PatientIdAsync(browser.Portal, DemoPatients.SuzukiTome);
        foreach (var language in new[] { "ja", "en" })
        {
            await using var context = await AccessibilityAuditTests.ContextAsync(browser, language);
            var page = await context.NewPageAsync();
            await AccessibilityAuditTests.SignInAsync(page, "doctor@hospital.example");
            await page.GotoInteractiveAsync("patients");
            await page.EvaluateAsync("() => { const b = document.body; b.setAttribute('tabindex', '-1'); b.focus(); b.removeAttribute('tabindex'); }");
            await page.Keyboard.PressAsync("Tab");
            await Assertions.Expect(page.GetByTestId("skip-link")).ToBeFocusedAsync();
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"40-skip-link-focused-{language}-desktop.png") });

            // The demo letters are seeded in the background after start-up: reload until one has arrived.
            var unread = page.Locator("[data-testid=mailbox-row].mailbox-unread").First;
            await Eventually.PassAsync(async () =>
            {
                await page.GotoInteractiveAsync("referrals/inbox");
                await Assertions.Expect(unread).ToBeVisibleAsync(new() { Timeout = 5000 });
            }, TimeSpan.FromMinutes(3));
            await Assertions.Expect(unread.Locator("[data-testid=mailbox-unread-icon]")).ToBeVisibleAsync();
            await page.Locator("[data-testid=mailbox-table]").ScreenshotAsync(new() { Path = Path.Combine(folder, $"41-inbox-unread-{language}-desktop.png") });
        }
    }
}

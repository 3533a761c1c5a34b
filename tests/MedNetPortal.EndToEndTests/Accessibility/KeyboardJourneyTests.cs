using System.Text.Json;
using System.Text.RegularExpressions;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Web.Features.Demo;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Accessibility;

/// <summary>
/// Keyboard only (Tab, Shift+Tab, Enter, Space, Escape and typing; no click, no fill): the skip link, visible focus on
/// every element focus reaches, no trap in menus and dialogs, and the lookup → record → compose → send journey.
/// </summary>
[Collection(AccessibilityCollection.Name)]
public sealed class KeyboardJourneyTests(BrowserFixture browser)
{
    private const float Slow = 30_000;

    /// <summary>The focused element, whether its focus shows (an outline or a box shadow), and what it is.</summary>
    private const string FocusScript = """
        () => {
          const e = document.activeElement;
          if (!e || e === document.body) return null;
          const s = getComputedStyle(e);
          const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
          return {
            describe: `${e.tagName.toLowerCase()}#${e.id} [${e.getAttribute('data-testid') ?? ''}] ${(e.getAttribute('aria-label') ?? e.textContent ?? '').trim().slice(0, 40)}`,
            visible: outline || (s.boxShadow !== 'none' && s.boxShadow !== ''),
            style: `outline: ${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}; box-shadow: ${s.boxShadow}`,
          };
        }
        """;

    [Theory]
    [InlineData("ja", "本文へスキップ")]
    [InlineData("en", "Skip to main content")]
    public async Task The_skip_link_is_the_first_focusable_element_and_moves_focus_to_main(string language, string text)
    {
        await using var context = await AccessibilityAuditTests.ContextAsync(browser, language);
        var page = await context.NewPageAsync();

        // A static account page (the browser's fragment navigation) …
        await page.GotoAsync("account/login");
        await ResetFocusToDocumentStartAsync(page);
        await page.Keyboard.PressAsync("Tab");
        await AssertFocusedAsync(page, "[data-testid=skip-link]");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = text, Exact = true })).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByTestId("skip-link")).ToBeInViewportAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("main#main")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator("#login-email")).ToBeFocusedAsync();

        // … and an interactive page (the layout moves focus itself).
        await page.Keyboard.TypeAsync("doctor@hospital.example");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(DemoOptions.DefaultPassword);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/", new() { Timeout = Slow });
        await page.GotoInteractiveAsync("patients");
        // The router's FocusOnNavigate puts focus on the h1 once the page is interactive; wait for it, or it lands after the
        // reset below and the Tab starts from the heading (seen in CI).
        await Assertions.Expect(page.Locator("main h1").First).ToBeFocusedAsync();
        await ResetFocusToDocumentStartAsync(page);
        await page.Keyboard.PressAsync("Tab");
        await AssertFocusedAsync(page, "[data-testid=skip-link]");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = text, Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("main#main")).ToBeFocusedAsync();
        Assert.EndsWith("/patients", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        // The next Tab lands inside main, past the app bar and the menu.
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await page.EvaluateAsync<bool>("() => document.getElementById('main').contains(document.activeElement)"),
            "After the skip link, Tab should reach the page's own content.");
    }

    [Fact]
    public async Task Lookup_record_compose_and_send_with_the_keyboard_only_with_visible_focus_and_no_trap()
    {
        await DemoSeeding.PatientIdAsync(browser.Portal, DemoPatients.SuzukiTome);
        await using var context = await AccessibilityAuditTests.ContextAsync(browser, "ja");
        var page = await context.NewPageAsync();
        await AccessibilityAuditTests.SignInAsync(page, "doctor@hospital.example");
        await page.Locator("main[data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = Slow });
        await Assertions.Expect(page.Locator("main h1").First).ToBeFocusedAsync(); // FocusOnNavigate, before the reset
        await ResetFocusToDocumentStartAsync(page);

        // Menus: the language menu opens with Enter (focus moves to its first item), Escape closes it and gives focus back.
        await TabToAsync(page, "[data-testid=language-menu] button");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("language-en")).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => document.activeElement?.getAttribute('role') === 'menuitem'");
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(page.GetByTestId("language-en")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.GetByTestId("language-en")).ToBeHiddenAsync();
        await AssertFocusedAsync(page, "[data-testid=language-menu] button");
        // The user menu, named by the user; Tab leaves the open menu and closes it.
        await TabToAsync(page, "[data-testid=user-menu] button");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "青木 誠一", Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("user-menu-2fa")).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => document.activeElement?.getAttribute('role') === 'menuitem'");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.GetByTestId("user-menu-2fa")).ToBeHiddenAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("user-menu-2fa")).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => document.activeElement?.getAttribute('role') === 'menuitem'");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByTestId("user-menu-2fa")).ToBeHiddenAsync();

        // The menu's patient lookup link.
        await TabToAsync(page, "#portal-nav a[href='patients']");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/patients", new() { Timeout = Slow });
        await page.Locator("main[data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = Slow });

        // Lookup: the pasted identifier, Enter submits.
        await TabToAsync(page, "#lookup-pasted");
        await page.Keyboard.TypeAsync(DemoPatients.SuzukiTome.QualificationIdentifier);
        await Assertions.Expect(page.Locator("[data-testid=lookup-normalised]")).ToBeVisibleAsync(new() { Timeout = Slow });
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex("/patients/[A-Za-z0-9.-]+$"), new() { Timeout = Slow });
        await Assertions.Expect(page.Locator("[data-testid=patient-name]")).ToHaveTextAsync(DemoPatients.SuzukiTome.NameKanji, new() { Timeout = Slow });
        await Assertions.Expect(page.Locator("[data-testid=labs-row]").First).ToBeVisibleAsync(new() { Timeout = Slow });

        // Record: a lab trend opens with Space, the timeline with Enter, and back to the groups with Shift+Tab, Enter.
        await TabToAsync(page, "[data-testid=lab-trend-toggle]");
        await page.Keyboard.PressAsync(" ");
        await Assertions.Expect(page.Locator("[data-testid=lab-trend]")).ToBeVisibleAsync(new() { Timeout = Slow });
        await ResetFocusToDocumentStartAsync(page);
        await TabToAsync(page, "[data-testid=view-timeline]");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("[data-testid=timeline]")).ToBeVisibleAsync(new() { Timeout = Slow });
        await page.Keyboard.PressAsync("Shift+Tab");
        await AssertFocusedAsync(page, "[data-testid=view-groups]");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("[data-testid=prescriptions]")).ToBeVisibleAsync(new() { Timeout = Slow });

        // Compose from the record.
        await TabToAsync(page, "[data-testid=compose-referral]");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex("/referrals/drafts/[0-9a-f-]{36}$"), new() { Timeout = Slow });
        await Assertions.Expect(page.Locator("[data-testid=patient-from-base]")).ToBeVisibleAsync(new() { Timeout = Slow });
        await TabToAsync(page, "#ref-destination-search");
        await page.Keyboard.TypeAsync(DemoFacilities.ClinicCode);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("[data-testid=destination-result]").First).ToBeVisibleAsync(new() { Timeout = Slow });
        await TabToAsync(page, "[data-testid=destination-result] button");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("[data-testid=destination-picked]")).ToContainTextAsync(DemoFacilities.Clinic.Name, new() { Timeout = Slow });
        await TypeIntoAsync(page, "#ref-destination-doctor", "森 一郎");
        await TypeIntoAsync(page, "#ref-purpose", "高血圧症の継続加療をお願いいたします。");
        await TypeIntoAsync(page, "#ref-diagnoses", "高血圧症");
        await TypeIntoAsync(page, "#ref-present-illness", "アムロジピン5mg内服で血圧は安定しています。");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator("[data-testid=save-saved]")).ToBeVisibleAsync(new() { Timeout = Slow });

        // Send.
        await TabToAsync(page, "[data-testid=send-button]");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("[data-testid=send-success]")).ToBeVisibleAsync(new() { Timeout = 60_000 });

        // No trap anywhere on the page: Tab goes all the way round, back to the skip link.
        await ResetFocusToDocumentStartAsync(page);
        await page.Keyboard.PressAsync("Tab");
        await AssertFocusedAsync(page, "[data-testid=skip-link]");
        var steps = 0;
        do
        {
            await page.Keyboard.PressAsync("Tab");
            steps++;
            Assert.True(steps < 400, "Tab never came back to the skip link: a keyboard trap, or an endless page.");
        }
        while (!await page.EvaluateAsync<bool>("() => document.activeElement?.matches('[data-testid=skip-link]') === true"));
    }

    [Fact]
    public async Task A_dialog_opened_with_the_keyboard_closes_with_Escape_and_focus_goes_on()
    {
        await using var context = await AccessibilityAuditTests.ContextAsync(browser, "ja");
        var page = await context.NewPageAsync();
        await AccessibilityAuditTests.SignInAsync(page, "doctor@clinic.example");
        // A draft to delete (made through the page, as a user would).
        await page.GotoInteractiveAsync("referrals/new");
        await Eventually.PassAsync(async () =>
        {
            await page.Locator("#ref-purpose").FillAsync("ダイアログ確認", new() { Timeout = 2000 });
            await Assertions.Expect(page.Locator("[data-testid=save-saved]")).ToBeVisibleAsync(new() { Timeout = 5000 });
        });
        await page.GotoInteractiveAsync("referrals/drafts");
        await Assertions.Expect(page.Locator("[data-testid=draft-delete]").First).ToBeVisibleAsync(new() { Timeout = Slow });
        await ResetFocusToDocumentStartAsync(page);
        await TabToAsync(page, "[data-testid=draft-delete]");
        await page.Keyboard.PressAsync("Enter");
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => !!document.activeElement?.closest('[role=dialog]')");
        // Focus is in the dialog, Tab stays within it (modal), and Escape closes it without deleting.
        await Eventually.PassAsync(async () =>
        {
            await page.Keyboard.PressAsync("Tab");
            Assert.True(await page.EvaluateAsync<bool>("() => !!document.activeElement?.closest('[role=dialog]')"), "Focus should be in the dialog.");
        });
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("[data-testid=draft-row]").First).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Tab");
        Assert.False(await page.EvaluateAsync<bool>("() => !!document.activeElement?.closest('[role=dialog]')"));
    }

    /// <summary>
    /// Focus on the document itself, so the next Tab goes to its first focusable element, as when the page was just opened
    /// from the address bar (the router otherwise puts focus on the page's h1 after loading).
    /// </summary>
    private static Task ResetFocusToDocumentStartAsync(IPage page) =>
        page.EvaluateAsync("() => { const b = document.body; b.setAttribute('tabindex', '-1'); b.focus(); b.removeAttribute('tabindex'); }");

    /// <summary>Presses Tab until <paramref name="selector"/> has focus; every element passed on the way shows its focus.</summary>
    private static async Task TabToAsync(IPage page, string selector, int limit = 150)
    {
        var passed = new List<string>();
        for (var i = 0; i < limit; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focus = await FocusAsync(page);
            if (focus is null)
            {
                continue;
            }

            passed.Add(focus.Value.Describe);
            Assert.True(focus.Value.Visible, $"No visible focus on {focus.Value.Describe} ({focus.Value.Style}).");
            if (await page.EvaluateAsync<bool>($"() => document.activeElement?.matches({JsonSerializer.Serialize(selector)}) === true"))
            {
                return;
            }
        }

        Assert.Fail($"Tab never reached {selector} in {limit} presses; it passed: {string.Join(" → ", passed)}");
    }

    private static async Task TypeIntoAsync(IPage page, string selector, string text)
    {
        await TabToAsync(page, selector);
        await page.Keyboard.TypeAsync(text);
    }

    private static async Task AssertFocusedAsync(IPage page, string selector)
    {
        var focus = await FocusAsync(page);
        Assert.True(focus is not null, $"Nothing has focus; expected {selector}.");
        Assert.True(await page.EvaluateAsync<bool>($"() => document.activeElement?.matches({JsonSerializer.Serialize(selector)}) === true"),
            $"Focus is on {focus.Value.Describe}, expected {selector}.");
        Assert.True(focus.Value.Visible, $"No visible focus on {focus.Value.Describe} ({focus.Value.Style}).");
    }

    private static async Task<(string Describe, bool Visible, string Style)?> FocusAsync(IPage page)
    {
        var result = await page.EvaluateAsync<JsonElement?>(FocusScript);
        if (result is not { ValueKind: JsonValueKind.Object } focus)
        {
            return null;
        }

        return (focus.GetProperty("describe").GetString()!, focus.GetProperty("visible").GetBoolean(), focus.GetProperty("style").GetString()!);
    }
}

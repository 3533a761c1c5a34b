using System.Globalization;
using System.Reflection;
using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Components;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Accessibility;

/// <summary>
/// Runs axe-core (Deque.AxeCore.Playwright) on pages at WCAG 2.2 AA and collects every violation with its rule, impact,
/// targets and help, plus which route templates were audited, so a test can fail once with all of them.
/// </summary>
public sealed class AxeAudit
{
    /// <summary>WCAG 2.0, 2.1 and 2.2 at levels A and AA (2.2 adds AA rules only).</summary>
    public static readonly IReadOnlyList<string> Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

    // Read once from the assembly: the audit asks for every page state it visits.
    private static readonly Lazy<IReadOnlyDictionary<string, bool>> InteractiveByRoute = new(() =>
        typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>(inherit: false)
                .Select(r => (r.Template, Interactive: t.GetCustomAttribute<ExcludeFromInteractiveRoutingAttribute>() is null)))
            .ToDictionary(r => r.Template, r => r.Interactive, StringComparer.Ordinal));

    private readonly List<string> violations = [];
    private readonly HashSet<string> audited = new(StringComparer.Ordinal);
    private readonly string language;
    private readonly string label;

    /// <param name="language">The language the pages are shown in (checked against <c>&lt;html lang&gt;</c>).</param>
    /// <param name="phone">Whether the pages are shown at a phone's width (390 px), where the layout differs.</param>
    public AxeAudit(string language, bool phone = false)
    {
        this.language = language;
        Phone = phone;
        label = phone ? language + " phone" : language;
    }

    public string Language => language;

    public bool Phone { get; }

    public IReadOnlyCollection<string> AuditedRoutes => audited;

    public int PagesAudited { get; private set; }

    /// <summary>
    /// Every routable page of the portal: the templates of its components' <see cref="RouteAttribute"/>s (what
    /// <c>@page</c> compiles to), so a new page is in this list the moment it exists.
    /// </summary>
    public static IReadOnlySet<string> RoutablePages() =>
        typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>(inherit: false))
            .Select(r => r.Template)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Audits the page as it is now, as the state <paramref name="state"/> of the page routed by <paramref name="route"/>
    /// (its <c>@page</c> template); also checks that the document's language is the one the page is shown in.
    /// </summary>
    public async Task PageAsync(IPage page, string route, string state)
    {
        ArgumentNullException.ThrowIfNull(page);
        audited.Add(route);
        PagesAudited++;
        var lang = await page.EvaluateAsync<string>("() => document.documentElement.lang");
        if (lang != language)
        {
            violations.Add($"[{label}] {route} ({state}): <html lang=\"{lang}\">, expected \"{language}\"");
        }

        // A lone brace or an unrendered Razor expression is text no page means to show (a "}" once sat under the audit table,
        // left over when a component was split out of its page).
        var stray = await page.EvaluateAsync<string[]>(
            """
            () => document.body.innerText.split('\n').map(l => l.trim())
              .filter(l => l === '{' || l === '}' || l.includes('@L[') || l.includes('@(') || l.includes('@code'))
            """);
        foreach (var line in stray)
        {
            violations.Add($"[{label}] {route} ({state}): stray Razor text on the page: \"{line}\"");
        }

        // Contrast is judged in the page's resting state: a button still fading between colours after a click (MudBlazor's
        // 0.25 s transitions) is measured mid-way otherwise, and fails or passes by timing. Finite animations only: a
        // loading spinner never ends.
        await page.EvaluateAsync(
            """
            () => Promise.race([
              Promise.all(document.getAnimations()
                .filter(a => Number.isFinite(a.effect?.getComputedTiming().endTime ?? Infinity))
                .map(a => a.finished.catch(() => null))),
              new Promise(resolve => setTimeout(resolve, 3000)),
            ])
            """);
        // Blazor's HeadOutlet writes <title> again when the circuit starts: its first interactive render is empty until the
        // page's <PageTitle> renders. So on an interactive page, wait for the circuit (the layout's main says so once live)
        // and then for a title (up to 10 s). A prerendered title seen before the circuit starts proves nothing (CI: /not-found
        // was audited in that instant). A page that never gets a title still fails axe's document-title rule.
        if (IsInteractive(route))
        {
            await page.Locator("main[data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        }

        await page.EvaluateAsync(
            """
            () => new Promise(resolve => {
              const end = Date.now() + 10000;
              const check = () => (document.title.trim().length > 0 || Date.now() > end) ? resolve(null) : setTimeout(check, 50);
              check();
            })
            """);
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. Tags] },
            // Only what axe can decide: "incomplete" (needs review) results are not failures, as in axe's own CLI.
            ResultTypes = [ResultType.Violations],
        });
        foreach (var violation in result.Violations)
        {
            var text = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"[{label}] {route} ({state}) {page.Url}: {violation.Id} ({violation.Impact}): {violation.Help} <{violation.HelpUrl}>");
            foreach (var node in violation.Nodes.Take(8))
            {
                text.Append(CultureInfo.InvariantCulture, $"\n    {node.Target}: {Shorten(node.Html)}");
                // axe's failure summary: every "all" and "none" check that failed, and the "any" checks of which none passed.
                var checks = (node.All ?? []).Concat(node.None ?? []).Concat(node.Any ?? []).Select(c => c.Message).Where(m => !string.IsNullOrWhiteSpace(m));
                foreach (var message in checks.Distinct().Take(3))
                {
                    text.Append(CultureInfo.InvariantCulture, $"\n      {message.ReplaceLineEndings(" ")}");
                }
            }

            if (violation.Nodes.Length > 8)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n    … and {violation.Nodes.Length - 8} more");
            }

            violations.Add(text.ToString());
        }
    }

    /// <summary>
    /// Whether the page routed by <paramref name="route"/> runs in a circuit: every page does except those marked
    /// <see cref="ExcludeFromInteractiveRoutingAttribute"/> (sign-in and error pages), which App.razor renders statically.
    /// </summary>
    public static bool IsInteractive(string route) => InteractiveByRoute.Value[route];


    /// <summary>Fails with every violation found and every routable page that was not audited.</summary>
    public void AssertClean()
    {
        var missing = RoutablePages().Where(r => !audited.Contains(r)).Order(StringComparer.Ordinal).ToList();
        var problems = new List<string>(violations);
        if (missing.Count > 0)
        {
            problems.Add($"[{label}] routable pages not audited (add them to the audit): {string.Join(", ", missing)}");
        }

        Assert.True(problems.Count == 0,
            $"{problems.Count} accessibility problem(s) on {PagesAudited} audited page states:\n\n{string.Join("\n\n", problems)}");
    }

    private static string Shorten(string? html) =>
        html is null ? string.Empty : html.Length <= 240 ? html : html[..240] + "…";
}

using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace MedNetPortal.ComponentTests;

/// <summary>
/// What a state looks like to a person: exactly one element, with text to read or a name a screen reader says. Replaces
/// a not-null check on <c>cut.Find(…)</c>, which restates what <c>Find</c> already checks and passes on an empty box.
/// </summary>
internal static class Shown
{
    public static IElement One(IEnumerable<IElement> matches)
    {
        var element = Assert.Single(matches);
        if (element is IHtmlInputElement or IHtmlSelectElement or IHtmlTextAreaElement)
        {
            // A field is named by its label; the tests that find fields check the label too.
            return element;
        }

        var perceivable = element.TextContent.Trim().Length > 0
                          || !string.IsNullOrWhiteSpace(element.GetAttribute("aria-label"))
                          || element.QuerySelectorAll("[aria-label]").Any(e => !string.IsNullOrWhiteSpace(e.GetAttribute("aria-label")));
        Assert.True(perceivable, $"<{element.LocalName}> shows nothing to read or hear: {element.OuterHtml}");
        return element;
    }
}

using System.Net;
using System.Text.RegularExpressions;

namespace MedNetPortal.Web.Features.Patients;

/// <summary>A narrative's plain text for a list row (never HTML: the document page renders the sanitised narrative).</summary>
internal static partial class NarrativePlainText
{
    /// <summary>The narrative's text: tags dropped, line breaks kept as spaces, entities decoded. Never HTML.</summary>
    public static string? Of(string? xhtml)
    {
        if (string.IsNullOrWhiteSpace(xhtml))
        {
            return null;
        }

        var withBreaks = BreakTag().Replace(xhtml, " ");
        var text = WebUtility.HtmlDecode(AnyTag().Replace(withBreaks, string.Empty));
        text = Whitespace().Replace(text, " ").Trim();
        return text.Length == 0 ? null : text;
    }

    public static string? FirstLine(string? xhtml)
    {
        if (string.IsNullOrWhiteSpace(xhtml))
        {
            return null;
        }

        var first = BreakTag().Split(xhtml)[0];
        return Of(first);
    }

    [GeneratedRegex(@"<br\s*/?>|</(p|div|li|tr)>", RegexOptions.IgnoreCase)]
    private static partial Regex BreakTag();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex AnyTag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

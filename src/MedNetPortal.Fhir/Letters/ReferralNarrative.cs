using System.Text;

namespace MedNetPortal.Fhir.Letters;

/// <summary>Turns form text into an XHTML narrative div: everything escaped, line breaks as <c>&lt;br/&gt;</c>.</summary>
internal static class ReferralNarrative
{
    private const string DivStart = "<div xmlns=\"http://www.w3.org/1999/xhtml\">";

    public static string Div(IEnumerable<string?> lines)
    {
        var builder = new StringBuilder(DivStart);
        var first = true;
        foreach (var line in lines)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (!first)
            {
                builder.Append("<br/>");
            }

            AppendEscaped(builder, line);
            first = false;
        }

        return builder.Append("</div>").ToString();
    }

    public static string Div(string text) => Div([text]);

    /// <summary>Escapes markup, keeps line breaks as <c>&lt;br/&gt;</c> and drops characters XML 1.0 cannot hold.</summary>
    private static void AppendEscaped(StringBuilder builder, string text)
    {
        var trimmed = text.Trim();
        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            switch (c)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '"': builder.Append("&quot;"); break;
                case '\'': builder.Append("&#39;"); break;
                case '\r':
                    builder.Append("<br/>");
                    if (i + 1 < trimmed.Length && trimmed[i + 1] == '\n')
                    {
                        i++;
                    }

                    break;
                case '\n' or '\u2028' or '\u2029': builder.Append("<br/>"); break;
                case '\t': builder.Append(' '); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < trimmed.Length && char.IsLowSurrogate(trimmed[i + 1]))
                    {
                        builder.Append(c).Append(trimmed[++i]);
                    }
                    else if (!char.IsSurrogate(c) && c >= ' ' && c is not ('\uFFFE' or '\uFFFF') && !(c >= '\u007F' && c <= '\u009F'))
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }
    }
}

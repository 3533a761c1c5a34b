using System.Net;
using System.Text;
using System.Xml;

namespace MedNetPortal.Web.Features.Documents;

/// <summary>
/// Turns a FHIR narrative (<c>Narrative.div</c>, XHTML) into HTML that is safe to render as a <c>MarkupString</c>:
/// an allowlist of elements and attributes, nothing that runs and nothing that loads. Narratives come from any
/// facility's system, so they are treated as hostile.
/// </summary>
/// <remarks>
/// The narrative is parsed as XML (no DTDs, no external entities) and re-serialised from scratch, so the output
/// never contains markup the sanitiser did not write itself. Text that is not well-formed XHTML is shown as escaped
/// plain text. Images are never loaded: one that points into the document is replaced by its alternative text.
/// </remarks>
public static class NarrativeSanitizer
{
    private const string XhtmlNamespace = "http://www.w3.org/1999/xhtml";
    private const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";
    private const int MaxDepth = 64;

    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "div", "p", "br", "span", "b", "i", "em", "strong", "u", "sub", "sup", "small", "ul", "ol", "li", "dl", "dt", "dd",
        "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
        "h1", "h2", "h3", "h4", "h5", "h6", "pre", "code", "blockquote", "hr", "a",
    };

    private static readonly HashSet<string> Void = new(StringComparer.Ordinal) { "br", "hr", "col" };

    // Dropped together with everything inside them: they run code, load something, or take input.
    private static readonly HashSet<string> DroppedWithContent = new(StringComparer.Ordinal)
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button", "select",
        "textarea", "option", "link", "meta", "base", "svg", "math", "audio", "video", "source", "track", "canvas", "template",
        "noscript", "noembed", "noframes", "head", "title", "xmp", "plaintext", "portal", "picture", "map", "area", "param",
    };

    /// <summary>Safe HTML for a narrative; empty for an absent or blank one.</summary>
    public static string Sanitize(string? xhtml)
    {
        if (string.IsNullOrWhiteSpace(xhtml))
        {
            return string.Empty;
        }

        // &nbsp; is the one HTML entity narratives commonly use although XML does not define it.
        var text = xhtml.Replace("&nbsp;", "&#160;", StringComparison.Ordinal);
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            MaxCharactersInDocument = 4_000_000,
        };
        try
        {
            // A wrapper root lets a narrative of several top-level nodes parse; closing it early makes the XML invalid.
            using var stringReader = new StringReader("<narrative-root>" + text + "</narrative-root>");
            using var reader = XmlReader.Create(stringReader, settings);
            var document = new XmlDocument { XmlResolver = null, PreserveWhitespace = true };
            document.Load(reader);
            var output = new StringBuilder(text.Length);
            foreach (XmlNode child in document.DocumentElement!.ChildNodes)
            {
                Write(child, output, 0);
            }

            return output.ToString();
        }
        catch (XmlException)
        {
            return PlainText(xhtml);
        }
    }

    private static string PlainText(string raw) =>
        "<div class=\"narrative-unparsed\">" + WebUtility.HtmlEncode(raw) + "</div>";

    private static void Write(XmlNode node, StringBuilder output, int depth)
    {
        switch (node)
        {
            case XmlElement element:
                WriteElement(element, output, depth);
                break;
            case XmlText or XmlCDataSection or XmlWhitespace or XmlSignificantWhitespace:
                output.Append(WebUtility.HtmlEncode(node.Value));
                break;
            default:
                // Comments, processing instructions, entity references and declarations are dropped.
                break;
        }
    }

    private static void WriteElement(XmlElement element, StringBuilder output, int depth)
    {
        var name = element.LocalName.ToLowerInvariant();
        var inXhtml = element.NamespaceURI is "" or XhtmlNamespace;
        if (!inXhtml || DroppedWithContent.Contains(name))
        {
            return;
        }

        if (depth >= MaxDepth)
        {
            output.Append(WebUtility.HtmlEncode(element.InnerText));
            return;
        }

        if (name == "img")
        {
            WriteImage(element, output);
            return;
        }

        if (!Allowed.Contains(name))
        {
            // An unknown but harmless wrapper (font, center, …): keep what is inside it.
            WriteChildren(element, output, depth);
            return;
        }

        output.Append('<').Append(name);
        WriteAttributes(element, name, output);
        output.Append('>');
        if (Void.Contains(name))
        {
            return;
        }

        WriteChildren(element, output, depth);
        output.Append("</").Append(name).Append('>');
    }

    private static void WriteChildren(XmlElement element, StringBuilder output, int depth)
    {
        foreach (XmlNode child in element.ChildNodes)
        {
            Write(child, output, depth + 1);
        }
    }

    private static void WriteAttributes(XmlElement element, string name, StringBuilder output)
    {
        string? lang = null;
        foreach (XmlAttribute attribute in element.Attributes)
        {
            var local = attribute.LocalName.ToLowerInvariant();
            var value = attribute.Value;
            if (attribute.NamespaceURI == XmlNamespace && local == "lang")
            {
                lang ??= value;
                continue;
            }

            if (attribute.NamespaceURI.Length != 0)
            {
                continue;
            }

            switch (local)
            {
                case "title":
                    Append(output, "title", value);
                    break;
                case "lang":
                    lang = value;
                    break;
                case "dir" when value is "ltr" or "rtl" or "auto":
                    Append(output, "dir", value);
                    break;
                case "colspan" or "rowspan" when name is "td" or "th" && value.Length is > 0 and <= 3 && value.All(char.IsAsciiDigit):
                    Append(output, local, value);
                    break;
                case "href" when name == "a" && SafeHref(value) is { } href:
                    Append(output, "href", href);
                    output.Append(" rel=\"noopener noreferrer\"");
                    break;
                default:
                    // Everything else, including style, class, id, on* handlers and target, is dropped.
                    break;
            }
        }

        if (lang is not null && lang.Length <= 35 && lang.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            Append(output, "lang", lang);
        }
    }

    private static void WriteImage(XmlElement element, StringBuilder output)
    {
        var src = Clean(element.GetAttribute("src"));
        var internalReference = src.StartsWith('#') || src.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase)
            || src.StartsWith("Binary/", StringComparison.Ordinal) || src.StartsWith("DocumentReference/", StringComparison.Ordinal);
        if (!internalReference)
        {
            return;
        }

        var alt = element.GetAttribute("alt");
        output.Append("<span class=\"narrative-image\">[")
            .Append(WebUtility.HtmlEncode(string.IsNullOrWhiteSpace(alt) ? "image" : alt))
            .Append("]</span>");
    }

    /// <summary>The link target when it is http(s), mailto or a fragment; null otherwise.</summary>
    internal static string? SafeHref(string value)
    {
        var href = Clean(value);
        if (href.Length == 0)
        {
            return null;
        }

        if (href.StartsWith('#'))
        {
            return href;
        }

        if (href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            return href;
        }

        return (href.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || href.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
               && Uri.TryCreate(href, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri.AbsoluteUri
            : null;
    }

    // Browsers ignore ASCII whitespace and control characters inside a URL's scheme ("jav\tascript:"), so they go first.
    private static string Clean(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c > ' ' && c != '\u007f' && !char.IsWhiteSpace(c) && !char.IsControl(c) && c != '\u200b' && c != '\ufeff')
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static void Append(StringBuilder output, string name, string value) =>
        output.Append(' ').Append(name).Append("=\"").Append(WebUtility.HtmlEncode(value)).Append('"');
}

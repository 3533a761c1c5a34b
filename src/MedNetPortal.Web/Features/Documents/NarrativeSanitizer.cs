using System.Net;
using System.Text;
using System.Xml;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Ganss.Xss;

namespace MedNetPortal.Web.Features.Documents;

/// <summary>
/// Turns a FHIR narrative (<c>Narrative.div</c>, XHTML) into HTML that is safe to render as a <c>MarkupString</c>:
/// an allowlist of elements, attributes and URL schemes enforced by HtmlSanitizer, nothing that runs and nothing that
/// loads. Narratives come from any facility's system, so they are treated as hostile.
/// </summary>
/// <remarks>
/// A narrative is XHTML, so it is read as XML (no DTDs, no external entities); one that is not well-formed is shown as
/// escaped plain text. The XML tree is handed to HtmlSanitizer as a DOM rather than as text, so the HTML parser never
/// reinterprets XHTML (a self-closed <c>&lt;script/&gt;</c> or <c>&lt;a/&gt;</c>), and its formatter writes the output.
/// Images are never loaded: one that points into the document is replaced by its alternative text.
/// </remarks>
public static class NarrativeSanitizer
{
    private const string XhtmlNamespace = "http://www.w3.org/1999/xhtml";
    private const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";

    // An element of another namespace (SVG, MathML, anything) becomes this, which is removed with its content.
    private const string Foreign = "foreign-content";

    private static readonly string[] AllowedTags =
    [
        "div", "p", "br", "span", "b", "i", "em", "strong", "u", "sub", "sup", "small", "ul", "ol", "li", "dl", "dt", "dd",
        "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
        "h1", "h2", "h3", "h4", "h5", "h6", "pre", "code", "blockquote", "hr", "a",
    ];

    // Removed together with everything inside them: they run code, load something, or take input. Any other element
    // outside the allowlist (font, center, …) is removed and its content kept.
    private static readonly HashSet<string> DroppedWithContent = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button", "select",
        "textarea", "option", "link", "meta", "base", "svg", "math", "audio", "video", "source", "track", "canvas", "template",
        "noscript", "noembed", "noframes", "head", "title", "xmp", "plaintext", "portal", "picture", "map", "area", "param",
        Foreign,
    };

    private static readonly HtmlSanitizer Engine = CreateEngine();
    private static readonly HtmlParser Parser = new();

    /// <summary>Safe HTML for a narrative; empty for an absent or blank one.</summary>
    public static string Sanitize(string? xhtml)
    {
        if (string.IsNullOrWhiteSpace(xhtml))
        {
            return string.Empty;
        }

        XmlDocument xml;
        try
        {
            xml = ParseXml(xhtml);
        }
        catch (XmlException)
        {
            return PlainText(xhtml);
        }

        using var html = Parser.ParseDocument("<!doctype html><html><body></body></html>");
        foreach (XmlNode child in xml.DocumentElement!.ChildNodes)
        {
            Copy(child, html.Body!, html);
        }

        Engine.SanitizeDom(html, html.Body);
        return html.Body!.InnerHtml;
    }

    private static XmlDocument ParseXml(string xhtml)
    {
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

        // A wrapper root lets a narrative of several top-level nodes parse; closing it early makes the XML invalid.
        using var stringReader = new StringReader("<narrative-root>" + text + "</narrative-root>");
        using var reader = XmlReader.Create(stringReader, settings);
        var document = new XmlDocument { XmlResolver = null, PreserveWhitespace = true };
        document.Load(reader);
        return document;
    }

    private static string PlainText(string raw) =>
        "<div class=\"narrative-unparsed\">" + WebUtility.HtmlEncode(raw) + "</div>";

    /// <summary>Builds the same tree in the HTML document, names lower-cased; what is allowed is the sanitiser's decision.</summary>
    private static void Copy(XmlNode node, INode parent, IHtmlDocument html)
    {
        switch (node)
        {
            case XmlElement element:
                var name = element.NamespaceURI is "" or XhtmlNamespace ? element.LocalName.ToLowerInvariant() : Foreign;
                IElement copy;
                try
                {
                    copy = html.CreateElement(name);
                }
                catch (DomException)
                {
                    copy = html.CreateElement(Foreign);
                }

                foreach (XmlAttribute attribute in element.Attributes)
                {
                    var attributeName = attribute.NamespaceURI switch
                    {
                        "" => attribute.LocalName.ToLowerInvariant(),
                        XmlNamespace when attribute.LocalName == "lang" => "xml-lang",
                        _ => null, // xmlns declarations and other namespaces' attributes (xlink:href) are not carried over
                    };
                    if (attributeName is not null)
                    {
                        try
                        {
                            copy.SetAttribute(attributeName, attribute.Value);
                        }
                        catch (DomException)
                        {
                            // A name HTML cannot hold is not one the allowlist has.
                        }
                    }
                }

                parent.AppendChild(copy);
                foreach (XmlNode child in element.ChildNodes)
                {
                    Copy(child, copy, html);
                }

                break;
            case XmlText or XmlCDataSection or XmlWhitespace or XmlSignificantWhitespace:
                parent.AppendChild(html.CreateTextNode(node.Value ?? string.Empty));
                break;
            default:
                // Comments, processing instructions, entity references and declarations are not carried over.
                break;
        }
    }

    private static HtmlSanitizer CreateEngine()
    {
        var engine = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(AllowedTags, StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(["title", "lang", "dir", "colspan", "rowspan", "href", "class"], StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(["http", "https", "mailto"], StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["href"], StringComparer.OrdinalIgnoreCase),
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
            AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
            // The one class the output carries: the marker of an image shown as its alternative text.
            AllowedClasses = new HashSet<string>(["narrative-image"], StringComparer.Ordinal),
        })
        {
            KeepChildNodes = true,
            AllowDataAttributes = false,
        };
        engine.RemovingTag += OnRemovingTag;
        engine.RemovingAttribute += OnRemovingAttribute;
        engine.FilterUrl += (_, e) => e.SanitizedUrl = SafeHref(e.OriginalUrl);
        engine.PostProcessNode += (_, e) => Finish(e.Node);
        return engine;
    }

    private static void OnRemovingTag(object? sender, RemovingTagEventArgs e)
    {
        var name = e.Tag.LocalName;
        if (name == "img")
        {
            var alt = e.Tag.GetAttribute("alt");
            if (IsInternalReference(Clean(e.Tag.GetAttribute("src") ?? string.Empty)))
            {
                var span = e.Tag.Owner!.CreateElement("span");
                span.ClassName = "narrative-image";
                span.TextContent = "[" + (string.IsNullOrWhiteSpace(alt) ? "image" : alt) + "]";
                e.Tag.Replace(span);
            }
            else
            {
                e.Tag.Remove();
            }

            e.Cancel = true;
        }
        else if (DroppedWithContent.Contains(name))
        {
            e.Tag.Remove();
            e.Cancel = true;
        }
    }

    private static void OnRemovingAttribute(object? sender, RemovingAttributeEventArgs e)
    {
        // xml:lang (carried over as xml-lang) says the same as lang; lang wins when both are there.
        if (e.Attribute.Name == "xml-lang" && !e.Tag.HasAttribute("lang"))
        {
            e.Tag.SetAttribute("lang", e.Attribute.Value);
        }
    }

    /// <summary>What the allowlist cannot say: attribute values with a fixed form, and links that open nothing of ours.</summary>
    private static void Finish(INode node)
    {
        if (node is not IElement element)
        {
            return;
        }

        if (element.GetAttribute("dir") is { } dir && dir is not ("ltr" or "rtl" or "auto"))
        {
            element.RemoveAttribute("dir");
        }

        if (element.GetAttribute("lang") is { } lang && !(lang.Length <= 35 && lang.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            element.RemoveAttribute("lang");
        }

        foreach (var span in new[] { "colspan", "rowspan" })
        {
            if (element.GetAttribute(span) is { } value
                && (element.LocalName is not ("td" or "th") || value.Length is 0 or > 3 || !value.All(char.IsAsciiDigit)))
            {
                element.RemoveAttribute(span);
            }
        }

        if (element.LocalName == "a" && element.HasAttribute("href"))
        {
            element.SetAttribute("rel", "noopener noreferrer");
        }
        else if (element.HasAttribute("href"))
        {
            element.RemoveAttribute("href");
        }
    }

    private static bool IsInternalReference(string src) =>
        src.StartsWith('#') || src.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase)
        || src.StartsWith("Binary/", StringComparison.Ordinal) || src.StartsWith("DocumentReference/", StringComparison.Ordinal);

    /// <summary>The link target when it is http(s), mailto or a fragment; null otherwise.</summary>
    internal static string? SafeHref(string? value)
    {
        var href = Clean(value ?? string.Empty);
        if (href.Length == 0)
        {
            return null;
        }

        if (href.StartsWith('#') || href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
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
}

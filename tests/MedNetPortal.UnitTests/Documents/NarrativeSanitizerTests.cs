using System.Text.RegularExpressions;
using MedNetPortal.Web.Features.Documents;

namespace MedNetPortal.UnitTests.Documents;

public sealed partial class NarrativeSanitizerTests
{
    private const string Ns = "xmlns=\"http://www.w3.org/1999/xhtml\"";

    // Each case: a hostile narrative. The output must contain nothing that runs or loads.
    private static readonly string[] HostileCases =
    [
        $"<div {Ns}><script>window.__pwned=1</script>ok</div>",
        $"<div {Ns}><SCRIPT>alert(1)</SCRIPT></div>",
        $"<div {Ns}><p onclick=\"alert(1)\">x</p></div>",
        $"<div {Ns}><p ONMOUSEOVER=\"alert(1)\">x</p></div>",
        $"<div {Ns}><b onload=\"alert(1)\" onerror=\"alert(2)\">x</b></div>",
        $"<div {Ns}><a href=\"javascript:alert(1)\">x</a></div>",
        $"<div {Ns}><a href=\"JaVaScRiPt:alert(1)\">x</a></div>",
        $"<div {Ns}><a href=\" javascript:alert(1)\">x</a></div>",
        $"<div {Ns}><a href=\"jav&#x09;ascript:alert(1)\">x</a></div>",
        $"<div {Ns}><a href=\"jav&#x0A;ascript:alert(1)\">x</a></div>",
        $"<div {Ns}><a href=\"jav&#x0D;ascript:alert(1)\">x</a></div>",
        $"<div {Ns}><a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a></div>",
        $"<div {Ns}><a href=\"&#x6A;avascript&#x3A;alert(1)\">x</a></div>",
        $"<div {Ns}><a href=\"\u0001javascript:alert(1)\">x</a></div>",
        $"<div {Ns}><a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a></div>",
        $"<div {Ns}><a href=\"DATA:text/html,&lt;script&gt;alert(1)&lt;/script&gt;\">x</a></div>",
        $"<div {Ns}><a href=\"vbscript:msgbox(1)\">x</a></div>",
        $"<div {Ns}><a href=\"VBScript:msgbox(1)\">x</a></div>",
        $"<div {Ns}><a href=\"//evil.example/x\">protocol-relative</a></div>",
        $"<div {Ns}><a href=\"http://evil.example/\" target=\"_blank\" onclick=\"x()\">ok</a></div>",
        $"<div {Ns}><img src=\"http://evil.example/track.gif\"/></div>",
        $"<div {Ns}><img src=\"https://evil.example/x.png\" onerror=\"alert(1)\"/></div>",
        $"<div {Ns}><img src=\"data:image/png;base64,iVBORw0KGgo=\"/></div>",
        $"<div {Ns}><img src=\"#x\" onerror=\"alert(1)\" alt=\"pic\"/></div>",
        $"<div {Ns}><img src=\"javascript:alert(1)\"/></div>",
        $"<div {Ns}><iframe src=\"https://evil.example/\"></iframe></div>",
        $"<div {Ns}><object data=\"https://evil.example/x.swf\"></object></div>",
        $"<div {Ns}><embed src=\"https://evil.example/x.swf\"/></div>",
        $"<div {Ns}><svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(2)</script></svg></div>",
        $"<div {Ns}><svg onload=\"alert(1)\"/></div>",
        $"<div {Ns}><math><mtext><script>alert(1)</script></mtext></math></div>",
        $"<div {Ns}><p style=\"background:url(https://evil.example/x.png)\">x</p></div>",
        $"<div {Ns}><p style=\"width:expression(alert(1))\">x</p></div>",
        $"<div {Ns}><style>@import url(https://evil.example/x.css); body{{background:url(https://evil.example/y)}}</style></div>",
        $"<div {Ns}><link rel=\"stylesheet\" href=\"https://evil.example/x.css\"/></div>",
        $"<div {Ns}><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\"/></div>",
        $"<div {Ns}><base href=\"https://evil.example/\"/></div>",
        $"<div {Ns}><form action=\"https://evil.example/\"><input name=\"q\"/><button>go</button></form></div>",
        $"<div {Ns}><x:script xmlns:x=\"http://www.w3.org/1999/xhtml\">alert(1)</x:script></div>",
        $"<div {Ns}><h:img xmlns:h=\"http://www.w3.org/1999/xhtml\" src=\"https://evil.example/x\"/></div>",
        $"<div {Ns}><p xmlns=\"http://www.w3.org/2000/svg\"><a href=\"javascript:alert(1)\">x</a></p></div>",
        $"<div {Ns}><p xlink:href=\"javascript:alert(1)\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">x</p></div>",
        $"<div {Ns}><!-- <script>alert(1)</script> --><p>x</p></div>",
        $"<div {Ns}><?xml-stylesheet href=\"https://evil.example/x.xsl\"?><p>x</p></div>",
        $"<div {Ns}><![CDATA[<script>alert(1)</script>]]></div>",
        $"<div {Ns}>&lt;script&gt;alert(1)&lt;/script&gt;</div>",
        "<!DOCTYPE div [<!ENTITY x SYSTEM \"https://evil.example/\">]><div>&x;</div>",
        $"<div {Ns}><p>unclosed<script>alert(1)</div>",
        "<div><img src=x onerror=alert(1)></div>",
        $"<div {Ns}></div><script>alert(1)</script>",
        $"<div {Ns}></narrative-root><script>alert(1)</script><narrative-root></div>",
        $"<div {Ns}><a href=\"https://ok.example/\" style=\"position:fixed;top:0\">x</a></div>",
        $"<div {Ns}><div id=\"blazor-error-ui\" class=\"mud-overlay\">clobber</div></div>",
        $"<div {Ns}><table background=\"https://evil.example/x.png\"><tr><td background=\"https://evil.example/y.png\">x</td></tr></table></div>",
        $"<div {Ns}><video src=\"https://evil.example/v.mp4\" poster=\"https://evil.example/p.png\"></video><audio src=\"https://evil.example/a.mp3\"/></div>",
        $"<div {Ns}><template><script>alert(1)</script></template><noscript><img src=\"https://evil.example/\"/></noscript></div>",
        $"<div {Ns}><a href=\"java&#0000009;script:alert(1)\">x</a></div>".Replace("&#0000009;", "&#x09;", StringComparison.Ordinal),
        $"<div {Ns}><a href=\"javascript&#x3a;alert(1)\">x</a></div>",
        $"<div {Ns}><a href=\"&#x20;&#x20;javascript:alert(1)\">x</a></div>",
        $"<div {Ns}><span title=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">x</span></div>",
        $"<div {Ns}><font face=\"x\" onmouseover=\"alert(1)\"><script>alert(1)</script>text</font></div>",
    ];

    // The case's number is part of each theory row: xunit names a row by its arguments truncated, and two long cases that
    // began alike shared a name, so one was skipped as a duplicate and never ran.
    public static TheoryData<int, string> Hostile()
    {
        var data = new TheoryData<int, string>();
        for (var i = 0; i < HostileCases.Length; i++)
        {
            data.Add(i, HostileCases[i]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Hostile_narratives_come_out_inert(int index, string narrative)
    {
        Assert.Equal(HostileCases[index], narrative);
        var html = NarrativeSanitizer.Sanitize(narrative);

        AssertInert(html);
    }

    [Fact]
    public void The_corpus_has_61_distinct_cases_each_its_own_row()
    {
        Assert.Equal(61, HostileCases.Length);
        Assert.Equal(HostileCases.Length, HostileCases.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Enumerable.Range(0, 61), Hostile().Select(row => (int)row[0]!));
    }

    [Fact]
    public void Safe_markup_is_kept()
    {
        var html = NarrativeSanitizer.Sanitize(
            $"<div {Ns}><p>狭心症の<b>疑い</b></p><ul><li>一</li></ul><table><tr><th colspan=\"2\">A</th></tr><tr><td rowspan=\"1\">1</td></tr></table><br/></div>");

        Assert.Equal("<div><p>狭心症の<b>疑い</b></p><ul><li>一</li></ul><table><tr><th colspan=\"2\">A</th></tr><tr><td rowspan=\"1\">1</td></tr></table><br></div>", html);
    }

    [Fact]
    public void Links_keep_safe_targets_with_noopener_and_lose_target()
    {
        var html = NarrativeSanitizer.Sanitize($"<div {Ns}><a href=\"https://example.jp/a?b=1&amp;c=2\" target=\"_blank\">x</a><a href=\"#s1\">y</a><a href=\"mailto:a@example.jp\">z</a></div>");

        Assert.Contains("href=\"https://example.jp/a?b=1&amp;c=2\" rel=\"noopener noreferrer\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"#s1\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"mailto:a@example.jp\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("target", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_xhtml_is_shown_as_escaped_text()
    {
        var html = NarrativeSanitizer.Sanitize("<div><p>a<b>c</div>");

        Assert.Equal("<div class=\"narrative-unparsed\">&lt;div&gt;&lt;p&gt;a&lt;b&gt;c&lt;/div&gt;</div>", html);
    }

    [Fact]
    public void Scripts_are_dropped_with_their_content_and_text_is_kept()
    {
        var html = NarrativeSanitizer.Sanitize($"<div {Ns}>before<script>window.__pwned=1</script>after</div>");

        Assert.Equal("<div>beforeafter</div>", html);
    }

    [Fact]
    public void Internal_images_become_their_alt_text_and_external_ones_vanish()
    {
        var html = NarrativeSanitizer.Sanitize($"<div {Ns}><img src=\"#p1\" alt=\"写真\"/><img src=\"https://evil.example/x\" alt=\"外部\"/></div>");

        Assert.Equal("<div><span class=\"narrative-image\">[写真]</span></div>", html);
    }

    [Fact]
    public void Xml_lang_becomes_lang_and_nbsp_is_accepted()
    {
        var html = NarrativeSanitizer.Sanitize($"<div {Ns} xml:lang=\"ja\" lang=\"ja\">a&nbsp;b</div>");

        Assert.Equal("<div lang=\"ja\">a&nbsp;b</div>", html);
    }

    [Fact]
    public void Xhtml_self_closed_elements_stay_empty_and_do_not_swallow_what_follows()
    {
        // Read as HTML text, <script/> would open a script that hides the rest, and <span/> would wrap it.
        var html = NarrativeSanitizer.Sanitize($"<div {Ns}><script/>見える<span/>本文<a href=\"#x\"/>続き</div>");

        Assert.Equal("<div>見える<span></span>本文<a href=\"#x\" rel=\"noopener noreferrer\"></a>続き</div>", html);
    }

    [Fact]
    public void Only_the_image_marker_class_survives_and_xml_lang_alone_becomes_lang()
    {
        var html = NarrativeSanitizer.Sanitize($"<div {Ns} xml:lang=\"en\" class=\"mud-overlay\"><p class=\"narrative-image x\">a</p></div>");

        Assert.Equal("<div lang=\"en\"><p class=\"narrative-image\">a</p></div>", html);
    }

    [Fact]
    public void Deep_nesting_is_flattened_not_a_crash()
    {
        var deep = string.Concat(Enumerable.Repeat("<span>", 5000)) + "x" + string.Concat(Enumerable.Repeat("</span>", 5000));
        var html = NarrativeSanitizer.Sanitize($"<div {Ns}>{deep}</div>");

        Assert.Contains("x", html, StringComparison.Ordinal);
        AssertInert(html);
    }

    private static void AssertInert(string html)
    {
        Assert.DoesNotMatch(ForbiddenTag(), html);
        Assert.DoesNotMatch(EventHandler(), html);
        Assert.DoesNotMatch(DangerousScheme(), html);
        Assert.DoesNotContain("xlink", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("evil.example/x.css", html, StringComparison.OrdinalIgnoreCase);

        // Every tag in the output is one the sanitiser writes, with only attributes it writes.
        foreach (Match tag in AnyTag().Matches(html))
        {
            Assert.Contains(tag.Groups["name"].Value, AllowedOutputTags);
            foreach (Match attribute in Attribute().Matches(tag.Groups["attrs"].Value))
            {
                Assert.Contains(attribute.Groups["name"].Value, AllowedOutputAttributes);
            }
        }

        // Any href left is http(s), mailto or a fragment.
        foreach (Match href in Href().Matches(html))
        {
            Assert.Matches("^(https?://|mailto:|#)", href.Groups["value"].Value);
            Assert.DoesNotMatch("^//", href.Groups["value"].Value);
        }
    }

    private static readonly string[] AllowedOutputTags =
    [
        "div", "p", "br", "span", "b", "i", "em", "strong", "u", "sub", "sup", "small", "ul", "ol", "li", "dl", "dt", "dd",
        "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
        "h1", "h2", "h3", "h4", "h5", "h6", "pre", "code", "blockquote", "hr", "a",
    ];

    private static readonly string[] AllowedOutputAttributes = ["href", "rel", "title", "lang", "dir", "colspan", "rowspan", "class"];

    [GeneratedRegex("<\\s*/?\\s*(script|style|iframe|object|embed|form|input|button|link|meta|base|svg|math|img|video|audio|template|noscript)\\b", RegexOptions.IgnoreCase)]
    private static partial Regex ForbiddenTag();

    [GeneratedRegex("<[^>]*\\son[a-z]+\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandler();

    [GeneratedRegex("=\"\\s*(javascript|vbscript|data):", RegexOptions.IgnoreCase)]
    private static partial Regex DangerousScheme();

    [GeneratedRegex("<(?<name>[a-z0-9]+)(?<attrs>[^>]*)>", RegexOptions.IgnoreCase)]
    private static partial Regex AnyTag();

    [GeneratedRegex("\\s(?<name>[a-zA-Z:-]+)=\"")]
    private static partial Regex Attribute();

    [GeneratedRegex("href=\"(?<value>[^\"]*)\"")]
    private static partial Regex Href();
}

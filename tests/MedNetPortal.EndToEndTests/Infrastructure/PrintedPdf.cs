using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Infrastructure;

/// <summary>One line of text on a printed page with its vertical extent in points (from the top of the page).</summary>
public sealed record PdfLine(string Text, double Top, double Bottom)
{
    /// <summary>The text without any whitespace: pdftotext splits and joins words unpredictably, CJK especially.</summary>
    public string Compact => PrintedPdf.Compact(Text);
}

/// <summary>One printed page.</summary>
public sealed record PdfPage(int Number, IReadOnlyList<PdfLine> Lines)
{
    public string Compact => string.Concat(Lines.Select(l => l.Compact));
}

/// <summary>
/// Prints the current page as the browser's print dialog would (print media, A4, the CSS page size and margins) and reads it
/// back with poppler's pdftotext: every line with its box, page by page.
/// </summary>
public static partial class PrintedPdf
{
    private const string PdfToText = "/usr/bin/pdftotext";

    public static string Compact(string text) => Whitespace().Replace(text, string.Empty);

    /// <summary>Emulates print media, writes the PDF to <paramref name="path"/> and returns its pages.</summary>
    public static async Task<IReadOnlyList<PdfPage>> PrintAsync(IPage page, string path)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (!File.Exists(PdfToText))
        {
            Assert.Fail("pdftotext is missing: install Debian's poppler-utils (tests/run.sh does).");
        }

        await page.EmulateMediaAsync(new() { Media = Media.Print });
        // The print dialog's default margins leave room for the @page margin boxes (page numbers); Playwright's default is none.
        // @page's own margins win where print.css sets them (PreferCSSPageSize), as in the dialog.
        await page.PdfAsync(new()
        {
            Path = path,
            Format = "A4",
            PreferCSSPageSize = true,
            Margin = new() { Top = "18mm", Bottom = "18mm", Left = "15mm", Right = "15mm" },
        });
        return Read(path);
    }

    /// <summary>The pages of a PDF, each with its lines (pdftotext -bbox-layout).</summary>
    public static IReadOnlyList<PdfPage> Read(string pdf)
    {
        using var process = Process.Start(new ProcessStartInfo(PdfToText, ["-bbox-layout", pdf, "-"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"pdftotext failed with exit code {process.ExitCode}.");

        using var reader = XmlReader.Create(new StringReader(output), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null });
        var document = XDocument.Load(reader);
        var pages = new List<PdfPage>();
        foreach (var page in document.Descendants().Where(e => e.Name.LocalName == "page"))
        {
            var lines = page.Descendants()
                .Where(e => e.Name.LocalName == "line")
                .Select(line => new PdfLine(
                    string.Join(' ', line.Elements().Where(w => w.Name.LocalName == "word").Select(w => w.Value)),
                    Coordinate(line, "yMin"),
                    Coordinate(line, "yMax")))
                .Where(l => l.Text.Trim().Length > 0)
                .ToList();
            if (lines.Count > 0)
            {
                pages.Add(new PdfPage(pages.Count + 1, lines));
            }
        }

        return pages;
    }

    /// <summary>
    /// Every page starts with the header texts, carries its number ("n / N"), and the header never shares vertical space with
    /// the body: the topmost lines hold header text only, and every other line starts below the header's last line ends.
    /// Line boxes come from the fonts' full ascent and descent, taller than the glyphs, so this asks for a clear gap rather
    /// than mere non-collision.
    /// </summary>
    public static void AssertHeadedAndNumbered(IReadOnlyList<PdfPage> pages, params string[] headerTexts)
    {
        ArgumentNullException.ThrowIfNull(pages);
        var headers = headerTexts.Select(Compact).ToList();
        foreach (var page in pages)
        {
            var byTop = page.Lines.OrderBy(l => l.Top).ToList();
            var dump = string.Join('\n', byTop.Select(l => $"[{l.Top:F1}–{l.Bottom:F1}] {l.Text}"));
            // The header is the topmost lines, up to the one that completes every header text (the body may repeat part of it).
            var header = new List<PdfLine>();
            var headerText = string.Empty;
            foreach (var line in byTop)
            {
                if (headers.All(h => headerText.Contains(h, StringComparison.Ordinal)) || !headers.Any(h => h.Contains(line.Compact, StringComparison.Ordinal)))
                {
                    break;
                }

                header.Add(line);
                headerText += line.Compact;
            }

            foreach (var text in headers)
            {
                Assert.True(headerText.Contains(text, StringComparison.Ordinal),
                    $"Page {page.Number}: the topmost lines are not the header {text} alone (missing, or body text mixed in):\n{dump}");
            }

            var number = $"{page.Number}/{pages.Count}";
            Assert.True(byTop.Any(l => l.Compact == number), $"Page {page.Number} lacks its number {number}:\n{dump}");

            var headerBottom = header.Max(l => l.Bottom);
            var overlapping = byTop.Skip(header.Count).Where(l => l.Top < headerBottom).ToList();
            Assert.True(overlapping.Count == 0,
                $"Page {page.Number}: body lines reach into the header band (ends at {headerBottom:F1}pt): {string.Join(" | ", overlapping.Select(l => $"[{l.Top:F1}] {l.Text}"))}\n{dump}");
        }
    }

    private static double Coordinate(XElement element, string name) =>
        double.Parse(element.Attribute(name)!.Value, CultureInfo.InvariantCulture);

    [GeneratedRegex("\\s+")]
    private static partial Regex Whitespace();
}

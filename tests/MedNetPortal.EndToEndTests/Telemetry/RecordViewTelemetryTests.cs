using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Demo;
using Microsoft.Playwright;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using Xunit.Abstractions;

namespace MedNetPortal.EndToEndTests.Telemetry;

/// <summary>
/// Issue 15 item 3: with telemetry on, a record view opened by a real click is one trace from the click to the FHIR request
/// and the base's server span, and nothing exported (spans, metrics, log records, and the OTLP bytes the collector got)
/// holds a demo patient's identifier, name or resource id.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed partial class RecordViewTelemetryTests(TelemetryPortal portal, ITestOutputHelper output)
{
    private const string ComponentsSource = "Microsoft.AspNetCore.Components";

    [Fact]
    public async Task A_record_view_is_one_trace_from_the_click_to_the_base_and_no_telemetry_names_the_patient()
    {
        var patientIds = await WaitForDemoPatientsAsync();
        await using var context = await portal.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "doctor@hospital.example");

        // 1. The lookup: type the identifier, click 検索; the one patient found opens.
        await OpenLookupAsync(page);
        var sato = DemoPatients.SatoKenichi;
        await page.GetByLabel("保険者番号", new() { Exact = true }).FillAsync(sato.InsurerNumber);
        await page.GetByLabel("記号", new() { Exact = true }).FillAsync(sato.Symbol);
        await page.GetByLabel("番号", new() { Exact = true }).FillAsync(sato.Number);
        var clickedAt = DateTime.UtcNow;
        await page.Locator("[data-testid=lookup-submit]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=patient-name]")).ToHaveTextAsync(sato.NameKanji);

        // 2. A link followed in the browser (no event handler): back to the lookup, then another patient's record the way a
        // link does it (Blazor.navigateTo, as Blazor's own link interception calls it).
        await page.Locator("[data-testid=back-to-lookup]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=lookup-form]")).ToBeVisibleAsync();
        var ito = DemoPatients.ItoMisaki;
        await page.EvaluateAsync("id => Blazor.navigateTo('patients/' + id)", patientIds[ito.Key]);
        await Assertions.Expect(page.Locator("[data-testid=patient-name]")).ToHaveTextAsync(ito.NameKanji);

        // 3. Paths and queries that carry a resource id: a record opened by its address (GET /patients/{id}, logged by the
        // request log) and a search by GET whose query names the patient (from a client of the base, as another system would).
        var suzuki = DemoPatients.SuzukiTome;
        await page.GotoAsync("patients/" + patientIds[suzuki.Key]);
        await Assertions.Expect(page.Locator("[data-testid=patient-name]")).ToHaveTextAsync(suzuki.NameKanji);
        using (var http = portal.CreateBaseClient())
        {
            using var response = await http.GetAsync($"Condition?patient=Patient/{patientIds[suzuki.Key]}&_summary=count");
            Assert.True(response.IsSuccessStatusCode);
        }

        // Spans end when their work does; give the record pages' last requests a moment, then export everything.
        await page.WaitForTimeoutAsync(1000);
        portal.Flush();
        var (spans, metrics, logs) = portal.Snapshot();
        foreach (var span in spans.Where(s => s.StartTimeUtc >= clickedAt.AddSeconds(-1) && s.TraceId != default).OrderBy(s => s.StartTimeUtc))
        {
            output.WriteLine(Describe(span));
        }

        // The click's trace: event handler → lookup search → record load → consent check and batch → the base's server spans.
        var click = Assert.Single(spans, s => s.Source.Name == ComponentsSource && s.OperationName == $"{ComponentsSource}.HandleEvent"
            && s.StartTimeUtc >= clickedAt.AddSeconds(-1) && (s.GetTagItem("code.function.name") as string ?? string.Empty).Contains("Submit", StringComparison.Ordinal));
        Assert.Equal(default, click.ParentSpanId);
        var trace = spans.Where(s => s.TraceId == click.TraceId).ToList();
        var search = Assert.Single(trace, s => s.Kind == ActivityKind.Client && Template(s) == "/fhir/Patient/_search");
        var load = Assert.Single(trace, s => s.Source.Name == "MedNetPortal.Web" && s.OperationName == "patient-record load");
        var consent = Assert.Single(trace, s => s.Kind == ActivityKind.Client && Template(s) == "/fhir/Consent/_search");
        var batch = Assert.Single(trace, s => s.Kind == ActivityKind.Client && Template(s) == "/fhir/" && s.ParentSpanId == load.SpanId);
        Assert.True(IsDescendant(search, click, trace), "the search request is under the click");
        Assert.True(IsDescendant(load, click, trace), "the record load is under the click");
        Assert.True(IsDescendant(consent, load, trace), "the consent check is under the record load");
        foreach (var request in new[] { search, consent, batch })
        {
            // The embedded base's own server span is the client span's child: W3C trace context crossed the HTTP hop.
            Assert.Single(trace, s => s.Kind == ActivityKind.Server && s.ParentSpanId == request.SpanId && s.DisplayName.StartsWith("POST /fhir/", StringComparison.Ordinal));
        }

        // .NET 10 makes the navigation a trace of its own; the record load links to it.
        var clickNavigation = Assert.Single(spans, s => s.OperationName == $"{ComponentsSource}.Navigate" && s.StartTimeUtc >= click.StartTimeUtc
            && s.StartTimeUtc <= load.StartTimeUtc && (string?)s.GetTagItem("aspnetcore.components.route") == "/patients/{Id}");
        Assert.Contains(load.Links, l => l.Context.SpanId == clickNavigation.SpanId);

        // The link: the navigation span is the root, the record load and its batch are its descendants.
        var linkLoad = spans.Where(s => s.OperationName == "patient-record load" && s.StartTimeUtc > load.StartTimeUtc).MinBy(s => s.StartTimeUtc);
        Assert.NotNull(linkLoad);
        var linkRoot = Root(linkLoad, spans);
        Assert.Equal($"{ComponentsSource}.Navigate", linkRoot.OperationName);
        Assert.Equal("/patients/{Id}", linkRoot.GetTagItem("aspnetcore.components.route"));
        Assert.Single(spans, s => s.Kind == ActivityKind.Client && Template(s) == "/fhir/" && s.ParentSpanId == linkLoad.SpanId);

        // Nothing exported names a patient: every span, metric point and log record, and the bytes the collector received.
        await WaitForExportsAsync();
        Assert.Contains(metrics, m => m.Name == "http.server.request.duration");
        Assert.Contains(logs, l => l.CategoryName == "MedNetPortal.Web.Requests"
            && l.Attributes?.Any(a => a.Key == "Path" && (string?)a.Value == "/patients/{Id}") == true);
        Assert.Contains(spans, s => s.Kind == ActivityKind.Server && s.DisplayName == "GET /fhir/Condition" && s.GetTagItem("url.query") is null);
        var forbidden = ForbiddenTexts(patientIds.Values);
        var found = new List<string>();
        foreach (var (where, text) in SpanTexts(spans).Concat(MetricTexts(metrics)).Concat(LogTexts(logs)))
        {
            found.AddRange(forbidden.Where(f => f.Matches(text)).Select(f => $"{where}: {f.Text} in {Shorten(text)}"));
        }

        // In the protobuf bytes, short ASCII words also occur by chance among binary ids and timestamps: there, only Japanese
        // text and ASCII of 6 characters or more (the objects above already held every string that was sent).
        foreach (var (where, text) in ReceivedTexts())
        {
            found.AddRange(forbidden.Where(f => (f.Pattern is null || f.Text.Length >= 6) && f.Matches(text))
                .Select(f => $"{where}: {f.Text} at {text.IndexOf(f.Text, StringComparison.Ordinal)}"));
        }

        Assert.True(found.Count == 0, string.Join('\n', found.Distinct().Take(40)));
    }

    private async Task WaitForExportsAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!new[] { "/v1/traces", "/v1/metrics", "/v1/logs" }.All(p => portal.Receiver.Exports.Any(e => e.Path == p)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the OTLP receiver got " + string.Join(", ", portal.Receiver.Exports.Select(e => e.Path).Distinct()));
            portal.Flush();
            await Task.Delay(500);
        }

        Assert.All(portal.Receiver.Exports, e => Assert.Equal("application/x-protobuf", e.ContentType));
    }

    /// <summary>The path a client span requested (independent of the redaction under test, which keeps these paths as they are).</summary>
    private static string Template(Activity span) =>
        span.GetTagItem("url.full") is string url && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : string.Empty;

    private static bool IsDescendant(Activity span, Activity ancestor, List<Activity> trace)
    {
        for (var current = span; current is not null; current = trace.FirstOrDefault(s => s.SpanId == current.ParentSpanId))
        {
            if (current.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    private static Activity Root(Activity span, List<Activity> spans)
    {
        var current = span;
        while (current.ParentSpanId != default && spans.FirstOrDefault(s => s.SpanId == current.ParentSpanId) is { } parent)
        {
            current = parent;
        }

        return current;
    }

    private static string Describe(Activity s) => string.Create(CultureInfo.InvariantCulture,
        $"{s.StartTimeUtc:HH:mm:ss.fff} {s.TraceId.ToHexString()[..8]} {s.SpanId.ToHexString()[..6]}<{(s.ParentSpanId == default ? "root" : s.ParentSpanId.ToHexString()[..6])} " +
        $"[{s.Source.Name}] {s.Kind} {s.OperationName} '{s.DisplayName}' {string.Join(' ', s.TagObjects.Select(t => $"{t.Key}={t.Value}"))}" +
        $"{(s.Links.Any() ? " links=" + string.Join(',', s.Links.Select(l => l.Context.SpanId.ToHexString()[..6])) : string.Empty)}");

    private static IEnumerable<(string, string)> SpanTexts(IEnumerable<Activity> spans)
    {
        foreach (var span in spans)
        {
            yield return ("span name", span.DisplayName);
            yield return ("span operation", span.OperationName);
            yield return ("span status", span.StatusDescription ?? string.Empty);
            foreach (var tag in span.TagObjects)
            {
                yield return ($"span tag {tag.Key}", Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty);
            }

            foreach (var item in span.Baggage)
            {
                yield return ($"span baggage {item.Key}", item.Value ?? string.Empty);
            }

            foreach (var e in span.Events)
            {
                yield return ("span event", e.Name + " " + string.Join(' ', e.Tags.Select(t => $"{t.Key}={t.Value}")));
            }

            foreach (var link in span.Links)
            {
                yield return ("span link", string.Join(' ', link.Tags?.Select(t => $"{t.Key}={t.Value}") ?? []));
            }
        }
    }

    private static IEnumerable<(string, string)> MetricTexts(IEnumerable<MetricSnapshot> metrics)
    {
        foreach (var metric in metrics)
        {
            yield return ("metric", $"{metric.Name} {metric.Description} {metric.Unit} {metric.MeterName}");
            foreach (var point in metric.MetricPoints)
            {
                foreach (var tag in point.Tags)
                {
                    yield return ($"metric {metric.Name} tag {tag.Key}", Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty);
                }
            }
        }
    }

    private static IEnumerable<(string, string)> LogTexts(IEnumerable<LogRecord> logs)
    {
        foreach (var log in logs)
        {
            yield return ($"log {log.CategoryName}", $"{log.Body} {log.FormattedMessage} {log.EventId.Name} {log.Exception}");
            foreach (var attribute in log.Attributes ?? [])
            {
                yield return ($"log {log.CategoryName} {attribute.Key}", Convert.ToString(attribute.Value, CultureInfo.InvariantCulture) ?? string.Empty);
            }

            var scopes = new StringBuilder();
            log.ForEachScope((scope, text) => text.Append(scope.Scope).Append(' '), scopes);
            yield return ($"log {log.CategoryName} scopes", scopes.ToString());
        }
    }

    private IEnumerable<(string, string)> ReceivedTexts() =>
        portal.Receiver.Exports.Select(e => ($"OTLP {e.Path}", Encoding.UTF8.GetString(e.Body)));

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    /// <summary>
    /// Every demo patient's identifier (whole and in its parts), names (kanji and kana, with and without the space) and the
    /// base's resource id, in half- and full-width forms (kana also half-width). ASCII parts match as whole tokens only:
    /// timings and ids are full of digit runs; digit parts shorter than 6 are left out as parts, as in IdentifierPrivacyTests.
    /// </summary>
    private static List<Forbidden> ForbiddenTexts(IEnumerable<string> resourceIds)
    {
        var texts = new List<string>();
        foreach (var p in DemoPatients.All)
        {
            texts.AddRange([p.QualificationIdentifier, p.QualificationIdentifier.Replace(":", "%3A", StringComparison.Ordinal),
                p.InsurerNumber, p.InsurerNumber.PadLeft(8, '0'), p.Symbol, p.Number]);
            foreach (var (family, given) in new[] { (p.FamilyKanji, p.GivenKanji), (p.FamilyKana, p.GivenKana) })
            {
                texts.AddRange([$"{family} {given}", $"{family}\u3000{given}", family + given, family, given]);
            }
        }

        texts.AddRange(resourceIds);
        var all = texts.Concat(texts.Select(FullWidth)).Concat(texts.Select(HalfWidth)).Concat(texts.Select(HalfWidthKana))
            .Where(t => t.Length >= 2 && !(t.Length < 6 && AsciiDigits().IsMatch(t)))
            .Distinct(StringComparer.Ordinal);
        return [.. all.Select(t => new Forbidden(t, AsciiAlphanumeric().IsMatch(t)
            ? new Regex($"(?<![0-9A-Za-z]){Regex.Escape(t)}(?![0-9A-Za-z])", RegexOptions.CultureInvariant) : null))];
    }

    private static string FullWidth(string text) => string.Concat(text.Select(c => c is >= '!' and <= '~' ? (char)(c + 0xFEE0) : c));

    private static string HalfWidth(string text) => string.Concat(text.Select(c => c is >= '！' and <= '～' ? (char)(c - 0xFEE0) : c));

    /// <summary>Full-width katakana to half-width (ｻﾄｳ ｹﾝｲﾁ), voiced marks as separate characters.</summary>
    private static string HalfWidthKana(string text)
    {
        const string full = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンァィゥェォッャュョー";
        const string half = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝｧｨｩｪｫｯｬｭｮｰ";
        var result = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            var i = full.IndexOf(c, StringComparison.Ordinal);
            result.Append(i >= 0 ? half[i] : c switch { '\u3099' => 'ﾞ', '\u309A' => 'ﾟ', '\u3000' => ' ', _ => c });
        }

        return result.ToString();
    }

    private async Task<Dictionary<string, string>> WaitForDemoPatientsAsync()
    {
        using var http = portal.CreateBaseClient();
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow.AddMinutes(4);
        foreach (var patient in DemoPatients.All)
        {
            while (true)
            {
                using var body = new FormUrlEncodedContent([new("identifier", $"{JpFhir.Systems.InsuranceMemberId}|{patient.QualificationIdentifier}")]);
                using var response = await http.PostAsync("Patient/_search", body);
                if (response.IsSuccessStatusCode
                    && FhirJson.Deserialize<Hl7.Fhir.Model.Bundle>(await response.Content.ReadAsStringAsync()).Entry.FirstOrDefault()?.Resource?.Id is { } id)
                {
                    ids[patient.Key] = id;
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, "demo seeding did not finish");
                await Task.Delay(500);
            }
        }

        // The two record views need their consents seeded too.
        await Task.Delay(2000);
        return ids;
    }

    private static async Task OpenLookupAsync(IPage page)
    {
        await page.GotoAsync("patients");
        var insurer = page.GetByLabel("保険者番号", new() { Exact = true });
        await Eventually.PassAsync(async () =>
        {
            await insurer.FillAsync("1");
            await Assertions.Expect(page.GetByText("保険者番号は6桁または8桁です")).ToBeVisibleAsync(new() { Timeout = 1000 });
        });
        await insurer.FillAsync(string.Empty);
    }

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex AsciiDigits();

    [GeneratedRegex("^[0-9A-Za-z]+$")]
    private static partial Regex AsciiAlphanumeric();

    private sealed record Forbidden(string Text, Regex? Pattern)
    {
        public bool Matches(string text) => Pattern?.IsMatch(text) ?? text.Contains(Text, StringComparison.Ordinal);
    }
}

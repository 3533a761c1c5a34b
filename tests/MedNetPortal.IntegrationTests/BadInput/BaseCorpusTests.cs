// Firely models are nullable throughout; these tests dereference what the assertions just established.
#nullable disable warnings
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using MedNetPortal.IntegrationTests.FhirBase;
using MedNetPortal.IntegrationTests.Infrastructure;
using MedNetPortal.Web.Features.Documents;

namespace MedNetPortal.IntegrationTests.BadInput;

/// <summary>
/// TestData/bad-input/base-corpus.json against the embedded base over HTTP: truncated JSON, wrong types, deep nesting, huge
/// strings, invalid UTF-8, identifier edge cases and hostile narrative XHTML. Each bad request gets its 4xx with an
/// OperationOutcome (never 500) and the store is unchanged; narratives the FHIR rules allow are stored and rendered harmless.
/// (FhirBase/BadInputTests holds the interaction-level cases: methods, headers, parameters, transactions.)
/// </summary>
public sealed partial class BaseCorpusTests(EmbeddedFhirBaseFixture fixture) : IClassFixture<EmbeddedFhirBaseFixture>
{
    private static readonly Lazy<JsonObject> Corpus = new(() => JsonNode.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "bad-input", "base-corpus.json")))!.AsObject());

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Build().Keys)
        {
            data.Add(name);
        }

        return data;
    }

    public static TheoryData<string> AcceptedNarrativeNames()
    {
        var data = new TheoryData<string>();
        foreach (var item in Corpus.Value["hostileAccepted"]!.AsArray())
        {
            data.Add((string)item!["name"]!);
        }

        return data;
    }

    [Fact]
    public void The_corpus_has_at_least_120_base_cases() => Assert.True(Build().Count >= 120, $"{Build().Count} cases");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async System.Threading.Tasks.Task Bad_body_gets_its_4xx_and_an_OperationOutcome_and_nothing_is_stored(string name)
    {
        var item = Build()[name];
        var before = await fixture.Http.StoreSnapshotAsync();
        using var request = new HttpRequestMessage(new HttpMethod(item.Method), item.Url);
        if (item.Body is not null)
        {
            request.Content = new ByteArrayContent(item.Body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/fhir+json");
        }

        using var response = await fixture.Http.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == item.Status, $"{name}: expected {item.Status}, got {(int)response.StatusCode}: {text[..Math.Min(text.Length, 400)]}");
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        var outcome = MedNetPortal.Fhir.FhirJson.Deserialize<OperationOutcome>(text);
        Assert.Equal(OperationOutcome.IssueSeverity.Error, outcome.Issue[0].Severity);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Issue[0].Diagnostics), name);
        Assert.Equal(before, await fixture.Http.StoreSnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(AcceptedNarrativeNames))]
    public async System.Threading.Tasks.Task Narrative_the_rules_allow_is_stored_whole_and_rendered_harmless(string name)
    {
        var div = Expand((string)Corpus.Value["hostileAccepted"]!.AsArray().First(i => (string)i!["name"]! == name)!["div"]!);
        var body = new JsonObject
        {
            ["resourceType"] = "Patient",
            ["text"] = new JsonObject { ["status"] = "generated", ["div"] = div },
        }.ToJsonString();

        using var response = await fixture.Http.SendAsync(HttpMethod.Post, "Patient", body);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode}");
        var stored = response.StatusCode == HttpStatusCode.Created ? MedNetPortal.Fhir.FhirJson.Deserialize<Patient>(text).Text.Div : div;
        AssertHarmless(name, NarrativeSanitizer.Sanitize(stored));
    }

    [Fact]
    public void Every_narrative_of_the_corpus_renders_harmless_even_those_the_base_refuses()
    {
        // Another facility's server may accept what this base refuses; the renderer must not depend on the base.
        var divs = Corpus.Value["cases"]!.AsArray()
            .Where(c => ((string)c!["name"]!).StartsWith("narrative: ", StringComparison.Ordinal))
            .Select(c => (Name: (string)c!["name"]!, Div: (string)JsonNode.Parse((string)c["body"]!)!["text"]!["div"]!))
            .ToList();
        Assert.True(divs.Count >= 15);
        foreach (var (name, div) in divs)
        {
            AssertHarmless(name, NarrativeSanitizer.Sanitize(div));
        }
    }

    private static void AssertHarmless(string name, string html)
    {
        Assert.DoesNotMatch(Dangerous(), html);
        Assert.True(!html.Contains("<script", StringComparison.OrdinalIgnoreCase), name);
    }

    private sealed record Case(string Method, string Url, byte[] Body, int Status);

    private static Dictionary<string, Case> Build()
    {
        var corpus = Corpus.Value;
        var cases = new Dictionary<string, Case>(StringComparer.Ordinal);
        var reference = corpus["reference"]!.ToJsonString();

        foreach (var at in corpus["truncateAt"]!.AsArray().Select(n => (int)n!))
        {
            var cut = at < 0 ? reference.Length + at : at;
            cases[$"truncated after {cut} of {reference.Length} characters"] = new("POST", "Patient", Utf8(reference[..cut]), 400);
        }

        foreach (var item in corpus["cases"]!.AsArray())
        {
            var body = (string)item!["body"];
            cases[(string)item["name"]!] = new((string)item["method"]!, (string)item["url"]!, body is null ? null : Utf8(body), (int)item["status"]!);
        }

        foreach (var item in corpus["invalidUtf8"]!.AsArray())
        {
            var bytes = Convert.FromHexString((string)item!["hex"]!);
            var body = Utf8("""{"resourceType":"Patient","name":[{"family":"山""").Concat(bytes).Concat(Utf8("""田"}]}""")).ToArray();
            cases["invalid UTF-8: " + (string)item["name"]!] = new("POST", "Patient", body, 400);
        }

        foreach (var item in corpus["deep"]!.AsArray())
        {
            var depth = (int)item!["depth"]!;
            var shape = (string)item["shape"]!;
            var nested = shape switch
            {
                "array" => new string('[', depth) + new string(']', depth),
                "object" => string.Concat(Enumerable.Repeat("""{"a":""", depth)) + "1" + new string('}', depth),
                _ => string.Concat(Enumerable.Repeat("""{"url":"http://x.example","extension":[""", depth)) + """{"url":"http://x.example","valueString":"x"}""" + string.Concat(Enumerable.Repeat("]}", depth)),
            };
            var body = shape == "extension"
                ? """{"resourceType":"Patient","extension":[""" + nested + "]}"
                : """{"resourceType":"Patient","gender":""" + nested + "}";
            cases[$"deep nesting: {shape}, {depth.ToString("N0", CultureInfo.InvariantCulture)} levels"] = new("POST", "Patient", Utf8(body), 400);
        }

        foreach (var item in corpus["huge"]!.AsArray())
        {
            var chars = (int)item!["chars"]!;
            var body = (string)item["field"]! switch
            {
                "family" => """{"resourceType":"Patient","name":[{"family":""" + "\"" + new string('あ', chars) + "\"}]}",
                "key" => """{"resourceType":"Patient",""" + "\"" + new string('k', chars) + "\":1}",
                _ => """{"resourceType":"Patient","multipleBirthInteger":""" + new string('9', chars) + "}",
            };
            cases["huge: " + (string)item["name"]!] = new("POST", "Patient", Utf8(body), (int)item["status"]!);
        }

        return cases;
    }

    private static string Expand(string div)
    {
        var match = Generator().Match(div);
        if (!match.Success)
        {
            return div;
        }

        var count = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        const string Open = """<div xmlns="http://www.w3.org/1999/xhtml">""";
        return match.Groups[1].Value == "deep-div"
            ? Open + string.Concat(Enumerable.Repeat("<div>", count)) + "x" + string.Concat(Enumerable.Repeat("</div>", count)) + "</div>"
            : Open + new string('あ', count) + "</div>";
    }

    private static byte[] Utf8(string value) => Encoding.UTF8.GetBytes(value);

    [GeneratedRegex(@"^@(deep-div|long-text):(\d+)$")]
    private static partial Regex Generator();

    // Anything that runs or loads: script/style/iframe-like tags, event attributes, script URLs, external sources.
    [GeneratedRegex(@"<\s*(script|style|iframe|object|embed|form|input|base|link|meta|svg)\b|\son[a-z]+\s*=|(java|vb)script\s*:|data\s*:\s*text/html|\ssrc\s*=\s*""https?:|url\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex Dangerous();
}

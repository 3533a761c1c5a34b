// Firely models are nullable throughout; these tests dereference what the assertions just established.
#nullable disable warnings
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using MedNetPortal.IntegrationTests.Infrastructure;

namespace MedNetPortal.IntegrationTests.FhirBase;

/// <summary>docs/fhir-base.md's resource table and the live CapabilityStatement must say the same, in both directions.</summary>
public sealed partial class CapabilityDocumentationTests(EmbeddedFhirBaseFixture fixture) : IClassFixture<EmbeddedFhirBaseFixture>
{
    [Fact]
    public async System.Threading.Tasks.Task Documented_table_matches_the_capability_statement_exactly()
    {
        using var response = await fixture.Http.GetAsync("metadata");
        var capability = await response.ReadAsync<CapabilityStatement>();
        var rest = Assert.Single(capability.Rest);
        var live = rest.Resource.ToDictionary(
            r => r.Type,
            r => Row(r.SearchParam.Select(p => p.Name), r.SearchInclude, r.SearchRevInclude));

        var documented = new Dictionary<string, string>();
        // Only the section that describes this base (the portal's own needs are another table).
        foreach (var line in File.ReadAllLines(FindDocs())
                     .SkipWhile(l => !l.StartsWith("## Resource types and search parameters", StringComparison.Ordinal))
                     .TakeWhile((l, i) => i == 0 || !l.StartsWith("## ", StringComparison.Ordinal)))
        {
            var m = TableRow().Match(line);
            if (m.Success)
            {
                documented[m.Groups[1].Value] = Row(Names(m.Groups[2].Value), Names(m.Groups[3].Value), Names(m.Groups[4].Value));
            }
        }

        var expectedTable = string.Join('\n', rest.Resource.Select(r =>
            $"| `{r.Type}` | {Cell(r.SearchParam.Select(p => p.Name))} | {Cell(r.SearchInclude)} | {Cell(r.SearchRevInclude)} |"));
        Assert.True(live.Count == documented.Count && live.All(kv => documented.TryGetValue(kv.Key, out var d) && d == kv.Value),
            "docs/fhir-base.md is out of date; the CapabilityStatement says:\n" + expectedTable);
        Assert.Contains("application/fhir+json", capability.Format);
        Assert.Contains(rest.Interaction, i => i.Code == CapabilityStatement.SystemRestfulInteraction.Transaction);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_embedded_base_states_everything_the_portal_needs()
    {
        using var response = await fixture.Http.GetAsync("metadata");
        using var statement = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Empty(MedNetPortal.Fhir.BaseCapabilities.Missing(statement.RootElement));
    }

    private static string Row(IEnumerable<string> parameters, IEnumerable<string> includes, IEnumerable<string> revIncludes) =>
        $"{string.Join(',', parameters.Order(StringComparer.Ordinal))}|{string.Join(',', includes.Order(StringComparer.Ordinal))}|{string.Join(',', revIncludes.Order(StringComparer.Ordinal))}";

    private static string Cell(IEnumerable<string> names) =>
        names.Any() ? string.Join(", ", names.Select(n => $"`{n}`")) : "—";

    private static IEnumerable<string> Names(string cell) => BacktickName().Matches(cell).Select(m => m.Groups[1].Value);

    private static string FindDocs()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "docs", "fhir-base.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("docs/fhir-base.md not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^\|\s*`([A-Za-z]+)`\s*\|([^|]*)\|([^|]*)\|([^|]*)\|\s*$")]
    private static partial Regex TableRow();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex BacktickName();
}

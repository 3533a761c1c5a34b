using System.Text.Json;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;

namespace MedNetPortal.UnitTests.Fhir.Client;

/// <summary>
/// What the portal needs from a base: one list in code, the same list in docs/fhir-base.md and README.md, all of it standard
/// R4, and compared tolerantly with what a server's CapabilityStatement states.
/// </summary>
public sealed partial class BaseRequirementsTests
{
    [Fact]
    public void Every_search_parameter_and_include_the_portal_needs_is_a_standard_R4_one()
    {
        foreach (var requirement in BaseRequirements.All)
        {
            switch (requirement.Kind)
            {
                case BaseRequirementKind.SearchParameter:
                    Assert.True(Standard(requirement.ResourceType!, requirement.Name), $"{requirement} is not an R4 search parameter.");
                    break;
                case BaseRequirementKind.Include or BaseRequirementKind.RevInclude:
                    var parts = requirement.Name.Split(':');
                    Assert.True(Standard(parts[0], parts[1]), $"{requirement} does not name an R4 search parameter.");
                    Assert.Equal(SearchParamType.Reference, ModelInfo.SearchParameters.Single(p => p.Resource == parts[0] && p.Name == parts[1]).Type);
                    break;
                case BaseRequirementKind.Interaction:
                    Assert.Contains(requirement.Name, new[] { "read", "vread", "update", "patch", "delete", "history-instance", "history-type", "create", "search-type" });
                    break;
                case BaseRequirementKind.SystemInteraction:
                    Assert.Contains(requirement.Name, new[] { "transaction", "batch", "search-system", "history-system" });
                    break;
            }

            Assert.True(requirement.ResourceType is null || ModelInfo.IsKnownResource(requirement.ResourceType), requirement.ToString());
        }

        static bool Standard(string type, string name) =>
            ModelInfo.SearchParameters.Any(p => p.Resource == type && p.Name == name && p.Url?.StartsWith("http://hl7.org/fhir/SearchParameter/", StringComparison.Ordinal) == true);
    }

    [Theory]
    [InlineData("docs/fhir-base.md")]
    [InlineData("README.md")]
    public void The_documentation_lists_exactly_what_the_portal_needs(string file)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), file));
        var start = text.IndexOf("<!-- base-requirements:start -->", StringComparison.Ordinal);
        var end = text.IndexOf("<!-- base-requirements:end -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"{file} has no base-requirements table.");
        var documented = new List<string>();
        foreach (var line in text[start..end].Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cells = line.Split('|').Select(c => c.Trim()).ToArray();
            var type = cells[1].Trim('`');
            if (type == "(system)")
            {
                documented.AddRange(Codes(cells[2]));
                continue;
            }

            documented.AddRange(Codes(cells[2]).Select(i => i == "conditional create" ? $"{type} conditional create" : $"{type} {i}"));
            documented.AddRange(Codes(cells[3]).Select(p => $"{type} search parameter {p}"));
            documented.AddRange(Codes(cells[4]).Select(i => i.StartsWith("_revinclude ", StringComparison.Ordinal) ? $"{type} {i}" : $"{type} _include {i}"));
        }

        Assert.Equal(BaseRequirements.All.Select(r => r.ToString()).Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));

        static IEnumerable<string> Codes(string cell) => CodePattern().Matches(cell).Select(m => m.Groups[1].Value);
    }

    [Fact]
    public void A_statement_listing_everything_lacks_nothing_and_types_R4_does_not_know_are_no_obstacle()
    {
        using var statement = JsonDocument.Parse(Statement(BaseRequirements.All, extraType: "Project"));
        Assert.Empty(BaseCapabilities.Missing(statement.RootElement));
    }

    [Fact]
    public void What_a_statement_leaves_out_is_named_one_by_one()
    {
        var left = BaseRequirements.All.Where(r => r.ToString() is not ("Task search parameter owner" or "transaction" or "Task _include Task:focus")).ToList();
        using var statement = JsonDocument.Parse(Statement(left));

        var missing = BaseCapabilities.Missing(statement.RootElement);

        Assert.Equal(["transaction", "Task search parameter owner", "Task _include Task:focus"], missing.Select(m => m.ToString()));
        Assert.Equal("transaction, Task search parameter owner, Task _include Task:focus", BaseCapabilities.Describe(missing));
    }

    [Fact]
    public void A_wildcard_include_covers_every_include_and_an_empty_or_foreign_statement_lacks_everything()
    {
        var withoutIncludes = BaseRequirements.All.Where(r => r.Kind is not (BaseRequirementKind.Include or BaseRequirementKind.RevInclude)).ToList();
        using var wildcard = JsonDocument.Parse(Statement(withoutIncludes, wildcardIncludes: true));
        Assert.Empty(BaseCapabilities.Missing(wildcard.RootElement));

        using var empty = JsonDocument.Parse("""{"resourceType":"CapabilityStatement","rest":[{"mode":"server","resource":[{"type":42},{"interaction":"x"}]}]}""");
        Assert.Equal(BaseRequirements.All.Count, BaseCapabilities.Missing(empty.RootElement).Count);
    }

    /// <summary>A statement as servers write it: one resource entry per type with what the requirements name.</summary>
    private static string Statement(IEnumerable<BaseRequirement> requirements, string? extraType = null, bool wildcardIncludes = false)
    {
        var list = requirements.ToList();
        var types = list.Where(r => r.ResourceType is not null).GroupBy(r => r.ResourceType!).Select(g => new Dictionary<string, object>
        {
            ["type"] = g.Key,
            ["interaction"] = g.Where(r => r.Kind == BaseRequirementKind.Interaction).Select(r => new { code = r.Name }).Append(new { code = "vread" }).ToList(),
            ["conditionalCreate"] = g.Any(r => r.Kind == BaseRequirementKind.ConditionalCreate),
            ["searchParam"] = g.Where(r => r.Kind == BaseRequirementKind.SearchParameter).Select(r => new { name = r.Name, type = "token" }).ToList(),
            ["searchInclude"] = wildcardIncludes ? ["*"] : g.Where(r => r.Kind == BaseRequirementKind.Include).Select(r => r.Name).ToList(),
            ["searchRevInclude"] = wildcardIncludes ? ["*"] : g.Where(r => r.Kind == BaseRequirementKind.RevInclude).Select(r => r.Name + ":PractitionerRole").ToList(),
        }).ToList();
        if (extraType is not null)
        {
            types.Add(new Dictionary<string, object> { ["type"] = extraType, ["interaction"] = new[] { new { code = "read" } } });
        }

        return JsonSerializer.Serialize(new
        {
            resourceType = "CapabilityStatement",
            rest = new[]
            {
                new
                {
                    mode = "server",
                    interaction = list.Where(r => r.Kind == BaseRequirementKind.SystemInteraction).Select(r => new { code = r.Name }).ToList(),
                    resource = types,
                },
            },
        });
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MedNetPortal.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodePattern();
}

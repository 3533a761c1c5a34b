using System.Text.Json;
using MedNetPortal.Fhir;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.UnitTests.Fhir.Client;

/// <summary>The record's facility-name include (the embedded base's own) is asked for only from a base that states it.</summary>
public sealed class BaseStatedIncludesTests
{
    private static readonly string[] Institution =
        ["Condition:institution", "AllergyIntolerance:institution", "Observation:institution", "MedicationRequest:institution"];

    private static JsonElement Statement(params (string Type, string[] Includes)[] resources) =>
        JsonDocument.Parse(JsonSerializer.Serialize(new
        {
            resourceType = "CapabilityStatement",
            rest = new[] { new { mode = "server", resource = resources.Select(r => new { type = r.Type, searchInclude = r.Includes }).ToArray() } },
        })).RootElement;

    // Never called: the statement is known before the question (an unreachable address would fail the test otherwise).
    private static CentralFhirClient Unreachable()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["CentralFhir:BaseUrl"] = "https://127.0.0.1:1/fhir" }).Build();
        var services = new ServiceCollection();
        services.AddCentralFhirClient(configuration);
        return services.BuildServiceProvider().GetRequiredService<CentralFhirClient>();
    }

    [Fact]
    public void Stated_includes_are_read_per_type_with_targets_and_wildcards()
    {
        var stated = BaseCapabilities.StatedIncludes(Statement(
            ("Condition", ["Condition:institution:Organization", "Condition:patient"]),
            ("Observation", ["*"])));

        Assert.Equal(["Condition:institution", "Condition:patient", "Observation:*"], stated.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_base_stating_every_institution_include_gets_them_and_a_standard_base_does_not()
    {
        var embedded = new BaseStatedIncludes();
        embedded.Remember(Statement([.. Institution.Select(i => (i.Split(':')[0], new[] { i }))]));
        var standard = new BaseStatedIncludes();
        standard.Remember(Statement(("Condition", ["Condition:patient"]), ("Observation", ["Observation:performer"]), ("MedicationRequest", ["MedicationRequest:requester"])));
        var wildcard = new BaseStatedIncludes();
        wildcard.Remember(Statement([.. Institution.Select(i => (i.Split(':')[0], new[] { "*" }))]));
        var partial = new BaseStatedIncludes();
        partial.Remember(Statement(("Condition", ["Condition:institution"])));

        Assert.True(await embedded.StatesAllAsync(Institution, Unreachable(), CancellationToken.None));
        Assert.False(await standard.StatesAllAsync(Institution, Unreachable(), CancellationToken.None));
        Assert.False(await partial.StatesAllAsync(Institution, Unreachable(), CancellationToken.None));
        Assert.False(await wildcard.StatesAllAsync(Institution, Unreachable(), CancellationToken.None));
    }

    [Fact]
    public async Task A_base_that_cannot_be_read_states_nothing_and_is_asked_again()
    {
        var includes = new BaseStatedIncludes();

        Assert.False(await includes.StatesAllAsync(Institution, Unreachable(), CancellationToken.None));
        Assert.False(includes.Known);
    }
}

using System.Text.Json;
using MedNetPortal.Fhir;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

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
    public async Task A_base_that_cannot_be_read_states_nothing_and_is_asked_again_only_after_a_while()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var includes = new BaseStatedIncludes(time);
        var metadata = new MetadataServer { Failing = true };
        var client = Client(metadata);

        Assert.False(await includes.StatesAllAsync(Institution, client, CancellationToken.None));
        Assert.False(includes.Known);
        var afterFirst = metadata.Reads;
        Assert.True(afterFirst >= 1);

        // While the failure is remembered, a record load does not wait for another failing read.
        time.Advance(BaseStatedIncludes.RetryAfterFailure - TimeSpan.FromSeconds(1));
        Assert.False(await includes.StatesAllAsync(Institution, client, CancellationToken.None));
        Assert.Equal(afterFirst, metadata.Reads);

        // Then it is asked again, and a base that answers now is remembered for good.
        time.Advance(TimeSpan.FromSeconds(1));
        metadata.Failing = false;
        Assert.True(await includes.StatesAllAsync(Institution, client, CancellationToken.None));
        Assert.True(includes.Known);
        Assert.Equal(afterFirst + 1, metadata.Reads);
        Assert.True(await includes.StatesAllAsync(Institution, client, CancellationToken.None));
        Assert.Equal(afterFirst + 1, metadata.Reads);
    }

    private static CentralFhirClient Client(HttpMessageHandler handler)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["CentralFhir:BaseUrl"] = "http://127.0.0.1:1/fhir" }).Build();
        var services = new ServiceCollection();
        services.AddCentralFhirClient(configuration).ConfigurePrimaryHttpMessageHandler(() => handler);
        return services.BuildServiceProvider().GetRequiredService<CentralFhirClient>();
    }

    /// <summary>Answers GET metadata: 503 while failing, else a statement of the institution includes.</summary>
    private sealed class MetadataServer : HttpMessageHandler
    {
        private int reads;

        public bool Failing { get; set; }

        public int Reads => Volatile.Read(ref reads);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.EndsWith("/fhir/metadata", request.RequestUri!.AbsolutePath, StringComparison.Ordinal);
            Interlocked.Increment(ref reads);
            if (Failing)
            {
                return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable));
            }

            var statement = Statement([.. Institution.Select(i => (i.Split(':')[0], new[] { i }))]);
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                Content = new StringContent(statement.GetRawText(), System.Text.Encoding.UTF8, "application/fhir+json"),
            });
        }
    }
}

using System.Net;
using System.Net.Http;
using Microsoft.Extensions.Configuration;
using MedNetPortal.Web.Host.Health;

namespace MedNetPortal.UnitTests.Web.Host.Health;

public sealed class CentralFhirBaseHealthCheckTests
{
    [Fact]
    public void Connection_failures_give_a_short_reason_without_the_exception_message()
    {
        var error = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (secret-host.internal:443)");

        var reason = CentralFhirBaseHealthCheck.Describe(error);

        Assert.Equal("cannot reach the central base (ConnectionError)", reason);
    }

    [Fact]
    public void Http_errors_give_the_status_code()
    {
        var error = new HttpRequestException("boom", null, HttpStatusCode.ServiceUnavailable);

        Assert.Equal("the central base answered HTTP 503", CentralFhirBaseHealthCheck.Describe(error));
    }

    [Fact]
    public void Wrapped_http_errors_are_unwrapped_and_others_give_only_the_type_name()
    {
        var wrapped = new TaskCanceledException("x", new HttpRequestException(HttpRequestError.NameResolutionError, "no such host"));

        Assert.Equal("cannot reach the central base (NameResolutionError)", CentralFhirBaseHealthCheck.Describe(wrapped));
        Assert.Equal("the central base check failed (FormatException)", CentralFhirBaseHealthCheck.Describe(new FormatException("details")));
    }
}

/// <summary>The check compares the base's CapabilityStatement with what the portal needs, through the portal's own client.</summary>
public sealed class CentralFhirBaseCapabilityHealthTests
{
    private sealed class MetadataHandler(string json) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(json, System.Text.Encoding.UTF8, "application/fhir+json"),
                RequestMessage = request,
            });
        }
    }

    private static async Task<(Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult Result, MetadataHandler Handler)> CheckAsync(string statement)
    {
        var handler = new MetadataHandler(statement);
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["CentralFhir:BaseUrl"] = "https://fhir.example.jp/r4/" }).Build();
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        Microsoft.Extensions.DependencyInjection.HttpClientBuilderExtensions.ConfigurePrimaryHttpMessageHandler(
            MedNetPortal.Fhir.FhirClientExtensions.AddCentralFhirClient(services, configuration), () => handler);
        await using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        var registration = new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
            "central-fhir-base", _ => null!, Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, null);
        var result = await new CentralFhirBaseHealthCheck(provider).CheckHealthAsync(
            new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext { Registration = registration });
        return (result, handler);
    }

    [Fact]
    public async Task A_base_that_lacks_what_the_portal_needs_is_degraded_naming_it_and_types_R4_does_not_know_are_no_obstacle()
    {
        // A real server's statement: a type R4 does not know, and no Task search parameter "owner", no transaction.
        const string statement = """
            {"resourceType":"CapabilityStatement","fhirVersion":"4.0.1","rest":[{"mode":"server","interaction":[{"code":"batch"}],
             "resource":[{"type":"Project","interaction":[{"code":"read"}]},
                         {"type":"Task","interaction":[{"code":"create"},{"code":"update"},{"code":"search-type"}],"conditionalCreate":true,
                          "searchParam":[{"name":"requester"}],"searchInclude":["*"]}]}]}
            """;

        var (result, handler) = await CheckAsync(statement);

        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, result.Status);
        Assert.StartsWith("metadata answered (FHIR 4.0.1); the base does not state: transaction, Patient read", result.Description);
        Assert.Contains("Task search parameter owner", result.Description);
        Assert.DoesNotContain("Task search parameter requester", result.Description);
        Assert.DoesNotContain("Task _include", result.Description);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("https://fhir.example.jp/r4/metadata", request.RequestUri!.ToString());
        Assert.Equal("handling=strict", Assert.Single(request.Headers.GetValues("Prefer")));
    }

    [Fact]
    public async Task A_base_that_states_everything_is_healthy()
    {
        var resources = MedNetPortal.Fhir.BaseRequirements.All.Where(r => r.ResourceType is not null).GroupBy(r => r.ResourceType!).Select(g => new
        {
            type = g.Key,
            interaction = g.Where(r => r.Kind == MedNetPortal.Fhir.BaseRequirementKind.Interaction).Select(r => new { code = r.Name }),
            conditionalCreate = true,
            searchParam = g.Where(r => r.Kind == MedNetPortal.Fhir.BaseRequirementKind.SearchParameter).Select(r => new { name = r.Name }),
            searchInclude = new[] { "*" },
            searchRevInclude = new[] { "*" },
        });
        var statement = System.Text.Json.JsonSerializer.Serialize(new
        {
            resourceType = "CapabilityStatement",
            fhirVersion = "4.0.1",
            rest = new[] { new { mode = "server", interaction = new[] { new { code = "transaction" }, new { code = "batch" } }, resource = resources } },
        });

        var (result, _) = await CheckAsync(statement);

        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, result.Status);
        Assert.Equal("metadata answered (FHIR 4.0.1)", result.Description);
    }
}

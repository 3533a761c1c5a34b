namespace MedNetPortal.IntegrationTests.Web;

public sealed class StartupValidationTests
{
    [Fact]
    public void Empty_data_directory_stops_the_start_naming_the_key()
    {
        using var factory = new PortalFactory(new Dictionary<string, string?> { ["Storage:DataDirectory"] = "" });

        var error = Record.Exception(factory.StartServer);

        Assert.NotNull(error);
        Assert.Contains("Storage:DataDirectory is required", Messages(error), StringComparison.Ordinal);
    }

    [Fact]
    public void Production_without_a_central_base_url_stops_the_start_naming_the_key()
    {
        using var factory = new PortalFactory(
            new Dictionary<string, string?> { ["FhirBase:Enabled"] = "false", ["CentralFhir:BaseUrl"] = "" },
            environment: "Production");

        var error = Record.Exception(factory.StartServer);

        Assert.NotNull(error);
        Assert.Contains("CentralFhir:BaseUrl is required when FhirBase:Enabled is false", Messages(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_with_an_external_base_url_starts()
    {
        await using var factory = new PortalFactory(
            new Dictionary<string, string?>(PortalFactory.BehindHttpsProxy) { ["FhirBase:Enabled"] = "false", ["CentralFhir:BaseUrl"] = "http://127.0.0.1:9/fhir/" },
            environment: "Production");
        using var client = factory.CreateProxiedHttpsClient();

        using var response = await client.GetAsync(new Uri("/account/login", UriKind.Relative));

        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.Headers.Location}");
    }

    internal static string Messages(Exception error)
    {
        var all = new List<string>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            all.Add(e.Message);
            if (e is AggregateException aggregate)
            {
                all.AddRange(aggregate.InnerExceptions.Select(Messages));
            }
        }

        return string.Join(" | ", all);
    }
}

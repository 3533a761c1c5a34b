using System.Net;
using System.Text.Json;

namespace MedNetPortal.IntegrationTests.Web;

public sealed class HealthTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Anonymous_health_says_one_word_and_nothing_about_the_parts()
    {
        using var client = factory.CreatePortalClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Health_reports_the_portal_database_and_the_central_base_as_json_to_a_system_admin()
    {
        await MedNetPortal.IntegrationTests.Account.TestAccounts.CreateAsync(factory.Services, "health-admin@test.example", MedNetPortal.Web.Host.Identity.PortalRoles.SystemAdmin);
        using var browser = await MedNetPortal.IntegrationTests.Account.PortalBrowser.SignedInAsync(factory, "health-admin@test.example");
        var client = browser.Client;

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        var entries = json.RootElement.GetProperty("entries");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Healthy", entries.GetProperty("portal-database").GetProperty("status").GetString());
        Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "portal.db")), "portal.db is created in Storage:DataDirectory");

        // Until the typed client and the embedded base are merged, the central base may be Degraded; it must be present,
        // with a short reason and no exception text.
        var central = entries.GetProperty("central-fhir-base");
        Assert.Contains(central.GetProperty("status").GetString(), new[] { "Healthy", "Degraded" });
        var description = central.GetProperty("description").GetString() ?? "";
        Assert.InRange(description.Length, 1, 120);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception:", body, StringComparison.Ordinal);
        Assert.Equal("Healthy", entries.GetProperty("audit-forwarding").GetProperty("status").GetString());
    }
}

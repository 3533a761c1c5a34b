using System.Net;
using MedNetPortal.IntegrationTests.Web;
using Microsoft.AspNetCore.WebUtilities;

namespace MedNetPortal.IntegrationTests.Account.EntraId;

/// <summary>Entra ID mode, offline: the sign-in challenge goes to the configured tenant's authorize endpoint.</summary>
public sealed class EntraIdChallengeTests
{
    [Fact]
    public async Task Login_redirects_to_the_tenant_authorize_endpoint_with_client_id_redirect_uri_and_the_sign_in_scopes()
    {
        await using var portal = new EntraIdPortal(new Dictionary<string, string?>());
        using var client = portal.CreatePortalClient();

        using var response = await client.GetAsync(new Uri("/account/login?ReturnUrl=%2Fpatients", UriKind.Relative));

        var (endpoint, query) = Authorize(response);
        Assert.Equal($"https://login.example.test/{EntraIdPortal.TenantId}/oauth2/v2.0/authorize", endpoint);
        Assert.Equal(EntraIdPortal.ClientId, query["client_id"]);
        Assert.Equal(new Uri(portal.RootUri, "signin-oidc").ToString(), query["redirect_uri"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal(["offline_access", "openid", "profile"], Scopes(query));
    }

    [Fact]
    public async Task A_protected_page_without_a_session_challenges_straight_to_Entra_and_the_central_fhir_scope_is_requested_when_set()
    {
        await using var portal = new EntraIdPortal(
            new Dictionary<string, string?> { ["CentralFhir:Scopes"] = "api://mednet-central-fhir/.default" },
            services => FakeTokenAcquisition.Replace(services, new FakeTokenAcquisition()));
        using var client = portal.CreatePortalClient();

        using var response = await client.GetAsync(new Uri("/patients", UriKind.Relative));

        var (endpoint, query) = Authorize(response);
        Assert.StartsWith($"https://login.example.test/{EntraIdPortal.TenantId}/", endpoint, StringComparison.Ordinal);
        Assert.Equal(EntraIdPortal.ClientId, query["client_id"]);
        Assert.Equal(["api://mednet-central-fhir/.default", "offline_access", "openid", "profile"], Scopes(query));
    }

    [Fact]
    public async Task Local_mode_still_sends_a_protected_page_to_the_local_sign_in_page()
    {
        await using var portal = new PortalFactory();
        using var client = portal.CreatePortalClient();

        using var response = await client.GetAsync(new Uri("/patients", UriKind.Relative));
        using var login = await client.GetAsync(new Uri("/account/login", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("login-email", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static (string Endpoint, Dictionary<string, string> Query) Authorize(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{response.StatusCode}: {response.Content.ReadAsStringAsync().Result}");
        var location = response.Headers.Location!;
        Assert.True(location.IsAbsoluteUri, location.ToString());
        var query = QueryHelpers.ParseQuery(location.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
        return (location.GetLeftPart(UriPartial.Path), query);
    }

    private static string[] Scopes(Dictionary<string, string> query) =>
        [.. query["scope"].Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
}

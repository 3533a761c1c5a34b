using System.Collections.Concurrent;
using System.Security.Claims;
using MedNetPortal.Fhir;
using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Features.Account.EntraId;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.IntegrationTests.Account.EntraId;

public sealed class EntraIdSettingsAndTokenTests
{
    [Theory]
    [InlineData("Instance")]
    [InlineData("TenantId")]
    [InlineData("ClientId")]
    [InlineData("ClientSecret")]
    [InlineData("CallbackPath")]
    public void A_missing_AzureAd_setting_stops_the_start_naming_the_key(string key)
    {
        using var portal = new EntraIdPortal(new Dictionary<string, string?> { ["AzureAd:" + key] = "" });

        var error = Record.Exception(portal.StartServer);

        Assert.NotNull(error);
        Assert.Contains($"AzureAd:{key} is required", StartupValidationTests.Messages(error), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_mode_stops_the_start_naming_the_key()
    {
        using var portal = new PortalFactory(new Dictionary<string, string?> { ["Authentication:Mode"] = "Kerberos" });

        var error = Record.Exception(portal.StartServer);

        Assert.NotNull(error);
        Assert.Contains("Authentication:Mode must be one of Local, EntraId", StartupValidationTests.Messages(error), StringComparison.Ordinal);
    }

    [Fact]
    public void Local_mode_needs_no_AzureAd_settings()
    {
        using var portal = new PortalFactory(new Dictionary<string, string?> { ["Authentication:Mode"] = "Local", ["AzureAd:ClientId"] = "" });

        Assert.Null(Record.Exception(portal.StartServer));
    }

    [Fact]
    public async Task With_CentralFhir_Scopes_in_EntraId_mode_the_fhir_client_sends_an_app_token_for_work_without_a_user()
    {
        var tokens = new FakeTokenAcquisition();
        var seen = new ConcurrentQueue<string>();
        await using var portal = new EntraIdPortal(
            // No CentralFhir:ClientId: a configured client id would mean client credentials instead of Entra ID tokens.
            new Dictionary<string, string?> { ["CentralFhir:Scopes"] = "api://mednet-central-fhir/Fhir.ReadWrite", ["CentralFhir:ClientId"] = "" },
            services =>
            {
                FakeTokenAcquisition.Replace(services, tokens);
                services.AddHttpClient(FhirClientExtensions.HttpClientName).AddHttpMessageHandler(() => new AuthorizationRecorder(seen));
            });
        _ = portal.RootUri;

        await portal.Services.GetRequiredService<CentralFhirClient>().GetCapabilitiesAsync(CancellationToken.None);

        // The start-up CapabilityStatement check may have asked too: every request carries the app token.
        Assert.NotEmpty(seen);
        Assert.All(seen, authorization => Assert.Equal("Bearer app-token", authorization));
        Assert.NotEmpty(tokens.Calls);
        Assert.All(tokens.Calls, call => Assert.Equal("app api://mednet-central-fhir/.default", call));
    }

    [Fact]
    public async Task Local_mode_without_a_client_id_sends_no_token_even_with_scopes_set()
    {
        var seen = new ConcurrentQueue<string>();
        await using var portal = new RecordingPortal(
            new Dictionary<string, string?> { ["CentralFhir:Scopes"] = "api://mednet-central-fhir/.default", ["CentralFhir:ClientId"] = "" }, seen);
        _ = portal.RootUri;

        await portal.Services.GetRequiredService<CentralFhirClient>().GetCapabilitiesAsync(CancellationToken.None);

        // Background work (the audit forwarder) may call the base too: no request of any kind carries a token.
        Assert.NotEmpty(seen);
        Assert.All(seen, header => Assert.Equal("(none)", header));
    }

    [Fact]
    public async Task A_signed_in_user_gets_a_delegated_token_for_the_configured_scopes()
    {
        var tokens = new FakeTokenAcquisition();
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim("oid", "oid-tanaka")], "test"));
        var provider = new EntraFhirAccessTokenProvider(
            tokens, new HttpContextAccessor { HttpContext = new DefaultHttpContext { User = user } }, new CircuitServicesAccessor());

        var token = await provider.GetAccessTokenAsync(["api://mednet-central-fhir/Fhir.Read", "api://mednet-central-fhir/Fhir.Write"], CancellationToken.None);

        Assert.Equal("user-token-oid-tanaka", token);
        Assert.Equal(["user oid-tanaka api://mednet-central-fhir/Fhir.Read api://mednet-central-fhir/Fhir.Write"], tokens.Calls);
    }

    [Fact]
    public async Task In_a_circuit_the_token_is_for_the_circuits_user_not_the_connections_request()
    {
        var tokens = new FakeTokenAcquisition();
        var circuitUser = new ClaimsPrincipal(new ClaimsIdentity([new Claim("oid", "oid-circuit")], "test"));
        await using var circuitServices = new ServiceCollection()
            .AddSingleton<AuthenticationStateProvider>(new FixedAuthenticationState(circuitUser))
            .BuildServiceProvider();
        var accessor = new CircuitServicesAccessor();
        var provider = new EntraFhirAccessTokenProvider(tokens, new HttpContextAccessor(), accessor);

        accessor.Services = circuitServices;
        try
        {
            await provider.GetAccessTokenAsync(["api://mednet-central-fhir/Fhir.Read"], CancellationToken.None);
        }
        finally
        {
            accessor.Services = null;
        }

        Assert.Equal(["user oid-circuit api://mednet-central-fhir/Fhir.Read"], tokens.Calls);
    }

    private sealed class FixedAuthenticationState(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }

    private sealed class AuthorizationRecorder(ConcurrentQueue<string> seen) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Enqueue(request.Headers.Authorization?.ToString() ?? "(none)");
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class RecordingPortal(IReadOnlyDictionary<string, string?> overrides, ConcurrentQueue<string> seen) : PortalFactory(overrides)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
                services.AddHttpClient(FhirClientExtensions.HttpClientName).AddHttpMessageHandler(() => new AuthorizationRecorder(seen)));
        }
    }
}

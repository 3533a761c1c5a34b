using System.Security.Claims;
using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Features.Account.EntraId;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace MedNetPortal.IntegrationTests.Account.EntraId;

/// <summary>
/// The real portal in Entra ID mode, offline: the OpenID Connect handler gets a static configuration derived from the
/// authority Microsoft.Identity.Web built from <c>AzureAd:Instance</c>/<c>TenantId</c>, so no metadata is downloaded.
/// Requests carrying <see cref="TestUserHeader"/> run as the portal principal the real <see cref="EntraPrincipalMapper"/>
/// makes of the Entra claims in the header (as after a real sign-in, without a token).
/// </summary>
internal sealed class EntraIdPortal(IReadOnlyDictionary<string, string?> overrides, Action<IServiceCollection>? configureServices = null)
    : PortalFactory(Settings(overrides))
{
    public const string Instance = "https://login.example.test/";
    public const string TenantId = "7c9f1e5a-0d3b-4c55-9a8e-2f6b1d0e4a11";
    public const string ClientId = "3f2a8b6c-1e4d-4f70-8a9b-5c6d7e8f9a01";

    /// <summary>Header with Entra claims as <c>type=value;type=value</c> (test only).</summary>
    public const string TestUserHeader = "X-Test-Entra-Claims";

    public static Dictionary<string, string?> Settings(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Authentication:Mode"] = "EntraId",
            ["Authentication:FacilityClaim"] = "extension_facilityCode",
            ["AzureAd:Instance"] = Instance,
            ["AzureAd:TenantId"] = TenantId,
            ["AzureAd:ClientId"] = ClientId,
            ["AzureAd:ClientSecret"] = "test-only-secret",
            ["AzureAd:CallbackPath"] = "/signin-oidc",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public static string Header(params (string Type, string Value)[] claims) =>
        string.Join(';', claims.Select(c => $"{c.Type}={Uri.EscapeDataString(c.Value)}"));

    public static ClaimsPrincipal EntraPrincipal(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value, ClaimValueTypes.String, "https://login.example.test/" + TenantId + "/v2.0")),
            "AuthenticationTypes.Federation", "name", "roles"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.PostConfigure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, oidc =>
            {
                // Microsoft.Identity.Web sets Authority to {Instance}{TenantId}/v2.0; Entra's endpoints hang off {Instance}{TenantId}.
                var tenantRoot = oidc.Authority!.TrimEnd('/');
                tenantRoot = tenantRoot.EndsWith("/v2.0", StringComparison.Ordinal) ? tenantRoot[..^"/v2.0".Length] : tenantRoot;
                oidc.Configuration = new OpenIdConnectConfiguration
                {
                    Issuer = oidc.Authority,
                    AuthorizationEndpoint = tenantRoot + "/oauth2/v2.0/authorize",
                    TokenEndpoint = tenantRoot + "/oauth2/v2.0/token",
                    EndSessionEndpoint = tenantRoot + "/oauth2/v2.0/logout",
                };
                oidc.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(oidc.Configuration);
            });
            services.AddSingleton<IStartupFilter, TestUserStartupFilter>();
            configureServices?.Invoke(services);
        });
    }

    private sealed class TestUserStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(TestUserHeader, out var raw) && raw.ToString() is { Length: > 0 } text)
                {
                    var claims = text.Split(';').Select(part => part.Split('=', 2)).Select(p => (p[0], Uri.UnescapeDataString(p[1]))).ToArray();
                    var mapper = context.RequestServices.GetRequiredService<EntraPrincipalMapper>();
                    context.User = (await mapper.MapAsync(EntraPrincipal(claims), context.RequestAborted)).Principal;
                }

                await nextMiddleware(context);
            });
            next(app);
        };
    }
}

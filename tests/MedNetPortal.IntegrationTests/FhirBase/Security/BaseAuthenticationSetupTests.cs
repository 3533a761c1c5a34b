using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Features.Demo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MedNetPortal.IntegrationTests.FhirBase.Security;

/// <summary>How the portal host sets the base's authentication up: the refusals at start-up, External mode, the demo client.</summary>
public sealed class BaseAuthenticationSetupTests
{
    [Fact]
    public void Enabling_the_base_outside_Development_without_authentication_stops_the_start_naming_the_setting()
    {
        using var factory = new PortalFactory(new Dictionary<string, string?> { ["FhirBase:Auth:Mode"] = "" }, environment: "Production");

        var error = Record.Exception(factory.StartServer);

        Assert.NotNull(error);
        Assert.Contains("FhirBase:Auth:Mode must be set (Embedded or External) when FhirBase:Enabled is true", StartupValidationTests.Messages(error), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FhirBase:Auth:Mode", "Anonymous", "FhirBase:Auth:Mode must be Embedded or External")]
    [InlineData("FhirBase:Auth:Clients:weak:Secret", "short", "FhirBase:Auth:Clients:weak:Secret must be at least 16 characters")]
    [InlineData("FhirBase:Auth:Clients:weak:Scopes", "patient/*.rs", "FhirBase:Auth:Clients:weak:Scopes: 'patient/*.rs' is not a SMART system scope")]
    [InlineData("FhirBase:Auth:SigningKeyFile", "/no/such/key.pem", "FhirBase:Auth:SigningKeyFile names a file that does not exist")]
    public void A_bad_authentication_setting_stops_the_start_naming_the_key(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["FhirBase:Auth:Clients:weak:Secret"] = "weak-client-secret-0123",
            ["FhirBase:Auth:Clients:weak:Scopes"] = "system/*.rs",
            [key] = value,
        };
        using var factory = new PortalFactory(settings, environment: "Production");

        var error = Record.Exception(factory.StartServer);

        Assert.NotNull(error);
        Assert.Contains(message, StartupValidationTests.Messages(error), StringComparison.Ordinal);
    }

    [Fact]
    public void A_signing_key_file_without_a_private_key_stops_the_start_naming_the_key()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("mednet-key-").FullName, "public.pem");
        using (var rsa = RSA.Create(2048))
        {
            File.WriteAllText(file, rsa.ExportSubjectPublicKeyInfoPem());
        }
        using var factory = new PortalFactory(new Dictionary<string, string?> { ["FhirBase:Auth:SigningKeyFile"] = file }, environment: "Production");

        var error = Record.Exception(factory.StartServer);

        Assert.NotNull(error);
        Assert.Contains("FhirBase:Auth:SigningKeyFile must hold an RSA private key", StartupValidationTests.Messages(error), StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task Two_instances_given_the_same_signing_key_file_accept_each_others_tokens()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("mednet-key-").FullName, "shared.pem");
        using (var rsa = RSA.Create(3072))
        {
            File.WriteAllText(file, rsa.ExportPkcs8PrivateKeyPem());
        }
        var shared = new Dictionary<string, string?> { ["FhirBase:Auth:SigningKeyFile"] = file };
        var first = new Infrastructure.EmbeddedFhirBaseFixture(shared);
        var second = new Infrastructure.EmbeddedFhirBaseFixture(shared);
        var other = new Infrastructure.EmbeddedFhirBaseFixture(null);
        await first.InitializeAsync();
        await second.InitializeAsync();
        await other.InitializeAsync();
        try
        {
            using var handler = new MedNetPortal.Tests.Shared.ClientCredentialsHandler(
                new Uri(first.BaseUri, "auth/token"), MedNetPortal.Tests.Shared.BaseClientCredentials.ClientId, MedNetPortal.Tests.Shared.BaseClientCredentials.ClientSecret, null);
            var token = await handler.TokenAsync(CancellationToken.None);

            using var onSecond = await SendAsync(second, token);
            using var onOther = await SendAsync(other, token);

            Assert.Equal(HttpStatusCode.OK, onSecond.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, onOther.StatusCode);
            Assert.False(File.Exists(Path.Combine(first.DataDirectory, MedNetPortal.FhirBase.Security.EmbeddedSigningKey.DefaultFileName)));
        }
        finally
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
            await other.DisposeAsync();
        }

        static async Task<HttpResponseMessage> SendAsync(Infrastructure.EmbeddedFhirBaseFixture target, string token)
        {
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(target.BaseUri, "Patient?_summary=count"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return await http.SendAsync(request);
        }
    }

    [Fact]
    public void External_mode_without_an_authority_stops_the_start_naming_the_keys()
    {
        using var factory = new PortalFactory(new Dictionary<string, string?> { ["FhirBase:Auth:Mode"] = "External" }, environment: "Production");

        var messages = StartupValidationTests.Messages(Record.Exception(factory.StartServer)!);

        Assert.Contains("FhirBase:Auth:Authority must be the https URL", messages, StringComparison.Ordinal);
        Assert.Contains("FhirBase:Auth:TokenEndpoint must be the absolute URL", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task In_Development_an_empty_mode_is_the_embedded_authority_not_an_open_base()
    {
        await using var factory = new PortalFactory(new Dictionary<string, string?> { ["FhirBase:Auth:Mode"] = "" });
        using var anonymous = new HttpClient { BaseAddress = new Uri(factory.RootUri, "fhir/") };
        using var client = factory.CreateBaseClient();

        using var refused = await anonymous.GetAsync("Patient");
        using var allowed = await client.GetAsync("Patient");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_demo_ehr_client_writes_a_transaction_as_an_outside_EHR_would()
    {
        await using var factory = new PortalFactory(new Dictionary<string, string?> { ["Demo:Enabled"] = "true" });
        var fhir = new Uri(factory.RootUri, "fhir/");
        using var http = new HttpClient();
        using var configuration = await http.GetAsync(new Uri(fhir, ".well-known/smart-configuration"));
        var tokenEndpoint = (string)JsonNode.Parse(await configuration.Content.ReadAsStringAsync())!["token_endpoint"]!;

        using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, tokenEndpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "system/*.cruds" }),
        };
        tokenRequest.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{DemoOptions.EhrClientId}:{DemoOptions.DefaultEhrClientSecret}")));
        using var tokenResponse = await http.SendAsync(tokenRequest);
        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        var token = (string)JsonNode.Parse(await tokenResponse.Content.ReadAsStringAsync())!["access_token"]!;

        var identifier = "DEMO-EHR-" + Guid.NewGuid().ToString("N");
        var transaction = new Bundle
        {
            Type = Bundle.BundleType.Transaction,
            Entry =
            [
                new()
                {
                    FullUrl = "urn:uuid:0d6f4c57-9d4e-4f43-a1d5-3f8f1b2a7c01",
                    Resource = FhirTestClient.NewPatient(identifier),
                    Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Patient", IfNoneExist = "identifier=http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID|" + identifier },
                },
                new()
                {
                    Resource = new Condition { Subject = new ResourceReference("urn:uuid:0d6f4c57-9d4e-4f43-a1d5-3f8f1b2a7c01"), Code = new CodeableConcept { Text = "高血圧症" } },
                    Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Condition" },
                },
            ],
        };
        using var post = new HttpRequestMessage(HttpMethod.Post, fhir) { Content = FhirTestClient.Json(transaction) };
        post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(post);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["201 Created", "201 Created"], (await response.ReadAsync<Bundle>()).Entry.Select(e => e.Response!.Status));
    }

    [Fact]
    public async System.Threading.Tasks.Task External_mode_trusts_the_configured_issuers_keys_and_nothing_else()
    {
        await using var issuer = await FakeIssuer.StartAsync();
        await using var factory = new PortalFactory(new Dictionary<string, string?>
        {
            ["FhirBase:Auth:Mode"] = "External",
            ["FhirBase:Auth:Authority"] = issuer.Authority,
            ["FhirBase:Auth:Audience"] = "api://mednet-central-fhir",
            ["FhirBase:Auth:TokenEndpoint"] = issuer.Authority + "/oauth2/v2.0/token",
            // Entra ID issues the tokens here: the portal has no client of its own at the base.
            ["CentralFhir:ClientId"] = "",
        });
        var fhir = new Uri(factory.RootUri, "fhir/");
        using var http = new HttpClient { BaseAddress = fhir };

        using var configuration = await http.GetAsync(".well-known/smart-configuration");
        using var entraLike = await SendAsync(http, issuer.Mint("roles", "system/Patient.rs"));
        using var scopeClaim = await SendAsync(http, issuer.Mint("scp", "system/*.read"));
        using var wrongAudience = await SendAsync(http, issuer.Mint("roles", "system/Patient.rs", audience: "api://other"));
        using var noScope = await SendAsync(http, issuer.Mint("roles", "MedNet.Clinician"));
        using var embeddedToken = await http.PostAsync("auth/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }));

        Assert.Equal(issuer.Authority + "/oauth2/v2.0/token", (string?)JsonNode.Parse(await configuration.Content.ReadAsStringAsync())!["token_endpoint"]);
        Assert.Equal(HttpStatusCode.OK, entraLike.StatusCode);
        Assert.Equal(HttpStatusCode.OK, scopeClaim.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongAudience.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noScope.StatusCode);
        // No embedded authority in External mode: the path is just an unknown FHIR route, refused to an anonymous caller.
        Assert.Equal(HttpStatusCode.Unauthorized, embeddedToken.StatusCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "Patient?_summary=count");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }

    /// <summary>An OpenID Connect issuer on 127.0.0.1 that publishes its discovery document and signing key, as Entra ID does.</summary>
    private sealed class FakeIssuer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly RsaSecurityKey _key;

        private FakeIssuer(WebApplication app, RsaSecurityKey key, string authority)
        {
            _app = app;
            _key = key;
            Authority = authority;
        }

        public string Authority { get; }

        public static async Task<FakeIssuer> StartAsync()
        {
            var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "fake-issuer-key" };
            var builder = WebApplication.CreateBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            string? authority = null;
            app.MapGet("/tenant/v2.0/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = authority!,
                ["jwks_uri"] = authority + "/discovery/keys",
                ["token_endpoint"] = authority + "/oauth2/v2.0/token",
            }));
            app.MapGet("/tenant/v2.0/discovery/keys", () =>
            {
                var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.Rsa.ExportParameters(false)) { KeyId = key.KeyId });
                return Results.Json(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", n = jwk.N, e = jwk.E } } });
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            authority = address.TrimEnd('/') + "/tenant/v2.0";
            return new FakeIssuer(app, key, authority);
        }

        public string Mint(string claim, string value, string audience = "api://mednet-central-fhir") =>
            new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = Authority,
                Audience = audience,
                Expires = DateTime.UtcNow.AddMinutes(5),
                Claims = new Dictionary<string, object> { [claim] = value, ["appid"] = "outside-ehr" },
                SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
            });

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MedNetPortal.FhirBase.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MedNetPortal.IntegrationTests.FhirBase.Security;

/// <summary>The token endpoint (client credentials) and the tokens the base accepts.</summary>
public sealed class TokenTests(SecuredBaseFixture fixture) : IClassFixture<SecuredBaseFixture>
{
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task The_right_secret_gets_a_bearer_token_with_the_requested_scope()
    {
        var (status, json) = await RequestTokenAsync("reader", SecuredBaseFixture.Secret, "system/*.rs");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Bearer", (string?)json["token_type"]);
        // RFC 6749 5.1: the granted scope may be left out when it is the one asked for.
        Assert.Equal("system/*.rs", (string?)json["scope"] ?? "system/*.rs");
        Assert.False(string.IsNullOrEmpty((string?)json["access_token"]));
        Assert.InRange((int)json["expires_in"]!, 1, 300);
    }

    [Fact]
    public async Task The_secret_may_also_come_in_the_form()
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "reader", ["client_secret"] = SecuredBaseFixture.Secret,
        });

        using var response = await Http.PostAsync(TokenEndpoint, form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("reader", "wrong-secret-0123456789")]
    [InlineData("reader", "")]
    [InlineData("no-such-client", SecuredBaseFixture.Secret)]
    public async Task A_wrong_secret_or_an_unknown_client_gets_no_token(string clientId, string secret)
    {
        var (status, json) = await RequestTokenAsync(clientId, secret, "system/*.rs");

        Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, status.ToString());
        // An empty secret is a malformed request before it is a wrong one.
        Assert.Equal(secret.Length == 0 ? "invalid_request" : "invalid_client", (string?)json["error"]);
        Assert.Null(json["access_token"]);
    }

    [Fact]
    public async Task A_request_without_client_credentials_gets_no_token()
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" });

        using var response = await Http.PostAsync(TokenEndpoint, form);

        Assert.False(response.IsSuccessStatusCode);
        Assert.Null(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]);
    }

    [Fact]
    public async Task Only_the_client_credentials_grant_is_served()
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = "reader", ["password"] = SecuredBaseFixture.Secret,
            ["client_id"] = "reader", ["client_secret"] = SecuredBaseFixture.Secret,
        });

        using var response = await Http.PostAsync(TokenEndpoint, form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_grant_type", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]);
    }

    [Theory]
    [InlineData("patient-r", "system/Condition.r")]
    [InlineData("reader", "openid")]
    [InlineData("reader", "patient/*.rs")]
    [InlineData("reader", "system/Observation.rs?category=laboratory")]
    public async Task A_scope_the_client_is_not_registered_for_or_that_is_not_a_system_scope_gets_no_token(string clientId, string scope)
    {
        var (status, json) = await RequestTokenAsync(clientId, SecuredBaseFixture.Secret, scope);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_scope", (string?)json["error"]);
    }

    [Theory]
    [InlineData("reader", "system/*.cruds", "system/*.rs")]
    [InlineData("reader", null, "system/*.rs")]
    [InlineData("v1-reader", "system/*.read", "system/*.read")]
    [InlineData("portal", "system/*.cruds", "system/*.rs system/AuditEvent.c system/Bundle.c system/Consent.c system/DocumentReference.c system/Organization.cu system/Patient.c system/Task.cu")]
    [InlineData("portal", "system/AuditEvent.cruds", "system/AuditEvent.crs")]
    public async Task Asking_for_more_grants_only_what_the_client_is_registered_for(string clientId, string? scope, string granted)
    {
        var (status, json) = await RequestTokenAsync(clientId, SecuredBaseFixture.Secret, scope);

        Assert.Equal(HttpStatusCode.OK, status);
        // RFC 6749 5.1: the granted scope may be left out when it is the one asked for.
        Assert.Equal(granted.Split(' ').Order(), ((string?)json["scope"] ?? scope!).Split(' ').Order());
    }

    [Fact]
    public async Task A_token_minted_with_the_base_key_and_right_claims_is_accepted()
    {
        // The control for the refusals below: each differs from this one in a single respect.
        using var response = await GetWithAsync(Mint(SigningKey));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        using var response = await GetWithAsync(Mint(SigningKey, expires: DateTime.UtcNow.AddMinutes(-5)));

        await BaseAccessTests.AssertUnauthorizedAsync(response, invalidToken: true);
    }

    [Fact]
    public async Task A_token_signed_by_another_key_is_refused()
    {
        using var foreign = RSA.Create(2048);

        using var response = await GetWithAsync(Mint(new RsaSecurityKey(foreign) { KeyId = SigningKey.KeyId }));

        await BaseAccessTests.AssertUnauthorizedAsync(response, invalidToken: true);
    }

    [Theory]
    [InlineData("audience")]
    [InlineData("issuer")]
    [InlineData("type")]
    public async Task A_token_for_another_audience_from_another_issuer_or_of_another_type_is_refused(string differs)
    {
        var token = Mint(
            SigningKey,
            audience: differs == "audience" ? "urn:other:api" : null,
            issuer: differs == "issuer" ? "https://issuer.example.org" : null,
            type: differs == "type" ? "JWT" : null);

        using var response = await GetWithAsync(token);

        await BaseAccessTests.AssertUnauthorizedAsync(response, invalidToken: true);
    }

    [Fact]
    public async Task A_token_issued_by_the_base_keeps_working_after_a_restart_on_the_same_key()
    {
        var (_, json) = await RequestTokenAsync("reader", SecuredBaseFixture.Secret, "system/*.rs");
        var token = (string)json["access_token"]!;
        var keyFile = Path.Combine(fixture.Base.DataDirectory, EmbeddedSigningKey.DefaultFileName);

        Assert.True(File.Exists(keyFile));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
        await fixture.Base.RestartAsync();
        using var response = await GetWithAsync(token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private Uri TokenEndpoint => new(fixture.Base.BaseUri, "auth/token");

    private RsaSecurityKey SigningKey => fixture.Base.Services.GetRequiredService<EmbeddedSigningKey>().Key;

    private async Task<(HttpStatusCode Status, JsonObject Json)> RequestTokenAsync(string clientId, string secret, string? scope)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        if (scope is not null)
        {
            form["scope"] = scope;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, TokenEndpoint) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
        using var response = await Http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private async Task<HttpResponseMessage> GetWithAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Base.BaseUri, "Patient?_summary=count"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Http.SendAsync(request);
    }

    private static string Mint(SecurityKey key, DateTime? expires = null, string? audience = null, string? issuer = null, string? type = null)
    {
        var expiry = expires ?? DateTime.UtcNow.AddMinutes(5);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? FhirBaseAuthOptions.DefaultIssuer,
            Audience = audience ?? FhirBaseAuthOptions.DefaultIssuer,
            IssuedAt = expiry.AddMinutes(-10),
            NotBefore = expiry.AddMinutes(-10),
            Expires = expiry,
            TokenType = type ?? "at+jwt",
            Claims = new Dictionary<string, object> { ["scope"] = "system/*.cruds", ["client_id"] = "minted", ["sub"] = "minted" },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }
}

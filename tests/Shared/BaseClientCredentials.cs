using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MedNetPortal.Tests.Shared;

/// <summary>
/// The OAuth client tests and benchmarks use to talk to the embedded base directly: registered through configuration like
/// any other client, and its tokens come from the base's token endpoint with client credentials, as a real client's do.
/// </summary>
public static class BaseClientCredentials
{
    public const string ClientId = "test-client";
    public const string ClientSecret = "test-client-secret-0123456789";
    public const string Scopes = "system/*.cruds";

    /// <summary>Settings that register <see cref="ClientId"/> (all scopes) at an embedded base in Embedded mode.</summary>
    public static IReadOnlyDictionary<string, string?> BaseSettings { get; } = new Dictionary<string, string?>
    {
        ["FhirBase:Auth:Mode"] = "Embedded",
        [$"FhirBase:Auth:Clients:{ClientId}:Secret"] = ClientSecret,
        [$"FhirBase:Auth:Clients:{ClientId}:Scopes"] = Scopes,
    };

    /// <summary>Settings for the portal's typed client (<c>AddCentralFhirClient</c>) to use <see cref="ClientId"/> at <paramref name="baseUri"/>.</summary>
    public static Dictionary<string, string?> ClientSettings(Uri baseUri) => new()
    {
        ["CentralFhir:BaseUrl"] = baseUri.ToString(),
        ["CentralFhir:ClientId"] = ClientId,
        ["CentralFhir:ClientSecret"] = ClientSecret,
    };

    /// <summary>A client of the base at <paramref name="fhirBase"/> (ending in <c>/</c>) with <paramref name="baseAddress"/> (default: the base).</summary>
    public static HttpClient CreateHttpClient(Uri fhirBase, Uri? baseAddress = null, string clientId = ClientId, string secret = ClientSecret, string? scope = null)
    {
        var http = new HttpClient(new ClientCredentialsHandler(new Uri(fhirBase, "auth/token"), clientId, secret, scope) { InnerHandler = new HttpClientHandler() })
        {
            BaseAddress = baseAddress ?? fhirBase,
        };
        return http;
    }
}

/// <summary>Adds a bearer token from the token endpoint (client credentials, HTTP Basic), cached until a minute before it expires.</summary>
public sealed class ClientCredentialsHandler(Uri tokenEndpoint, string clientId, string secret, string? scope) : DelegatingHandler
{
    private static readonly HttpClient TokenHttp = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _refreshAt;

    /// <summary>Token requests made so far.</summary>
    public int TokenRequests { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }

    /// <summary>A valid token, fetched when none is cached or the cached one is about to expire.</summary>
    public async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token is null || DateTimeOffset.UtcNow >= _refreshAt)
            {
                (_token, var lifetime) = await FetchAsync(cancellationToken);
                _refreshAt = DateTimeOffset.UtcNow + lifetime - TimeSpan.FromMinutes(1);
            }

            return _token;
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gate.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task<(string Token, TimeSpan Lifetime)> FetchAsync(CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (scope is not null)
        {
            form.Add(new("scope", scope));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, tokenEndpoint) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));
        TokenRequests++;
        using var response = await TokenHttp.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Token request of {clientId} failed: {(int)response.StatusCode} {body}");
        }

        using var json = JsonDocument.Parse(body);
        return (json.RootElement.GetProperty("access_token").GetString()!, TimeSpan.FromSeconds(json.RootElement.GetProperty("expires_in").GetInt32()));
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MedNetPortal.Fhir;

/// <summary>An OAuth client of the central base: its id and secret, and optionally the scopes to ask for and the token endpoint.</summary>
/// <param name="ClientId">The client id registered at the base's authority.</param>
/// <param name="ClientSecret">Its secret (sent with HTTP Basic, <c>client_secret_basic</c>).</param>
/// <param name="TokenEndpoint">The token endpoint; null: read from <c>[base]/.well-known/smart-configuration</c> at first use.</param>
public sealed record FhirClientCredentials(string ClientId, string ClientSecret, Uri? TokenEndpoint = null)
{
    /// <summary>Keeps the secret out of logs and exception messages.</summary>
    public override string ToString() => $"FhirClientCredentials {{ ClientId = {ClientId} }}";
}

/// <summary>A token provider that can be told the base refused a token, so the next call fetches a new one.</summary>
public interface IRefreshableFhirAccessTokenProvider : IFhirAccessTokenProvider
{
    /// <summary>Forgets <paramref name="rejectedToken"/> if it is the cached one.</summary>
    void Invalidate(string rejectedToken);
}

/// <summary>
/// OAuth 2.0 client credentials (SMART Backend Services with a client secret) against the base's token endpoint. Caches one
/// token per scope set until shortly before it expires (a fifth of its lifetime, at most one minute, early), has at most
/// one token request per scope set under way (on the token client's own timeout, whatever the caller's), and uses its own HttpClient (<see cref="FhirClientExtensions.TokenHttpClientName"/>) so token
/// requests never pass through, or count as, the FHIR client's pipeline. No scopes asked: the authority grants the client's
/// registered scopes.
/// </summary>
public sealed class ClientCredentialsTokenProvider : IRefreshableFhirAccessTokenProvider
{
    private readonly IHttpClientFactory _httpClients;
    private readonly FhirClientCredentials _credentials;
    private readonly CentralFhirEndpoint _endpoint;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, (string Token, DateTimeOffset RefreshAt)> _cache = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task<string>> _pending = new(StringComparer.Ordinal);
    private Uri? _tokenEndpoint;

    /// <summary>Creates the provider; nothing is requested before the first call.</summary>
    /// <param name="httpClients">Gives the <see cref="FhirClientExtensions.TokenHttpClientName"/> client.</param>
    /// <param name="credentials">The client's id, secret and (optional) token endpoint.</param>
    /// <param name="endpoint">The base, whose smart-configuration names the token endpoint when none is configured.</param>
    /// <param name="time">The clock for expiry.</param>
    public ClientCredentialsTokenProvider(
        IHttpClientFactory httpClients, FhirClientCredentials credentials, CentralFhirEndpoint endpoint, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        _httpClients = httpClients;
        _credentials = credentials;
        _endpoint = endpoint;
        _time = time;
        _tokenEndpoint = credentials.TokenEndpoint;
    }

    /// <inheritdoc/>
    public async Task<string> GetAccessTokenAsync(IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var key = string.Join(' ', scopes);
        Task<string>? fetch;
        TaskCompletionSource<string>? started = null;
        lock (_cache)
        {
            if (_cache.TryGetValue(key, out var entry) && _time.GetUtcNow() < entry.RefreshAt)
            {
                return entry.Token;
            }

            // One request at a time: callers that arrive while one is under way wait for it.
            if (!_pending.TryGetValue(key, out fetch))
            {
                started = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                fetch = started.Task;
                _pending[key] = fetch;
            }
        }

        if (started is not null)
        {
            _ = FetchAsync(key, started);
        }

        // The request runs on its own clock (the token client's timeout), not the caller's: a FHIR attempt that times out
        // while the first token is fetched leaves the fetch running, and its retry finds the token.
        return await fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task FetchAsync(string key, TaskCompletionSource<string> result)
    {
        try
        {
            var (token, lifetime) = await RequestAsync(key, CancellationToken.None).ConfigureAwait(false);
            var early = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, lifetime.Ticks / 5));
            lock (_cache)
            {
                _cache[key] = (token, _time.GetUtcNow() + lifetime - early);
                _pending.Remove(key);
            }

            result.SetResult(token);
        }
#pragma warning disable CA1031 // Every failure goes to the callers waiting for this request.
        catch (Exception e)
#pragma warning restore CA1031
        {
            lock (_cache)
            {
                _pending.Remove(key);
            }

            result.SetException(e);
        }
    }

    /// <inheritdoc/>
    public void Invalidate(string rejectedToken)
    {
        lock (_cache)
        {
            foreach (var (key, entry) in _cache.ToList())
            {
                if (entry.Token == rejectedToken)
                {
                    _cache.Remove(key);
                }
            }
        }
    }

    private async Task<(string Token, TimeSpan Lifetime)> RequestAsync(string scope, CancellationToken cancellationToken)
    {
        var http = _httpClients.CreateClient(FhirClientExtensions.TokenHttpClientName);
        var endpoint = _tokenEndpoint ??= await DiscoverAsync(http, cancellationToken).ConfigureAwait(false);
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (scope.Length > 0)
        {
            form.Add(new("scope", scope));
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(form) };
        // RFC 6749 2.3.1: id and secret are form-encoded before they are joined and base64-encoded.
        var basic = $"{Uri.EscapeDataString(_credentials.ClientId)}:{Uri.EscapeDataString(_credentials.ClientSecret)}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Refused(response.StatusCode, ErrorOf(body));
        }
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var token = root.GetProperty("access_token").GetString();
            var seconds = root.TryGetProperty("expires_in", out var expires) && expires.TryGetInt32(out var s) ? s : 300;
            if (string.IsNullOrEmpty(token))
            {
                throw Refused(response.StatusCode, "no access_token in the response");
            }
            return (token, TimeSpan.FromSeconds(Math.Max(1, seconds)));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw Refused(response.StatusCode, "the token response is not the JSON expected");
        }
    }

    private async Task<Uri> DiscoverAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var address = new Uri(_endpoint.BaseAddress, ".well-known/smart-configuration");
        using var response = await http.GetAsync(address, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Refused(response.StatusCode, "the base has no .well-known/smart-configuration; set CentralFhir:TokenEndpoint");
        }
        try
        {
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            var text = json.RootElement.GetProperty("token_endpoint").GetString();
            return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
                ? uri
                : throw Refused(response.StatusCode, "token_endpoint in .well-known/smart-configuration is not an absolute http(s) URL");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw Refused(response.StatusCode, ".well-known/smart-configuration is not the JSON expected");
        }
    }

    /// <summary>The OAuth <c>error</c> and <c>error_description</c> (never the secret: the server does not echo it).</summary>
    private static string ErrorOf(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var error = json.RootElement.TryGetProperty("error", out var e) ? e.GetString() : null;
            var description = json.RootElement.TryGetProperty("error_description", out var d) ? d.GetString() : null;
            return error is null ? "no OAuth error in the response" : $"{error}: {description}";
        }
        catch (JsonException)
        {
            return "the response is not JSON";
        }
    }

    private FhirApiException Refused(HttpStatusCode status, string detail) =>
        new(FhirApiErrorReason.Unauthorized, FhirApiException.DefaultMessage(FhirApiErrorReason.Unauthorized), status,
            diagnostics: $"Token request of client '{_credentials.ClientId}' failed ({(int)status}): {detail}");
}

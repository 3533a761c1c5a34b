using System.Collections.Concurrent;
using System.Net;
using System.Text;
using MedNetPortal.Fhir;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MedNetPortal.UnitTests.Fhir.Client;

/// <summary>The portal's client-credentials token provider behind the typed client: caching, one request at a time, 401 refresh.</summary>
public sealed class ClientCredentialsTests
{
    private const string BaseUrl = "https://fhir.example.org/r4/";
    private const string TokenUrl = "https://auth.example.org/token";

    [Fact]
    public async Task One_token_serves_many_calls_and_token_requests_never_pass_through_the_fhir_client()
    {
        var tokens = new TokenEndpoint();
        var fhir = new FhirServer();
        using var services = Build(tokens, fhir);
        var client = services.GetRequiredService<CentralFhirClient>();

        for (var i = 0; i < 5; i++)
        {
            await client.ReadAsync<Hl7.Fhir.Model.Patient>("p1", CancellationToken.None);
        }

        var request = Assert.Single(tokens.Requests);
        Assert.Equal(TokenUrl, request.Uri);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("portal:portal-secret-0123456789")), request.Authorization);
        Assert.Equal("grant_type=client_credentials", request.Body);
        Assert.Equal(5, fhir.Requests.Count);
        Assert.All(fhir.Requests, r => Assert.Equal("Bearer token-1", r.Authorization));
        Assert.DoesNotContain(fhir.Requests, r => r.Uri.Contains("token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Configured_scopes_are_asked_for()
    {
        var tokens = new TokenEndpoint();
        using var services = Build(tokens, new FhirServer(), new() { ["CentralFhir:Scopes"] = "system/*.rs system/AuditEvent.c" });

        await services.GetRequiredService<CentralFhirClient>().ReadAsync<Hl7.Fhir.Model.Patient>("p1", CancellationToken.None);

        Assert.Equal("grant_type=client_credentials&scope=system%2F%2A.rs+system%2FAuditEvent.c", Assert.Single(tokens.Requests).Body);
    }

    [Fact]
    public async Task The_token_is_renewed_a_minute_before_it_expires_not_sooner()
    {
        var clock = new ManualTime(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var tokens = new TokenEndpoint { ExpiresIn = 300 };
        using var services = Build(tokens, new FhirServer(), clock: clock);
        var client = services.GetRequiredService<CentralFhirClient>();

        await client.ReadAsync<Hl7.Fhir.Model.Patient>("p1", CancellationToken.None);
        clock.Now += TimeSpan.FromSeconds(239);
        await client.ReadAsync<Hl7.Fhir.Model.Patient>("p1", CancellationToken.None);
        var beforeRenewal = tokens.Requests.Count;
        clock.Now += TimeSpan.FromSeconds(2);
        await client.ReadAsync<Hl7.Fhir.Model.Patient>("p1", CancellationToken.None);

        Assert.Equal(1, beforeRenewal);
        Assert.Equal(2, tokens.Requests.Count);
    }

    [Fact]
    public async Task Calls_that_start_together_share_one_token_request()
    {
        var tokens = new TokenEndpoint { Delay = TimeSpan.FromMilliseconds(200) };
        var fhir = new FhirServer();
        using var services = Build(tokens, fhir);

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            services.GetRequiredService<CentralFhirClient>().ReadAsync<Hl7.Fhir.Model.Patient>("p1", CancellationToken.None)));

        Assert.Single(tokens.Requests);
        Assert.Equal(10, fhir.Requests.Count);
    }

    [Fact]
    public async Task A_caller_that_gives_up_leaves_the_token_request_running_for_the_next_one()
    {
        // A FHIR attempt that times out while the first token is on its way must not waste it: the retry gets it.
        var tokens = new TokenEndpoint { Delay = TimeSpan.FromMilliseconds(500) };
        using var services = Build(tokens, new FhirServer());
        var provider = services.GetServices<IFhirAccessTokenProvider>().Last();
        using var impatient = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.GetAccessTokenAsync([], impatient.Token));
        var token = await provider.GetAccessTokenAsync([], CancellationToken.None);

        Assert.Equal("token-1", token);
        Assert.Single(tokens.Requests);
    }

    [Fact]
    public async Task A_401_from_the_base_fetches_a_new_token_and_repeats_the_request_once()
    {
        var tokens = new TokenEndpoint();
        var fhir = new FhirServer { Refuse = token => token == "Bearer token-1" };
        using var services = Build(tokens, fhir);

        var created = await services.GetRequiredService<CentralFhirClient>().CreateAsync(new Hl7.Fhir.Model.Patient(), null, CancellationToken.None);

        Assert.NotNull(created);
        Assert.Equal(2, tokens.Requests.Count);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], fhir.Requests.Select(r => r.Authorization));
        Assert.All(fhir.Requests, r => Assert.Equal("""{"resourceType":"Patient"}""", r.Body));
    }

    [Fact]
    public async Task A_base_that_keeps_answering_401_gets_one_repeat_then_the_caller_sees_unauthorized()
    {
        var tokens = new TokenEndpoint();
        var fhir = new FhirServer { Refuse = _ => true };
        using var services = Build(tokens, fhir);

        var error = await Assert.ThrowsAsync<FhirApiException>(() =>
            services.GetRequiredService<CentralFhirClient>().ReadAsync<Hl7.Fhir.Model.Patient>("p1", CancellationToken.None));

        Assert.Equal(FhirApiErrorReason.Unauthorized, error.Reason);
        Assert.Equal(2, fhir.Requests.Count);
        Assert.Equal(2, tokens.Requests.Count);
    }

    [Fact]
    public async Task A_refused_token_request_is_an_unauthorized_failure_that_names_the_oauth_error_but_not_the_secret()
    {
        var tokens = new TokenEndpoint { Refuse = true };
        var fhir = new FhirServer();
        using var services = Build(tokens, fhir);

        var error = await Assert.ThrowsAsync<FhirApiException>(() =>
            services.GetRequiredService<CentralFhirClient>().ReadAsync<Hl7.Fhir.Model.Patient>("p1", CancellationToken.None));

        Assert.Equal(FhirApiErrorReason.Unauthorized, error.Reason);
        Assert.Contains("invalid_client", error.Diagnostics, StringComparison.Ordinal);
        Assert.DoesNotContain("portal-secret", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(fhir.Requests);
    }

    [Fact]
    public async Task Without_a_configured_token_endpoint_it_is_read_from_the_bases_smart_configuration_once()
    {
        var clock = new ManualTime(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var tokens = new TokenEndpoint();
        using var services = Build(tokens, new FhirServer(), new() { ["CentralFhir:TokenEndpoint"] = "" }, clock);
        var client = services.GetRequiredService<CentralFhirClient>();

        await client.ReadAsync<Hl7.Fhir.Model.Patient>("p1", CancellationToken.None);
        clock.Now += TimeSpan.FromMinutes(10);
        await client.ReadAsync<Hl7.Fhir.Model.Patient>("p1", CancellationToken.None);

        Assert.Equal(1, tokens.Discoveries);
        Assert.Equal([TokenUrl + "?from=discovery", TokenUrl + "?from=discovery"], tokens.Requests.Select(r => r.Uri));
    }

    [Fact]
    public async Task A_second_named_client_authenticates_as_its_own_client()
    {
        var tokens = new TokenEndpoint();
        var fhir = new FhirServer();
        using var services = Build(tokens, fhir, configure: s =>
            s.AddCentralFhirClientAs("demo-ehr", _ => new FhirClientCredentials("demo-ehr", "demo-ehr-secret-0123456789", new Uri(TokenUrl)))
                .ConfigurePrimaryHttpMessageHandler(() => fhir));

        await services.GetRequiredService<CentralFhirClient>().ReadAsync<Hl7.Fhir.Model.Patient>("p1", CancellationToken.None);
        await services.GetRequiredKeyedService<IFhirApi>("demo-ehr").ReadAsync("Patient", "p1", CancellationToken.None);

        Assert.Equal(
            ["portal:portal-secret-0123456789", "demo-ehr:demo-ehr-secret-0123456789"],
            tokens.Requests.Select(r => Encoding.UTF8.GetString(Convert.FromBase64String(r.Authorization!["Basic ".Length..]))));
        Assert.Equal(["Bearer token-1", "Bearer token-2"], fhir.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public void A_client_id_without_a_secret_stops_the_start_naming_the_key()
    {
        using var services = Build(new TokenEndpoint(), new FhirServer(), new() { ["CentralFhir:ClientSecret"] = "" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CentralFhirOptions>>().Value);

        Assert.Contains("CentralFhir:ClientSecret is required when CentralFhir:ClientId is set", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(
        TokenEndpoint tokens, FhirServer fhir, Dictionary<string, string?>? settings = null, TimeProvider? clock = null, Action<IServiceCollection>? configure = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["CentralFhir:BaseUrl"] = BaseUrl,
            ["CentralFhir:ClientId"] = "portal",
            ["CentralFhir:ClientSecret"] = "portal-secret-0123456789",
            ["CentralFhir:TokenEndpoint"] = TokenUrl,
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var services = new ServiceCollection();
        services.AddSingleton(clock ?? TimeProvider.System);
        services.AddCentralFhirClient(new ConfigurationBuilder().AddInMemoryCollection(all).Build()).ConfigurePrimaryHttpMessageHandler(() => fhir);
        services.AddHttpClient(FhirClientExtensions.TokenHttpClientName).ConfigurePrimaryHttpMessageHandler(() => tokens);
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    private sealed record Seen(string Uri, string? Authorization, string? Body);

    /// <summary>The authority: hands out token-1, token-2, …; also serves the base's smart-configuration.</summary>
    private sealed class TokenEndpoint : HttpMessageHandler
    {
        private int _issued;

        public ConcurrentQueue<Seen> Requests { get; } = new();

        public int Discoveries { get; private set; }

        public int ExpiresIn { get; set; } = 300;

        public TimeSpan Delay { get; set; }

        public bool Refuse { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsoluteUri == BaseUrl + ".well-known/smart-configuration")
            {
                Discoveries++;
                return Json(HttpStatusCode.OK, $$"""{"token_endpoint":"{{TokenUrl}}?from=discovery"}""");
            }

            Requests.Enqueue(new Seen(request.RequestUri.AbsoluteUri, request.Headers.Authorization?.ToString(), await request.Content!.ReadAsStringAsync(cancellationToken)));
            await Task.Delay(Delay, cancellationToken);
            if (Refuse)
            {
                return Json(HttpStatusCode.Unauthorized, """{"error":"invalid_client","error_description":"The client is not registered, or its secret is wrong."}""");
            }

            var token = "token-" + Interlocked.Increment(ref _issued);
            return Json(HttpStatusCode.OK, $$"""{"access_token":"{{token}}","token_type":"Bearer","expires_in":{{ExpiresIn}}}""");
        }

        private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
            new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
    }

    /// <summary>The base: records each request, answers 401 when <see cref="Refuse"/> says so, else a Patient.</summary>
    private sealed class FhirServer : HttpMessageHandler
    {
        public ConcurrentQueue<Seen> Requests { get; } = new();

        public Func<string?, bool> Refuse { get; set; } = _ => false;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var authorization = request.Headers.Authorization?.ToString();
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            Requests.Enqueue(new Seen(request.RequestUri!.AbsoluteUri, authorization, body));
            if (Refuse(authorization))
            {
                return new HttpResponseMessage(HttpStatusCode.Unauthorized)
                {
                    Content = new StringContent("""{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"login"}]}""", Encoding.UTF8, "application/fhir+json"),
                    RequestMessage = request,
                };
            }

            var response = new HttpResponseMessage(request.Method == HttpMethod.Post ? HttpStatusCode.Created : HttpStatusCode.OK)
            {
                Content = new StringContent("""{"resourceType":"Patient","id":"p1","meta":{"versionId":"1"}}""", Encoding.UTF8, "application/fhir+json"),
                RequestMessage = request,
            };
            response.Headers.Location = new Uri(BaseUrl + "Patient/p1/_history/1");
            return response;
        }
    }

    private sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}

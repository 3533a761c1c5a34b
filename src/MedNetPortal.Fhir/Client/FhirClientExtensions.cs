using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace MedNetPortal.Fhir;

/// <summary>Registers the typed central-base client.</summary>
public static class FhirClientExtensions
{
    /// <summary>The name of the HttpClient behind <see cref="IFhirApi"/> and <see cref="CentralFhirClient"/>.</summary>
    public const string HttpClientName = "CentralFhir";

    /// <summary>The HttpClient token requests go through: apart from the FHIR client, so they are never counted as FHIR calls.</summary>
    public const string TokenHttpClientName = "CentralFhir.Token";

    /// <summary>The Refit settings of the client: FHIR JSON serializer and every failure as <see cref="FhirApiException"/>.</summary>
    public static RefitSettings RefitSettings { get; } = CreateRefitSettings();

    /// <summary>
    /// Adds <see cref="IFhirApi"/> and <see cref="CentralFhirClient"/> configured from section <c>CentralFhir</c>
    /// (see <see cref="CentralFhirOptions"/>, validated at start-up).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration root holding section <c>CentralFhir</c>.</param>
    /// <param name="fallbackBaseAddress">
    /// Resolves the embedded base's address (e.g. <c>http://127.0.0.1:5080/fhir/</c>) when <c>CentralFhir:BaseUrl</c> is
    /// empty. Called once, at the first request, because the listening address is only known after the server started.
    /// Without it an empty BaseUrl fails start-up.
    /// </param>
    /// <returns>The HttpClient builder, so tests can replace the primary handler (e.g. to count requests).</returns>
    /// <remarks>
    /// Handlers, outermost first: <see cref="FhirResponseHandler"/> (Accept, errors → <see cref="FhirApiException"/>),
    /// base-address rewrite, the standard resilience pipeline (numbers and reasons on <see cref="CentralFhirOptions"/>),
    /// the bearer-token handler (per attempt), then the primary handler.
    /// </remarks>
    public static IHttpClientBuilder AddCentralFhirClient(
        this IServiceCollection services,
        IConfiguration configuration,
        Func<IServiceProvider, Uri>? fallbackBaseAddress = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<CentralFhirOptions>()
            .Bind(configuration.GetSection(CentralFhirOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<CentralFhirOptions>>(new CentralFhirOptionsValidator(fallbackBaseAddress is not null));
        services.TryAddSingleton(sp => new CentralFhirEndpoint(sp.GetRequiredService<IOptions<CentralFhirOptions>>(), sp, fallbackBaseAddress));
        services.TryAddTransient<FhirResponseHandler>();
        services.TryAddTransient<BaseAddressHandler>();
        services.TryAddTransient(sp => new FhirBearerTokenHandler(
            sp.GetRequiredService<IOptions<CentralFhirOptions>>(), sp.GetServices<IFhirAccessTokenProvider>()));
        services.TryAddSingleton(TimeProvider.System);
        AddTokenHttpClient(services);
        if (!string.IsNullOrWhiteSpace(configuration[$"{CentralFhirOptions.SectionName}:{nameof(CentralFhirOptions.ClientId)}"]))
        {
            // Registered last so it wins over an Entra ID provider: a configured client id means client credentials.
            services.AddSingleton<IFhirAccessTokenProvider>(sp =>
            {
                var options = sp.GetRequiredService<IOptions<CentralFhirOptions>>().Value;
                return new ClientCredentialsTokenProvider(
                    sp.GetRequiredService<IHttpClientFactory>(),
                    new FhirClientCredentials(options.ClientId!.Trim(), options.ClientSecret!, TokenEndpointOf(options)),
                    sp.GetRequiredService<CentralFhirEndpoint>(),
                    sp.GetRequiredService<TimeProvider>());
            });
        }

        var builder = AddPipeline(services, HttpClientName, sp => sp.GetRequiredService<FhirBearerTokenHandler>());
        services.TryAddTransient(sp => RestService.For<IFhirApi>(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName), RefitSettings));
        services.TryAddTransient<CentralFhirClient>();
        services.TryAddSingleton<BaseStatedIncludes>();
        return builder;
    }

    /// <summary>
    /// A second client of the same base (same <c>CentralFhir</c> settings, handlers and resilience) that authenticates as
    /// another OAuth client, e.g. the demo seeder writing as an outside EHR. Resolve it as the keyed
    /// <see cref="IFhirApi"/> <paramref name="name"/>. Call after <see cref="AddCentralFhirClient"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The key of the <see cref="IFhirApi"/> and the name of its HttpClient.</param>
    /// <param name="credentials">The client's credentials, resolved when the client is first used.</param>
    /// <param name="scopes">Scopes to ask for; empty: the client's registered scopes.</param>
    public static IHttpClientBuilder AddCentralFhirClientAs(
        this IServiceCollection services, string name, Func<IServiceProvider, FhirClientCredentials> credentials, params string[] scopes)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(credentials);
        services.AddKeyedSingleton<IFhirAccessTokenProvider>(name, (sp, _) => new ClientCredentialsTokenProvider(
            sp.GetRequiredService<IHttpClientFactory>(), credentials(sp), sp.GetRequiredService<CentralFhirEndpoint>(), sp.GetRequiredService<TimeProvider>()));
        var builder = AddPipeline(services, name, sp => new FhirBearerTokenHandler(
            sp.GetRequiredKeyedService<IFhirAccessTokenProvider>(name), () => scopes, withoutScopes: true));
        services.AddKeyedTransient(name, (sp, _) => RestService.For<IFhirApi>(sp.GetRequiredService<IHttpClientFactory>().CreateClient(name), RefitSettings));
        return builder;
    }

    private static IHttpClientBuilder AddPipeline(IServiceCollection services, string name, Func<IServiceProvider, DelegatingHandler> tokenHandler)
    {
        var builder = services
            .AddHttpClient(name, (sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredService<CentralFhirEndpoint>().ClientBaseAddress;
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler<FhirResponseHandler>()
            .AddHttpMessageHandler<BaseAddressHandler>();

        builder.AddStandardResilienceHandler()
            .Configure((HttpStandardResilienceOptions resilience, IServiceProvider sp) =>
                ConfigureResilience(resilience, sp.GetRequiredService<IOptions<CentralFhirOptions>>().Value));

        builder.AddHttpMessageHandler(tokenHandler);
        return builder;
    }

    private static void AddTokenHttpClient(IServiceCollection services) =>
        services.AddHttpClient(TokenHttpClientName, (sp, client) =>
            client.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<CentralFhirOptions>>().Value.TimeoutSeconds));

    private static Uri? TokenEndpointOf(CentralFhirOptions options) =>
        string.IsNullOrWhiteSpace(options.TokenEndpoint) ? null : new Uri(options.TokenEndpoint.Trim());

    /// <summary>Applies the numbers documented on <see cref="CentralFhirOptions"/>.</summary>
    internal static void ConfigureResilience(HttpStandardResilienceOptions resilience, CentralFhirOptions options)
    {
        var total = TimeSpan.FromSeconds(options.TimeoutSeconds);
        var attempt = TimeSpan.FromSeconds(Math.Min(options.AttemptTimeoutSeconds, options.TimeoutSeconds));
        resilience.TotalRequestTimeout.Timeout = total;
        resilience.AttemptTimeout.Timeout = attempt;
        // A write is never retried, so cutting its single attempt short only turns a slow success into an error.
        resilience.AttemptTimeout.TimeoutGenerator = args => ValueTask.FromResult(
            FhirRequestKinds.IsSafeToRetry(args.Context.GetRequestMessage()) ? attempt : total);

        resilience.Retry.MaxRetryAttempts = 2;
        resilience.Retry.Delay = TimeSpan.FromMilliseconds(500);
        resilience.Retry.BackoffType = Polly.DelayBackoffType.Exponential;
        resilience.Retry.UseJitter = true;
        resilience.Retry.ShouldRetryAfterHeader = true;
        resilience.Retry.ShouldHandle = args => ValueTask.FromResult(
            FhirRequestKinds.IsSafeToRetry(args.Context.GetRequestMessage())
            && HttpClientResiliencePredicates.IsTransient(args.Outcome));

        resilience.CircuitBreaker.FailureRatio = 0.5;
        resilience.CircuitBreaker.MinimumThroughput = 10;
        // The breaker's window must be at least twice the attempt timeout (library rule).
        resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, attempt.TotalSeconds * 2));
        resilience.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(15);
    }

    private static RefitSettings CreateRefitSettings() => new(new FhirContentSerializer())
    {
        // Reached only when IFhirApi is used over an HttpClient without FhirResponseHandler.
        ExceptionFactory = async response => response.IsSuccessStatusCode
            ? null
            : await FhirResponseHandler.CreateFromErrorResponseAsync(response, CancellationToken.None).ConfigureAwait(false),
        DeserializationExceptionFactory = (response, exception) => ValueTask.FromResult<Exception?>(
            FhirResponseHandler.Malformed(
                response?.StatusCode ?? HttpStatusCode.OK,
                $"The {(int)(response?.StatusCode ?? HttpStatusCode.OK)} body is not the FHIR JSON expected ({exception.GetType().Name}).",
                exception)),
        TransportExceptionFactory = (request, exception, cancellationToken) =>
            exception is OperationCanceledException && cancellationToken.IsCancellationRequested
                ? exception
                : FhirResponseHandler.MapTransportFailure(exception) ?? exception,
    };
}

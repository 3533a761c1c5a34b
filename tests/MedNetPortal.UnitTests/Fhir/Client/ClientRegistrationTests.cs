using System.Net;
using MedNetPortal.Fhir;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MedNetPortal.UnitTests.Fhir.Client;

/// <summary>Primary handler that counts requests and answers 200 with a tiny Patient.</summary>
internal sealed class CountingHandler : HttpMessageHandler
{
    public List<HttpRequestMessage> Requests { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("{\"resourceType\":\"Patient\",\"id\":\"p1\"}", System.Text.Encoding.UTF8, "application/fhir+json"),
            RequestMessage = request,
        });
    }
}

internal sealed class FakeTokenProvider : IFhirAccessTokenProvider
{
    public List<IReadOnlyList<string>> Calls { get; } = [];

    public Task<string> GetAccessTokenAsync(IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        Calls.Add(scopes);
        return Task.FromResult("token-" + Calls.Count);
    }
}

public sealed class ClientRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, CountingHandler handler, Func<IServiceProvider, Uri>? fallback = null, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddCentralFhirClient(configuration, fallback).ConfigurePrimaryHttpMessageHandler(() => handler);
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    private static string ValidationMessage(Dictionary<string, string?> settings, Func<IServiceProvider, Uri>? fallback = null)
    {
        using var services = Build(settings, new CountingHandler(), fallback);
        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CentralFhirOptions>>().Value);
        return ex.Message;
    }

    [Theory]
    [InlineData("fhir.example.org/r4")]
    [InlineData("ftp://fhir.example.org/r4")]
    [InlineData("https://fhir.example.org/r4?x=1")]
    [InlineData("https://fhir.example.org/r4#frag")]
    [InlineData("/fhir")]
    [InlineData("https://user:pw@fhir.example.org/r4")]
    public void Bad_base_url_is_named(string baseUrl) =>
        Assert.Contains("CentralFhir:BaseUrl must be an absolute http(s) URL", ValidationMessage(new() { ["CentralFhir:BaseUrl"] = baseUrl }), StringComparison.Ordinal);

    [Fact]
    public void Empty_base_url_without_an_embedded_resolver_is_named() =>
        Assert.Contains("CentralFhir:BaseUrl", ValidationMessage(new() { ["CentralFhir:BaseUrl"] = "" }), StringComparison.Ordinal);

    [Theory]
    [InlineData("0")]
    [InlineData("301")]
    [InlineData("-5")]
    public void Timeout_out_of_range_is_named(string seconds) =>
        Assert.Contains("CentralFhir:TimeoutSeconds", ValidationMessage(new() { ["CentralFhir:BaseUrl"] = "https://x.example/r4", ["CentralFhir:TimeoutSeconds"] = seconds }), StringComparison.Ordinal);

    [Fact]
    public void Scopes_with_control_characters_are_named() =>
        Assert.Contains("CentralFhir:Scopes", ValidationMessage(new() { ["CentralFhir:BaseUrl"] = "https://x.example/r4", ["CentralFhir:Scopes"] = "a\nb" }), StringComparison.Ordinal);

    [Fact]
    public void Valid_options_pass_and_empty_base_is_fine_with_a_resolver()
    {
        using var configured = Build(new() { ["CentralFhir:BaseUrl"] = "http://127.0.0.1:8080/fhir", ["CentralFhir:TimeoutSeconds"] = "300", ["CentralFhir:Scopes"] = "api://x/.default" }, new CountingHandler());
        Assert.Equal(300, configured.GetRequiredService<IOptions<CentralFhirOptions>>().Value.TimeoutSeconds);

        using var embedded = Build(new(), new CountingHandler(), _ => new Uri("http://127.0.0.1:5080/fhir"));
        Assert.Equal(30, embedded.GetRequiredService<IOptions<CentralFhirOptions>>().Value.TimeoutSeconds);
    }

    [Fact]
    public async Task Options_are_validated_at_start_up()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["CentralFhir:TimeoutSeconds"] = "0", ["CentralFhir:BaseUrl"] = "https://x.example" });
        builder.Services.AddCentralFhirClient(builder.Configuration);
        using var host = builder.Build();

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        Assert.True(ex is OptionsValidationException or AggregateException { InnerExceptions: [OptionsValidationException, ..] });

        Assert.Contains("CentralFhir:TimeoutSeconds", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_base_url_resolves_the_embedded_base_lazily_once_at_first_request()
    {
        var handler = new CountingHandler();
        var resolverCalls = 0;
        using var services = Build(new(), handler, _ =>
        {
            resolverCalls++;
            return new Uri("http://127.0.0.1:5080/fhir");
        });
        _ = services.GetRequiredService<IOptions<CentralFhirOptions>>().Value;
        var client = services.GetRequiredService<CentralFhirClient>();
        Assert.Equal(0, resolverCalls);

        await client.ReadAsync<Hl7.Fhir.Model.Patient>("p1", CancellationToken.None);
        await client.ReadAsync<Hl7.Fhir.Model.Patient>("p1", CancellationToken.None);

        Assert.Equal(1, resolverCalls);
        Assert.All(handler.Requests, r => Assert.Equal("http://127.0.0.1:5080/fhir/Patient/p1", r.RequestUri!.AbsoluteUri));
    }

    [Fact]
    public async Task Token_handler_adds_bearer_with_configured_scopes()
    {
        var handler = new CountingHandler();
        var provider = new FakeTokenProvider();
        using var services = Build(
            new() { ["CentralFhir:BaseUrl"] = "https://fhir.example.org/r4", ["CentralFhir:Scopes"] = " api://fhir/read  api://fhir/write " },
            handler,
            configure: s => s.AddSingleton<IFhirAccessTokenProvider>(provider));

        await services.GetRequiredService<CentralFhirClient>().ReadAsync<Hl7.Fhir.Model.Patient>("p1", CancellationToken.None);

        var request = Assert.Single(handler.Requests);
        Assert.Equal("Bearer", request.Headers.Authorization?.Scheme);
        Assert.Equal("token-1", request.Headers.Authorization?.Parameter);
        Assert.Equal(["api://fhir/read", "api://fhir/write"], Assert.Single(provider.Calls));
    }

    [Fact]
    public async Task No_token_without_scopes_even_with_a_provider()
    {
        var handler = new CountingHandler();
        var provider = new FakeTokenProvider();
        using var services = Build(new() { ["CentralFhir:BaseUrl"] = "https://fhir.example.org/r4" }, handler, configure: s => s.AddSingleton<IFhirAccessTokenProvider>(provider));

        await services.GetRequiredService<CentralFhirClient>().ReadAsync<Hl7.Fhir.Model.Patient>("p1", CancellationToken.None);

        Assert.Null(Assert.Single(handler.Requests).Headers.Authorization);
        Assert.Empty(provider.Calls);
    }

    [Fact]
    public async Task No_token_without_a_provider_even_with_scopes()
    {
        var handler = new CountingHandler();
        using var services = Build(new() { ["CentralFhir:BaseUrl"] = "https://fhir.example.org/r4", ["CentralFhir:Scopes"] = "a" }, handler);

        await services.GetRequiredService<CentralFhirClient>().ReadAsync<Hl7.Fhir.Model.Patient>("p1", CancellationToken.None);

        Assert.Null(Assert.Single(handler.Requests).Headers.Authorization);
    }

    [Fact]
    public async Task Unreachable_server_is_a_typed_exception()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["CentralFhir:BaseUrl"] = "https://fhir.example.org/r4" }).Build();
        var services = new ServiceCollection();
        services.AddCentralFhirClient(configuration).ConfigurePrimaryHttpMessageHandler(() => new ThrowingHandler());
        using var provider = services.BuildServiceProvider();

        var ex = await Assert.ThrowsAsync<FhirApiException>(() => provider.GetRequiredService<IFhirApi>().ReadAsync("Patient", "p1", CancellationToken.None));

        Assert.Equal(FhirApiErrorReason.Unreachable, ex.Reason);
        Assert.Null(ex.StatusCode);
    }

    [Fact]
    public async Task Caller_cancellation_stays_a_cancellation()
    {
        using var services = Build(new() { ["CentralFhir:BaseUrl"] = "https://fhir.example.org/r4" }, new CountingHandler());
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => services.GetRequiredService<IFhirApi>().ReadAsync("Patient", "p1", cts.Token));
    }

    private sealed class ThrowingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException("Connection refused (127.0.0.1:1)");
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using MedNetPortal.Fhir;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.IntegrationTests.Fhir.Recorded;

/// <summary>A request as the server received it (captured before the handler returns).</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, HttpRequestHeaders Headers, string? ContentType, string? Body)
{
    public string? Header(string name) => Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}

/// <summary>Primary handler that serves scripted responses and records every request the client sent.</summary>
internal sealed class RecordedServer : HttpMessageHandler
{
    private readonly Queue<Func<HttpRequestMessage, HttpResponseMessage>> _script = new();

    public List<RecordedRequest> Requests { get; } = [];

    public RecordedServer Then(HttpStatusCode status, string? file = null, string contentType = "application/fhir+json;charset=UTF-8", Action<HttpResponseMessage>? configure = null)
    {
        _script.Enqueue(_ =>
        {
            var response = new HttpResponseMessage(status);
            if (file is not null)
            {
                response.Content = new ByteArrayContent(File.ReadAllBytes(PathOf(file)));
                response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
            else
            {
                response.Content = new ByteArrayContent([]);
            }

            configure?.Invoke(response);
            return response;
        });
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add(new RecordedRequest(request.Method, request.RequestUri!, request.Headers, request.Content?.Headers.ContentType?.ToString(), body));
        if (_script.Count == 0)
        {
            throw new InvalidOperationException($"Unscripted request {request.Method} {request.RequestUri}");
        }

        var response = _script.Dequeue()(request);
        response.RequestMessage = request;
        return response;
    }

    public static string PathOf(string file, [CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "Recorded", file));

    /// <summary>A service provider with the real client registration and this handler as the primary handler.</summary>
    public ServiceProvider BuildServices(string baseUrl = "https://fhir.example.org/r4", Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["CentralFhir:BaseUrl"] = baseUrl })
            .Build();
        var services = new ServiceCollection();
        services.AddCentralFhirClient(configuration).ConfigurePrimaryHttpMessageHandler(() => this);
        configure?.Invoke(services);
        return services.BuildServiceProvider(validateScopes: true);
    }
}

internal static class TestText
{
    public static string Utf8(string file) => Encoding.UTF8.GetString(File.ReadAllBytes(RecordedServer.PathOf(file)));
}

using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MedNetPortal.IntegrationTests.Faults;

public enum FaultMode
{
    Healthy,
    Slow,
    Status500,
    Status503,
    TruncatedJson,
    HtmlErrorPage,
    WrongResourceType,
    Empty200,
}

/// <summary>
/// A tiny stand-in for the central base on 127.0.0.1: healthy answers (an empty searchset, a Patient, 201 on create) or the
/// fault of the moment. Stop and start again on the same port to simulate a base that is down and comes back.
/// </summary>
public sealed class FakeCentralBase : IAsyncDisposable
{
    private WebApplication? app;
    private int requests;

    public FaultMode Mode { get; set; }

    public int Port { get; private set; }

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/fhir/");

    public int Requests => Volatile.Read(ref requests);

    public List<string> Log { get; } = [];

    public static async Task<FakeCentralBase> StartAsync()
    {
        var fake = new FakeCentralBase { Port = FreePort() };
        await fake.StartAgainAsync();
        return fake;
    }

    public async Task StartAgainAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
    }

    public async Task StopAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            app = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref requests);
        lock (Log)
        {
            Log.Add($"{context.Request.Method} {context.Request.Path}");
        }

        var response = context.Response;
        switch (Mode)
        {
            case FaultMode.Slow:
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                break;
            case FaultMode.Status500:
                response.StatusCode = 500;
                await WriteAsync(response, """{"resourceType":"OperationOutcome","issue":[{"severity":"fatal","code":"exception","diagnostics":"boom"}]}""");
                return;
            case FaultMode.Status503:
                response.StatusCode = 503;
                response.ContentType = "text/plain";
                await response.WriteAsync("Service Unavailable");
                return;
            case FaultMode.TruncatedJson:
                await WriteAsync(response, """{"resourceType":"Bundle","type":"searchset","total":1,"entry":[{"resource":{"resourceType":"Pat""");
                return;
            case FaultMode.HtmlErrorPage:
                response.ContentType = "text/html";
                await response.WriteAsync("<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>");
                return;
            case FaultMode.WrongResourceType:
                await WriteAsync(response, """{"resourceType":"OperationOutcome","issue":[{"severity":"information","code":"informational"}]}""");
                return;
            case FaultMode.Empty200:
                response.StatusCode = 200;
                return;
        }

        var path = context.Request.Path.Value ?? string.Empty;
        if (HttpMethods.IsPost(context.Request.Method) && path.TrimEnd('/').EndsWith("/fhir", StringComparison.Ordinal))
        {
            // A transaction (a letter with its DocumentReference and Task): every entry created, in order.
            var request = System.Text.Json.Nodes.JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted));
            var entries = (request?["entry"] as System.Text.Json.Nodes.JsonArray ?? []).Select((e, i) =>
            {
                var type = e?["resource"]?["resourceType"]?.GetValue<string>() ?? "Resource";
                var id = type == "Bundle" ? "b1" : "r" + i;
                return "{\"response\":{\"status\":\"201 Created\",\"location\":\"" + type + "/" + id + "/_history/1\"}}";
            });
            await WriteAsync(response, "{\"resourceType\":\"Bundle\",\"type\":\"transaction-response\",\"entry\":[" + string.Join(',', entries) + "]}");
            return;
        }

        if (HttpMethods.IsPost(context.Request.Method) && !path.EndsWith("/_search", StringComparison.Ordinal))
        {
            response.StatusCode = 201;
            response.Headers.Location = "Bundle/b1/_history/1";
            await WriteAsync(response, """{"resourceType":"Bundle","id":"b1","meta":{"versionId":"1"},"type":"document"}""");
            return;
        }

        if (path.Contains("/Patient/", StringComparison.Ordinal) && !path.EndsWith("/_search", StringComparison.Ordinal))
        {
            await WriteAsync(response, """{"resourceType":"Patient","id":"p1"}""");
            return;
        }

        await WriteAsync(response, """{"resourceType":"Bundle","type":"searchset","total":0}""");
    }

    private static Task WriteAsync(HttpResponse response, string json)
    {
        response.ContentType = "application/fhir+json";
        return response.WriteAsync(json);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Keeps every log entry of the services under test, to assert nothing was logged as an error with an exception.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public List<(string Category, LogLevel Level, Exception? Exception, string Message)> Entries { get; } = [];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner.Entries)
            {
                owner.Entries.Add((category, logLevel, exception, formatter(state, exception)));
            }
        }
    }
}

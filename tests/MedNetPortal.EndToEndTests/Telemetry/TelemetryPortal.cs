using System.Collections.Concurrent;
using System.Diagnostics;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MedNetPortal.EndToEndTests.Telemetry;

/// <summary>
/// A stand-in OTLP/HTTP collector on 127.0.0.1: keeps every export body (protobuf) by signal path, answers 200.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication app;

    private OtlpReceiver(WebApplication app) => this.app = app;

    public ConcurrentQueue<(string Path, string ContentType, byte[] Body)> Exports { get; } = new();

    public Uri Address => new(app.Urls.First());

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/{signal}", async (HttpContext http, string signal) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            receiver.Exports.Enqueue(("/v1/" + signal, http.Request.ContentType ?? string.Empty, buffer.ToArray()));
            http.Response.ContentType = "application/x-protobuf";
            return Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>
/// The real portal (demo data, embedded base) with telemetry on, exporting OTLP/HTTP to an <see cref="OtlpReceiver"/> and, after
/// the portal's own processors, to in-memory exporters the test reads; plus one headless Chromium.
/// </summary>
public sealed class TelemetryPortal : TestPortal, IAsyncLifetime
{
    private IPlaywright? playwright;

    public TelemetryPortal()
        : base(new Dictionary<string, string?> { ["Demo:Enabled"] = "true" }, dataFolderPrefix: "mednet-e2e-telemetry-")
    {
    }

    public OtlpReceiver Receiver { get; private set; } = null!;

    public List<Activity> Spans { get; } = [];

    public List<MetricSnapshot> Metrics { get; } = [];

    public List<LogRecord> Logs { get; } = [];

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Copies of what the in-memory exporters hold (they are written from the SDK's threads).</summary>
    public (List<Activity> Spans, List<MetricSnapshot> Metrics, List<LogRecord> Logs) Snapshot()
    {
        lock (Spans)
        {
            lock (Metrics)
            {
                lock (Logs)
                {
                    return ([.. Spans], [.. Metrics], [.. Logs]);
                }
            }
        }
    }

    /// <summary>Makes every provider export what it holds now (to the receiver and to the in-memory lists).</summary>
    public void Flush()
    {
        Services.GetRequiredService<TracerProvider>().ForceFlush(10_000);
        Services.GetRequiredService<MeterProvider>().ForceFlush(10_000);
        Services.GetRequiredService<LoggerProvider>().ForceFlush(10_000);
    }

    public async Task InitializeAsync()
    {
        Receiver = await OtlpReceiver.StartAsync();
        (playwright, Browser) = await BrowserFixture.LaunchAsync();
        _ = RootUri;
    }

    public Task<IBrowserContext> NewContextAsync() =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = RootUri.ToString(),
            Locale = "ja-JP",
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
        });

    // The receiver's address is known only once it started (InitializeAsync), before the server starts.
    protected override void ConfigureTestHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in new Dictionary<string, string?>
                 {
                     ["Telemetry:Enabled"] = "true",
                     ["Telemetry:OtlpProtocol"] = "HttpProtobuf",
                     ["Telemetry:OtlpEndpoint"] = Receiver.Address.ToString(),
                     ["Telemetry:ServiceName"] = "mednetportal-e2e",
                     ["Telemetry:MetricExportIntervalSeconds"] = "2",
                     // Information and up from every category, framework included: more log records to scan than production's.
                     ["Logging:LogLevel:Default"] = "Information",
                     ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
                     ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Information",
                 })
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging
            .AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(null, LogLevel.Warning));
        builder.ConfigureTestServices(services =>
        {
            // After the portal's redaction processors and OTLP exporters: these see exactly what the collector gets.
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(new LockedCollection<Activity>(Spans)));
            services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(
                new LockedCollection<MetricSnapshot>(Metrics), reader => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 2000));
            services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddInMemoryExporter(new LockedCollection<LogRecord>(Logs)));
        });
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        await DisposeAsync();
        if (Receiver is not null)
        {
            await Receiver.DisposeAsync();
        }
    }

    /// <summary>A list the exporters add to under its own lock.</summary>
    private sealed class LockedCollection<T>(List<T> inner) : ICollection<T>
    {
        public int Count { get { lock (inner) { return inner.Count; } } }

        public bool IsReadOnly => false;

        public void Add(T item)
        {
            lock (inner)
            {
                inner.Add(item);
            }
        }

        public void Clear()
        {
            lock (inner)
            {
                inner.Clear();
            }
        }

        public bool Contains(T item) { lock (inner) { return inner.Contains(item); } }

        public void CopyTo(T[] array, int arrayIndex) { lock (inner) { inner.CopyTo(array, arrayIndex); } }

        public bool Remove(T item) { lock (inner) { return inner.Remove(item); } }

        public IEnumerator<T> GetEnumerator() { lock (inner) { return inner.ToList().GetEnumerator(); } }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

// Alone, not beside the other collections: activity sources are process-wide, so the in-memory exporter would also collect
// the spans of another test's portal in this process (a second lookup click during the record-view test made it flaky).
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection : ICollectionFixture<TelemetryPortal>
{
    public const string Name = "Telemetry";
}

using MedNetPortal.Fhir.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MedNetPortal.Web.Host.Telemetry;

/// <summary>OpenTelemetry traces, metrics and logs over OTLP when <c>Telemetry:Enabled</c> (see <see cref="TelemetryOptions"/>).</summary>
public static class TelemetryExtensions
{
    /// <summary>Blazor Server's own sources in .NET 10: events and navigations, and circuits.</summary>
    internal static readonly string[] ComponentSources =
        ["Microsoft.AspNetCore.Components", "Microsoft.AspNetCore.Components.Server.Circuits"];

    internal static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.Diagnostics", "Microsoft.AspNetCore.RateLimiting",
        "Microsoft.AspNetCore.Authentication", "Microsoft.AspNetCore.Authorization", "Microsoft.AspNetCore.Identity",
        "Microsoft.AspNetCore.Components", "Microsoft.AspNetCore.Components.Lifecycle", "Microsoft.AspNetCore.Components.Server.Circuits",
        "System.Net.Http", "Microsoft.EntityFrameworkCore",
    ];

    public static WebApplicationBuilder AddPortalTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<TelemetryOptions>(builder.Configuration, TelemetryOptions.SectionName);
        services.TryAddScoped<InteractionTrace>();

        // Read now to decide what to register; a value that does not bind stops start-up through the validation above.
        var options = new TelemetryOptions();
        try
        {
            builder.Configuration.GetSection(TelemetryOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException)
        {
            return builder;
        }

        if (!options.Enabled || string.IsNullOrWhiteSpace(options.OtlpEndpoint)
            || !Uri.TryCreate(options.OtlpEndpoint.Trim(), UriKind.Absolute, out _))
        {
            return builder;
        }

        services.AddHttpContextAccessor();
        services.TryAddSingleton<FhirBasePaths>();
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName, serviceVersion: typeof(TelemetryExtensions).Assembly.GetName().Version?.ToString()));

        if (options.Traces)
        {
            otel.WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)))
                .AddSource(PortalTracing.SourceName)
                .AddSource(ComponentSources)
                .AddAspNetCoreInstrumentation(o =>
                {
                    o.RecordException = false;
                    // Every SignalR message of a circuit (render acknowledgements, JS interop answers) would be a root span of
                    // its own; Blazor's event and navigation spans above are the ones that say what the user did.
                    o.EnableAspNetCoreSignalRSupport = false;
                })
                .AddHttpClientInstrumentation(o => o.RecordException = false)
                // First, so that every exporter after it (OTLP here, any a test adds) sees only redacted spans.
                .AddProcessor(sp => new SpanRedactionProcessor(sp.GetRequiredService<FhirBasePaths>()))
                .AddOtlpExporter(o => ConfigureExporter(o, options, "v1/traces")));
        }

        if (options.Metrics)
        {
            otel.WithMetrics(metrics => metrics
                .AddMeter(Meters)
                .AddRuntimeInstrumentation()
                .AddOtlpExporter((o, reader) =>
                {
                    ConfigureExporter(o, options, "v1/metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = options.MetricExportIntervalSeconds * 1000;
                }));
        }

        if (options.Logs)
        {
            otel.WithLogging(
                logging => logging
                    .AddProcessor(sp => new LogRedactionProcessor(sp.GetRequiredService<FhirBasePaths>(), sp.GetRequiredService<IHttpContextAccessor>()))
                    .AddOtlpExporter(o => ConfigureExporter(o, options, "v1/logs")),
                logOptions =>
                {
                    // The body is the message template and the values are attributes; ASP.NET Core's scopes carry raw paths.
                    logOptions.IncludeFormattedMessage = false;
                    logOptions.IncludeScopes = false;
                });
        }

        return builder;
    }

    private static void ConfigureExporter(OtlpExporterOptions exporter, TelemetryOptions options, string signalPath)
    {
        var endpoint = options.Endpoint;
        exporter.Protocol = options.OtlpProtocol == OtlpProtocol.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        // Set in code, the HTTP endpoint is the whole signal URL.
        exporter.Endpoint = options.OtlpProtocol == OtlpProtocol.HttpProtobuf
            ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath)
            : endpoint;
        if (options.ExporterHeaders.Length > 0)
        {
            exporter.Headers = options.ExporterHeaders;
        }
    }
}

using System.ComponentModel.DataAnnotations;

namespace MedNetPortal.Web.Host.Telemetry;

/// <summary>The wire protocol of the OTLP exporter.</summary>
public enum OtlpProtocol
{
    /// <summary>OTLP over gRPC (a collector usually listens on port 4317).</summary>
    Grpc,

    /// <summary>OTLP over HTTP with protobuf bodies (port 4318; <c>/v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c> are appended).</summary>
    HttpProtobuf,
}

/// <summary>
/// Section <c>Telemetry</c>: OpenTelemetry traces, metrics and logs sent to an OTLP collector. Off by default; what is sent
/// (and what never is) is described in docs/telemetry.md.
/// </summary>
public sealed class TelemetryOptions : IValidatableObject
{
    public const string SectionName = "Telemetry";

    /// <summary>Sends telemetry when true. Nothing is collected or sent otherwise.</summary>
    public bool Enabled { get; set; }

    /// <summary>The collector, e.g. <c>http://otel-collector:4317</c> (gRPC) or <c>http://otel-collector:4318</c> (HTTP). Required when enabled.</summary>
    public string OtlpEndpoint { get; set; } = string.Empty;

    /// <summary><see cref="OtlpProtocol.Grpc"/> (default) or <see cref="OtlpProtocol.HttpProtobuf"/>.</summary>
    public OtlpProtocol OtlpProtocol { get; set; } = OtlpProtocol.Grpc;

    /// <summary>Headers for every export, <c>key=value</c> pairs separated by commas (e.g. a collector's API key). A secret: set it in the environment.</summary>
    public string OtlpHeaders { get; set; } = string.Empty;

    /// <summary>The <c>service.name</c> resource attribute.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "must be 1 to 64 letters, digits, '.', '_' or '-'")]
    public string ServiceName { get; set; } = "mednetportal";

    /// <summary>The share of traces kept, 0 to 1 (a trace starts at a click, a navigation or a request without a parent).</summary>
    [Range(0.0, 1.0)]
    public double TraceSampleRatio { get; set; } = 1.0;

    /// <summary>Sends traces (when <see cref="Enabled"/>).</summary>
    public bool Traces { get; set; } = true;

    /// <summary>Sends metrics (when <see cref="Enabled"/>).</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>Sends log records (when <see cref="Enabled"/>), at the levels <c>Logging:LogLevel</c> lets through.</summary>
    public bool Logs { get; set; } = true;

    /// <summary>How often metrics are sent, in seconds.</summary>
    [Range(1, 3600)]
    public int MetricExportIntervalSeconds { get; set; } = 60;

    /// <summary>The collector's address (valid only after validation, when enabled).</summary>
    internal Uri Endpoint => new(OtlpEndpoint.Trim());

    /// <summary>The parsed <see cref="OtlpHeaders"/> as the exporter expects them (valid only after validation).</summary>
    internal string ExporterHeaders => string.Join(',', HeaderPairs().Select(p => $"{p.Key}={p.Value}"));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled)
        {
            if (string.IsNullOrWhiteSpace(OtlpEndpoint))
            {
                yield return new ValidationResult("is required when Telemetry:Enabled is true", [nameof(OtlpEndpoint)]);
            }
            else if (!Uri.TryCreate(OtlpEndpoint.Trim(), UriKind.Absolute, out var uri)
                     || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                     || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.UserInfo))
            {
                yield return new ValidationResult("must be an absolute http or https URL without a query or user name", [nameof(OtlpEndpoint)]);
            }
        }

        foreach (var entry in HeaderEntries())
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || entry[..equals].Trim().Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
            {
                // The value may be a secret: name the entry by its position, not its text.
                yield return new ValidationResult(
                    $"has an entry that is not key=value (entry {HeaderEntries().ToList().IndexOf(entry) + 1})", [nameof(OtlpHeaders)]);
            }
        }
    }

    private IEnumerable<string> HeaderEntries() =>
        OtlpHeaders.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private IEnumerable<KeyValuePair<string, string>> HeaderPairs() =>
        HeaderEntries().Select(e => e.Split('=', 2)).Where(p => p.Length == 2)
            .Select(p => new KeyValuePair<string, string>(p[0].Trim(), p[1].Trim()));
}

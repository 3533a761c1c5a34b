using System.Diagnostics;
using MedNetPortal.Fhir;
using MedNetPortal.FhirBase;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace MedNetPortal.Web.Host.Telemetry;

/// <summary>
/// The FHIR base paths whose ids are templated: the embedded base's (when it is on) and the central base's the client calls.
/// </summary>
internal sealed class FhirBasePaths(IServiceProvider services)
{
    private IReadOnlyCollection<string>? resolved;

    public IReadOnlyCollection<string> Value => resolved ??= Resolve();

    private List<string> Resolve()
    {
        var paths = new List<string>();
        if (services.GetService<IOptions<FhirBaseOptions>>()?.Value is { Enabled: true } fhirBase)
        {
            paths.Add("/" + fhirBase.PathBase.Trim('/'));
        }

        // Only a configured address: an empty CentralFhir:BaseUrl means the embedded base above, and resolving that address
        // here (before the server listens) would fail the client's own lazy resolution for good.
        if (services.GetService<CentralFhirEndpoint>() is { IsConfigured: true } endpoint)
        {
            paths.Add(endpoint.BaseAddress.AbsolutePath);
        }

        return [.. paths.Where(p => p.Trim('/').Length > 0).Distinct(StringComparer.Ordinal)];
    }
}

/// <summary>
/// Runs before the exporters on every finished span: URLs and paths become templates (<see cref="TelemetryPaths"/>), query
/// strings and client addresses are removed, and the status description (it can quote an error message) is dropped.
/// Request and response bodies are never recorded: no instrumentation here is asked to (no enrichment callbacks).
/// </summary>
internal sealed class SpanRedactionProcessor(FhirBasePaths fhirBasePaths) : BaseProcessor<Activity>
{
    private static readonly string[] Removed = ["url.query", "client.address", "client.port", "network.peer.address", "network.peer.port", "http.client_ip"];

    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var bases = fhirBasePaths.Value;
        foreach (var key in Removed)
        {
            if (data.GetTagItem(key) is not null)
            {
                data.SetTag(key, null);
            }
        }

        var route = data.GetTagItem("http.route") as string;
        var method = data.GetTagItem("http.request.method") as string;
        string? template = null;
        if (data.GetTagItem("url.full") is string full)
        {
            data.SetTag("url.full", TelemetryPaths.TemplateUrl(full, bases));
            template = TelemetryPaths.Template(TelemetryPaths.IsHttpUrl(full) ? new Uri(full).AbsolutePath : full, null, bases);
            data.SetTag("url.template", template);
        }

        foreach (var key in new[] { "url.path", "http.target" })
        {
            if (data.GetTagItem(key) is string path)
            {
                template = TelemetryPaths.Template(path, route, bases);
                data.SetTag(key, template);
            }
        }

        if (data.GetTagItem("http.url") is string oldUrl)
        {
            data.SetTag("http.url", TelemetryPaths.TemplateUrl(oldUrl, bases));
        }

        if (data.GetTagItem("http.route") is string)
        {
            data.SetTag("http.route", template ?? TelemetryPaths.RouteTemplate(route!));
        }

        if (data.Kind is ActivityKind.Server or ActivityKind.Client && method is not null && template is not null)
        {
            data.DisplayName = $"{method} {template}";
        }

        if (data.GetTagItem("aspnetcore.components.route") is string componentRoute)
        {
            var componentTemplate = TelemetryPaths.Template(componentRoute, componentRoute.Contains('{', StringComparison.Ordinal) ? componentRoute : null, bases);
            data.SetTag("aspnetcore.components.route", componentTemplate);
            if (data.OperationName == "Microsoft.AspNetCore.Components.Navigate")
            {
                data.DisplayName = $"Route {componentTemplate} -> {data.GetTagItem("aspnetcore.components.type")}";
            }
        }

        if (data.StatusDescription is not null)
        {
            data.SetStatus(data.Status);
        }
    }
}

/// <summary>
/// Runs before the exporter on every log record: paths (the request log's <c>Path</c>, ASP.NET Core's request lines) become
/// templates as in spans, and query strings are redacted.
/// The body is the message template (formatted messages are not exported) and scopes are not exported: ASP.NET Core's
/// request scope carries the raw path.
/// </summary>
internal sealed class LogRedactionProcessor(FhirBasePaths fhirBasePaths, IHttpContextAccessor httpContext) : BaseProcessor<LogRecord>
{
    private static readonly HashSet<string> PathKeys = new(StringComparer.OrdinalIgnoreCase) { "Path", "RequestPath", "url.path", "Url", "Uri", "url.full" };

    public override void OnEnd(LogRecord data)
    {
        ArgumentNullException.ThrowIfNull(data);
        data.FormattedMessage = null;
        if (data.Attributes is not { Count: > 0 } attributes || !attributes.Any(a => a.Value is string && (PathKeys.Contains(a.Key) || IsQuery(a))))
        {
            return;
        }

        var route = (httpContext.HttpContext?.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        data.Attributes = [.. attributes.Select(a => a.Value is not string value ? a
            // ASP.NET Core's request-start line (Information) has the query string as an attribute of its own.
            : IsQuery(a) ? new KeyValuePair<string, object?>(a.Key, value.Length == 0 ? value : "?[redacted]")
            : PathKeys.Contains(a.Key) ? new KeyValuePair<string, object?>(a.Key, TelemetryPaths.IsHttpUrl(value)
                ? TelemetryPaths.TemplateUrl(value, fhirBasePaths.Value)
                : TelemetryPaths.Template(value, route, fhirBasePaths.Value))
            : a)];
    }

    private static bool IsQuery(KeyValuePair<string, object?> attribute) =>
        attribute.Key.Contains("query", StringComparison.OrdinalIgnoreCase) || (attribute.Value is string value && value.StartsWith('?'));
}

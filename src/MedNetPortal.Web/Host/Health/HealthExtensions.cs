using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MedNetPortal.Web.Host.Health;

/// <summary>
/// <c>/health</c>: to anyone, one word, <c>Healthy</c> (200; also when degraded) or <c>Unhealthy</c> (503), enough for a load
/// balancer and nothing for a scanner; to a signed-in SystemAdmin, JSON with one entry per dependency, <c>portal-database</c>,
/// <c>central-fhir-base</c> and <c>audit-forwarding</c>. Descriptions are short, fixed phrases; exception messages and stack
/// traces never leave the server.
/// </summary>
public static class HealthExtensions
{
    public const string Path = "/health";
    public const string DatabaseEntry = "portal-database";
    public const string CentralBaseEntry = "central-fhir-base";
    public const string AuditForwardingEntry = "audit-forwarding";

    public static IServiceCollection AddPortalHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<PortalDatabaseHealthCheck>(DatabaseEntry, HealthStatus.Unhealthy, timeout: TimeSpan.FromSeconds(10))
            // Degraded, not Unhealthy: an outage of the central base should not take every portal instance out of rotation.
            .AddCheck<CentralFhirBaseHealthCheck>(CentralBaseEntry, HealthStatus.Degraded, timeout: TimeSpan.FromSeconds(15))
            // Degraded: the trail is safe in the portal database; the central base's copy is behind.
            .AddCheck<AuditForwardingHealthCheck>(AuditForwardingEntry, HealthStatus.Degraded, timeout: TimeSpan.FromSeconds(10));
        services.AddHostedService<BaseCapabilityStartupCheck>();
        return services;
    }

    public static IEndpointRouteBuilder MapPortalHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(Path, new HealthCheckOptions { ResponseWriter = WriteAsync });
        return endpoints;
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    internal static Task WriteAsync(HttpContext context, HealthReport report)
    {
        if (context.User.IsInRole(Host.Identity.PortalRoles.SystemAdmin))
        {
            return WriteJsonAsync(context, report);
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(report.Status == HealthStatus.Unhealthy ? "Unhealthy" : "Healthy", context.RequestAborted);
    }

    internal static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        var body = new HealthResponse(
            report.Status.ToString(),
            Math.Round(report.TotalDuration.TotalMilliseconds),
            report.Entries.ToDictionary(
                e => e.Key,
                e => new HealthEntry(e.Value.Status.ToString(), e.Value.Description, Math.Round(e.Value.Duration.TotalMilliseconds))));
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonOptions), context.RequestAborted);
    }

    internal sealed record HealthResponse(string Status, double TotalDurationMs, IReadOnlyDictionary<string, HealthEntry> Entries);

    internal sealed record HealthEntry(string Status, string? Description, double DurationMs);
}

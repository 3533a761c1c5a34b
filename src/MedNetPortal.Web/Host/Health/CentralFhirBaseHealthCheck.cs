using System.Net.Http;
using System.Text.Json;
using MedNetPortal.Fhir;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Refit;

namespace MedNetPortal.Web.Host.Health;

/// <summary>
/// Asks the central base for its CapabilityStatement (<c>GET [base]/metadata</c>) through the portal's own typed client and
/// compares it with what the portal needs (<see cref="BaseRequirements"/>): Healthy when everything is stated, Degraded
/// naming what is missing, the registration's failure status when the base does not answer.
/// </summary>
internal sealed class CentralFhirBaseHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failure = context.Registration.FailureStatus;
        var client = services.GetService<CentralFhirClient>();
        if (client is null)
        {
            return new HealthCheckResult(failure, "the FHIR client is not registered");
        }

        try
        {
            using var statement = await client.GetCapabilityStatementJsonAsync(cancellationToken);
            var version = statement.RootElement.TryGetProperty("fhirVersion", out var v) && v.ValueKind == JsonValueKind.String
                && v.GetString() is { Length: > 0 and <= 20 } text
                ? "FHIR " + text
                : "unknown FHIR version";
            services.GetService<BaseStatedIncludes>()?.Remember(statement.RootElement);
            var missing = BaseCapabilities.Missing(statement.RootElement);
            return missing.Count == 0
                ? HealthCheckResult.Healthy($"metadata answered ({version})")
                : HealthCheckResult.Degraded($"metadata answered ({version}); the base does not state: {BaseCapabilities.Describe(missing)}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(failure, "the central base did not answer in time");
        }
#pragma warning disable CA1031 // A health check reports every failure as a status instead of throwing.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new HealthCheckResult(failure, Describe(ex));
        }
    }

    internal static string Describe(Exception ex) => ex switch
    {
        FhirApiException { StatusCode: { } status } => $"the central base answered HTTP {(int)status}",
        FhirApiException fhir => $"the central base check failed ({fhir.Reason})",
        ApiException api => $"the central base answered HTTP {(int)api.StatusCode}",
        HttpRequestException { StatusCode: { } status } => $"the central base answered HTTP {(int)status}",
        HttpRequestException http => $"cannot reach the central base ({http.HttpRequestError})",
        InvalidOperationException => "the central base's address is not configured or not known yet",
        _ when ex.InnerException is HttpRequestException inner => Describe(inner),
        _ => $"the central base check failed ({ex.GetType().Name})",
    };
}

/// <summary>
/// Once the host has started (the embedded base's address is known only then), reads the central base's
/// CapabilityStatement and logs what the portal needs and the base does not state; a base that cannot be reached is logged
/// too and changes nothing (pages say so when they need it). <c>/health</c> repeats the comparison on every call.
/// </summary>
internal sealed partial class BaseCapabilityStartupCheck(IServiceProvider services, IHostApplicationLifetime lifetime, ILogger<BaseCapabilityStartupCheck> logger)
    : IHostedService
{
    private CancellationTokenRegistration registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        registration = lifetime.ApplicationStarted.Register(() => _ = CheckAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        registration.Dispose();
        return Task.CompletedTask;
    }

    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            var client = scope.ServiceProvider.GetRequiredService<CentralFhirClient>();
            using var statement = await client.GetCapabilityStatementJsonAsync(cancellationToken);
            scope.ServiceProvider.GetService<BaseStatedIncludes>()?.Remember(statement.RootElement);
            var missing = BaseCapabilities.Missing(statement.RootElement);
            if (missing.Count == 0)
            {
                Log.AllStated(logger, BaseRequirements.All.Count);
            }
            else
            {
                Log.Missing(logger, missing.Count, BaseCapabilities.Describe(missing));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // Start-up goes on whatever the base answers; the reason is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.Unreadable(logger, CentralFhirBaseHealthCheck.Describe(ex));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4601, Level = LogLevel.Information, Message = "The central base states all {Count} interactions and search parameters the portal needs.")]
        public static partial void AllStated(ILogger logger, int count);

        [LoggerMessage(EventId = 4602, Level = LogLevel.Warning, Message = "The central base's CapabilityStatement does not state {Count} things the portal needs: {Missing}.")]
        public static partial void Missing(ILogger logger, int count, string missing);

        [LoggerMessage(EventId = 4603, Level = LogLevel.Warning, Message = "The central base's CapabilityStatement could not be read at start-up: {Reason}.")]
        public static partial void Unreadable(ILogger logger, string reason);
    }
}

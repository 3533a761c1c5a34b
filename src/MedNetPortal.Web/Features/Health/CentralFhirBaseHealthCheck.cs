using System.Net.Http;
using Hl7.Fhir.Utility;
using MedNetPortal.Fhir;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Refit;

namespace MedNetPortal.Web.Features.Health;

/// <summary>Asks the central base for its CapabilityStatement (<c>GET [base]/metadata</c>) through the portal's own typed client.</summary>
internal sealed class CentralFhirBaseHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failure = context.Registration.FailureStatus;
        var api = services.GetService<IFhirApi>();
        if (api is null)
        {
            return new HealthCheckResult(failure, "the FHIR client is not registered");
        }

        try
        {
            var capabilities = await api.GetCapabilitiesAsync(cancellationToken);
            var version = capabilities.FhirVersion is { } v ? "FHIR " + v.GetLiteral() : "unknown FHIR version";
            return HealthCheckResult.Healthy($"metadata answered ({version})");
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
        ApiException api => $"the central base answered HTTP {(int)api.StatusCode}",
        HttpRequestException { StatusCode: { } status } => $"the central base answered HTTP {(int)status}",
        HttpRequestException http => $"cannot reach the central base ({http.HttpRequestError})",
        InvalidOperationException => "the central base's address is not configured or not known yet",
        _ when ex.InnerException is HttpRequestException inner => Describe(inner),
        _ => $"the central base check failed ({ex.GetType().Name})",
    };
}

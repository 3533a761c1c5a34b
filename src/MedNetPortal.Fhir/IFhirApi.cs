using Hl7.Fhir.Model;
using Refit;

namespace MedNetPortal.Fhir;

/// <summary>
/// The FHIR R4 REST interactions the portal uses, as a typed Refit client. Works against any R4 server.
/// Errors surface as <c>FhirApiException</c> (see the client registration).
/// </summary>
public interface IFhirApi
{
    /// <summary>Reads the server's CapabilityStatement (<c>GET [base]/metadata</c>).</summary>
    [Get("/metadata")]
    Task<CapabilityStatement> GetCapabilitiesAsync(CancellationToken cancellationToken);

    /// <summary>POSTs a <c>batch</c> or <c>transaction</c> Bundle to the base and returns the response Bundle.</summary>
    [Post("/")]
    Task<Bundle> TransactionAsync([Body] Bundle bundle, CancellationToken cancellationToken);

    /// <summary>Creates a resource; with <paramref name="ifNoneExist"/> a conditional create (idempotent on that search).</summary>
    [Post("/{resourceType}")]
    Task<IApiResponse<Resource>> CreateAsync(string resourceType, [Body] Resource resource, [Header("If-None-Exist")] string? ifNoneExist, CancellationToken cancellationToken);
}

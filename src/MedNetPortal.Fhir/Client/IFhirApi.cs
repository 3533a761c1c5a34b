using Hl7.Fhir.Model;
using Refit;

namespace MedNetPortal.Fhir;

/// <summary>
/// The FHIR R4 REST interactions the portal uses, as a typed Refit client. Works against any R4 server.
/// Every failure surfaces as <see cref="FhirApiException"/> (also for methods returning <see cref="IApiResponse{T}"/>:
/// a non-2xx answer throws rather than filling <see cref="IApiResponse.Error"/>). Register it with
/// <see cref="FhirClientExtensions.AddCentralFhirClient"/>; <see cref="CentralFhirClient"/> adds typed helpers and paging.
/// </summary>
/// <remarks>
/// Query strings end up in server and proxy logs: never put identifiers or names in them. Search by identifier with
/// <see cref="SearchPostAsync"/>, which carries the parameters in the body.
/// </remarks>
public interface IFhirApi
{
    /// <summary>Reads the server's CapabilityStatement (<c>GET [base]/metadata</c>).</summary>
    [Get("/metadata")]
    Task<CapabilityStatement> GetCapabilitiesAsync(CancellationToken cancellationToken);

    /// <summary>POSTs a <c>batch</c> or <c>transaction</c> Bundle to the base and returns the response Bundle. Never retried.</summary>
    [Post("/")]
    Task<Bundle> TransactionAsync([Body] Bundle bundle, CancellationToken cancellationToken);

    /// <summary>
    /// Creates a resource (<c>POST [base]/[type]</c>); with <paramref name="ifNoneExist"/> (a search query such as
    /// <c>identifier=system|value</c>, sent as the <c>If-None-Exist</c> header) a conditional create. Never retried.
    /// The body may be empty (201 with only <c>Location</c>).
    /// </summary>
    [Post("/{resourceType}")]
    Task<IApiResponse<Resource>> CreateAsync(string resourceType, [Body] Resource resource, [Header("If-None-Exist")] string? ifNoneExist, CancellationToken cancellationToken);

    /// <summary>Reads the current version (<c>GET [base]/[type]/[id]</c>).</summary>
    [Get("/{resourceType}/{id}")]
    Task<Resource> ReadAsync(string resourceType, string id, CancellationToken cancellationToken);

    /// <summary>Reads one version (<c>GET [base]/[type]/[id]/_history/[vid]</c>).</summary>
    [Get("/{resourceType}/{id}/_history/{versionId}")]
    Task<Resource> VReadAsync(string resourceType, string id, string versionId, CancellationToken cancellationToken);

    /// <summary>
    /// Searches by GET (<c>[base]/[type]?…</c>), parameters in their order, names may repeat (e.g. two <c>_revinclude</c>).
    /// Keep personal data out of these parameters; see <see cref="SearchPostAsync"/>.
    /// </summary>
    [Get("/{resourceType}")]
    Task<Bundle> SearchAsync(string resourceType, [QueryConverter(typeof(FhirSearchQueryConverter))] FhirSearchParameters parameters, CancellationToken cancellationToken);

    /// <summary>
    /// Searches by POST (<c>[base]/[type]/_search</c>, <c>application/x-www-form-urlencoded</c> body), keeping the
    /// parameters out of the URL. Safe to retry. Build the body with <see cref="FhirSearchParameters.ToFormContent"/>.
    /// </summary>
    [Post("/{resourceType}/_search")]
    Task<Bundle> SearchPostAsync(string resourceType, [Body] FormUrlEncodedContent parameters, CancellationToken cancellationToken);

    /// <summary>
    /// Updates a resource (<c>PUT [base]/[type]/[id]</c>). With <paramref name="ifMatch"/> (an ETag such as
    /// <c>W/"3"</c>) the server refuses with 412 when the resource changed since that version. Never retried.
    /// </summary>
    [Put("/{resourceType}/{id}")]
    Task<IApiResponse<Resource>> UpdateAsync(string resourceType, string id, [Body] Resource resource, [Header("If-Match")] string? ifMatch, CancellationToken cancellationToken);

    /// <summary>A resource's history (<c>GET [base]/[type]/[id]/_history</c>), newest first, optionally paged by <paramref name="count"/>.</summary>
    [Get("/{resourceType}/{id}/_history")]
    Task<Bundle> HistoryAsync(string resourceType, string id, [AliasAs("_count")] int? count, CancellationToken cancellationToken);
}

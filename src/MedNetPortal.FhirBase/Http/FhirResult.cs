using MedNetPortal.FhirBase.Security;
using MedNetPortal.FhirBase.Storage;

namespace MedNetPortal.FhirBase.Http;

/// <summary>The outcome of one interaction, independent of whether it came over HTTP or inside a batch/transaction.</summary>
/// <param name="Status">HTTP status code.</param>
/// <param name="Body">Response JSON, when there is one.</param>
/// <param name="Resource">The version read or written, for ETag, Last-Modified and Location.</param>
/// <param name="IncludeLocation">Whether a Location header names the version (create, update-as-create).</param>
internal sealed record FhirResult(int Status, string? Body, StoredResource? Resource = null, bool IncludeLocation = false);

/// <summary>
/// Per-request context: the base URL for absolute links, whether <c>Prefer: handling=strict</c> was sent, and what the
/// request's access token allows.
/// </summary>
internal sealed record FhirContext(string BaseUrl, bool StrictHandling, FhirAccess Access);

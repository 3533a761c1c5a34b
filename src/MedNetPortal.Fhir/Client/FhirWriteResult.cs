using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Refit;

namespace MedNetPortal.Fhir;

/// <summary>The outcome of a create or update: what the server answered, body or not.</summary>
/// <typeparam name="T">The resource type.</typeparam>
/// <param name="StatusCode">200 (updated, or conditional create matched an existing resource) or 201 (created).</param>
/// <param name="Resource">The returned resource, or null when the server answered without a body.</param>
/// <param name="Id">The logical id, from the body or else the <c>Location</c> header.</param>
/// <param name="VersionId">The version id, from the body, <c>ETag</c> or <c>Location</c>.</param>
/// <param name="Location">The <c>Location</c> (or <c>Content-Location</c>) header.</param>
public sealed record FhirWriteResult<T>(HttpStatusCode StatusCode, T? Resource, string? Id, string? VersionId, Uri? Location)
    where T : Resource
{
    /// <summary>True when the server created a new resource (201).</summary>
    public bool Created => StatusCode == HttpStatusCode.Created;
}

/// <summary>Reads a write's answer: the body if any, the id and version from the body, <c>ETag</c> or <c>Location</c>.</summary>
internal static partial class FhirWriteResults
{
    internal static FhirWriteResult<T> From<T>(IApiResponse<Resource> response)
        where T : Resource
    {
        // Non-2xx answers already threw in FhirResponseHandler; this guards clients built without it.
        var status = response.StatusCode ?? HttpStatusCode.OK;
        if (!response.IsSuccessStatusCode)
        {
            throw response.Error as Exception ?? new FhirApiException(
                FhirApiException.ReasonFor(status), FhirApiException.DefaultMessage(FhirApiException.ReasonFor(status)), status);
        }

        var resource = response.Content switch
        {
            null => null,
            T typed => typed,
            var other => throw FhirResponseHandler.Malformed(status, $"Expected {CentralFhirClient.TypeName<T>()} but the body is {other.TypeName}."),
        };
        var location = response.Headers.Location ?? response.ContentHeaders?.ContentLocation;
        var fromLocation = location is null ? null : LocationPattern().Match(location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString);
        var id = resource?.Id ?? (fromLocation is { Success: true } ? fromLocation.Groups["id"].Value : null);
        var versionId = resource?.Meta?.VersionId
            ?? VersionFromETag(response.Headers.ETag)
            ?? (fromLocation is { Success: true } && fromLocation.Groups["vid"].Success ? fromLocation.Groups["vid"].Value : null);
        return new FhirWriteResult<T>(status, resource, id, versionId, location);
    }

    private static string? VersionFromETag(EntityTagHeaderValue? etag) => etag?.Tag.Trim('"');

    [GeneratedRegex(@"(?:^|/)(?<type>[A-Z][A-Za-z]+)/(?<id>[A-Za-z0-9\-.]{1,64})(?:/_history/(?<vid>[A-Za-z0-9\-.]{1,64}))?/?$")]
    private static partial Regex LocationPattern();
}

using System.Reflection;
using System.Text.Json;
using Refit;

namespace MedNetPortal.Fhir;

/// <summary>
/// Refit serializer for FHIR: Refit's <see cref="SystemTextJsonContentSerializer"/> with <see cref="FhirJson.Options"/>
/// for reading, and request bodies written with their runtime type as <c>application/fhir+json; charset=utf-8</c>
/// (Refit's own would label them <c>application/json</c>) and a Content-Length (some servers refuse chunked bodies).
/// </summary>
internal sealed class FhirContentSerializer : IHttpContentSerializer
{
    private readonly SystemTextJsonContentSerializer _inner = new(FhirJson.Options);

    public HttpContent ToHttpContent<T>(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(item, item.GetType(), FhirJson.Options);
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = FhirJson.ContentType;
        return content;
    }

    public Task<T?> FromHttpContentAsync<T>(HttpContent content, CancellationToken cancellationToken = default) =>
        _inner.FromHttpContentAsync<T>(content, cancellationToken);

    public string? GetFieldNameForProperty(PropertyInfo propertyInfo) => _inner.GetFieldNameForProperty(propertyInfo);
}

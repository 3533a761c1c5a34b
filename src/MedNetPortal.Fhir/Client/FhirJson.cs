using System.Net.Http.Headers;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace MedNetPortal.Fhir;

/// <summary>The one shared Firely System.Text.Json configuration and the FHIR JSON media type.</summary>
public static class FhirJson
{
    /// <summary>The FHIR JSON media type sent in <c>Accept</c> and <c>Content-Type</c>.</summary>
    public const string MediaType = "application/fhir+json";

    /// <summary>
    /// Serializer options for FHIR R4 resources (<c>new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector)</c>).
    /// Shared because building them is expensive; the instance is read-only once first used.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    internal static MediaTypeHeaderValue ContentType => new(MediaType) { CharSet = "utf-8" };

    /// <summary>Parses FHIR JSON into a resource of type <typeparamref name="T"/>.</summary>
    /// <remarks>Throws (<see cref="JsonException"/> or Firely's <c>DeserializationFailedException</c>) when the text is not a valid <typeparamref name="T"/>.</remarks>
    public static T Deserialize<T>(string json)
        where T : Resource
        => JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("The body is JSON null.");

    /// <summary>Serializes a resource as FHIR JSON.</summary>
    public static string Serialize(Resource resource) => JsonSerializer.Serialize(resource, resource.GetType(), Options);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

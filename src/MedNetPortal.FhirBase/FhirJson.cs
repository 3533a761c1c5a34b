using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace MedNetPortal.FhirBase;

/// <summary>The one shared Firely System.Text.Json configuration of the base.</summary>
internal static class FhirJson
{
    /// <summary>
    /// Strict mode: incoming bodies with unknown elements or invalid values fail with every issue and its path,
    /// instead of being stored half-understood. Serialisation is unaffected by the mode.
    /// </summary>
    public static JsonSerializerOptions Options { get; } =
        new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector).UsingMode(DeserializationMode.Strict);

    public static string Serialize(Resource resource) => JsonSerializer.Serialize(resource, Options);

    public static Resource Parse(string json) =>
        JsonSerializer.Deserialize<Resource>(json, Options) ?? throw new JsonException("Empty body.");
}

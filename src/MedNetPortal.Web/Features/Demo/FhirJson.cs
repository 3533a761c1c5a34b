using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace MedNetPortal.Web.Features.Demo;

/// <summary>Firely System.Text.Json options for reading import files and server error bodies.</summary>
internal static class FhirJson
{
    public static JsonSerializerOptions Options { get; } = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);
}

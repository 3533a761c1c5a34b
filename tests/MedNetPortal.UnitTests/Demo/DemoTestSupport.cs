using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace MedNetPortal.UnitTests.Demo;

internal static class DemoTestSupport
{
    public static JsonSerializerOptions Json { get; } = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);

    public static string ToJson(Resource resource) => JsonSerializer.Serialize(resource, Json);

    public static IEnumerable<T> Resources<T>(Bundle bundle) => bundle.Entry.Select(e => e.Resource).OfType<T>();
}

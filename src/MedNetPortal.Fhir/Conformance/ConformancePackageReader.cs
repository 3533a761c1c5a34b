using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace MedNetPortal.Fhir.Conformance;

/// <summary>
/// Reads the conformance resources (StructureDefinition, ValueSet, CodeSystem, NamingSystem) of an official FHIR package
/// (.tgz) into memory, and works around the known limits of Firely's validator 3.6 in the copies it makes, never in the
/// files: see <see cref="KnownLimits"/> and docs/conformance.md.
/// </summary>
internal static class ConformancePackageReader
{
    /// <summary>What is changed in memory, for the log and /health. Each entry: the profile and what was done.</summary>
    public static readonly IReadOnlyList<string> KnownLimits =
    [
        "JP_Bundle_eReferral: the re-slice entry:observation/laboratory is left out (Firely 3.6 crashes on it when a letter has no Observation); "
            + "Observations are still checked against JP_Observation_Common_eCS by the Bundle and against their own meta.profile.",
        "JP_Observation_LabResult_eCS: '/' in slice names is replaced by '_' (Firely 3.6 cannot compile such names), and the slices "
            + "code.coding:jlac10LaboCode and code.coding:localLaboCode are left out (discriminated by display without a fixed display, which does not compile).",
    ];

    private const string BundleEReferral = "http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_eReferral";
    private const string ObservationLabResult = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Observation_LabResult_eCS";

    private static readonly string[] ConformanceTypes = ["StructureDefinition", "ValueSet", "CodeSystem", "NamingSystem"];

    // The official packages hold a few values a strict parser refuses (e.g. empty markdown comments); they do not matter here.
    private static readonly JsonSerializerOptions Lenient = new JsonSerializerOptions()
        .ForFhir(ModelInfo.ModelInspector).UsingMode(DeserializationMode.Ostrich);

    /// <summary>Reads every conformance resource of the package at <paramref name="path"/>.</summary>
    public static List<Resource> Read(string path)
    {
        var resources = new List<Resource>();
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            // Only the package's own resources (package/*.json); examples live in package/example/ and are not needed.
            var name = entry.Name.Replace('\\', '/');
            if (entry.DataStream is null || !name.StartsWith("package/", StringComparison.Ordinal) || name.Count(c => c == '/') != 1
                || !name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                || !ConformanceTypes.Any(t => name.StartsWith("package/" + t + "-", StringComparison.Ordinal)))
            {
                continue;
            }

            var node = JsonNode.Parse(entry.DataStream);
            if (node is not JsonObject json || json["resourceType"]?.GetValue<string>() is not { } type || !ConformanceTypes.Contains(type))
            {
                continue;
            }

            Patch(json);
            resources.Add(JsonSerializer.Deserialize<Resource>(json, Lenient)!);
        }

        return resources;
    }

    private static void Patch(JsonObject json)
    {
        switch (json["url"]?.GetValue<string>())
        {
            case BundleEReferral:
                RemoveElements(json, id => id.StartsWith("Bundle.entry:observation/laboratory", StringComparison.Ordinal));
                ForElement(json, "Bundle.entry:observation", e => e.Remove("slicing"));
                break;
            case ObservationLabResult:
                RemoveElements(json, id => id.StartsWith("Observation.code.coding:jlac10LaboCode", StringComparison.Ordinal)
                    || id.StartsWith("Observation.code.coding:localLaboCode", StringComparison.Ordinal));
                RenameSlashedSlices(json);
                break;
        }
    }

    private static IEnumerable<JsonArray> ElementLists(JsonObject json) =>
        new[] { json["snapshot"]?["element"], json["differential"]?["element"] }.OfType<JsonArray>();

    private static void RemoveElements(JsonObject json, Func<string, bool> remove)
    {
        foreach (var list in ElementLists(json))
        {
            for (var i = list.Count - 1; i >= 0; i--)
            {
                if (list[i]?["id"]?.GetValue<string>() is { } id && remove(id))
                {
                    list.RemoveAt(i);
                }
            }
        }
    }

    private static void ForElement(JsonObject json, string id, Action<JsonObject> change)
    {
        foreach (var element in ElementLists(json).SelectMany(l => l).OfType<JsonObject>())
        {
            if (element["id"]?.GetValue<string>() == id)
            {
                change(element);
            }
        }
    }

    private static void RenameSlashedSlices(JsonObject json)
    {
        foreach (var element in ElementLists(json).SelectMany(l => l).OfType<JsonObject>())
        {
            if (element["sliceName"]?.GetValue<string>() is { } slice && slice.Contains('/', StringComparison.Ordinal))
            {
                element["sliceName"] = slice.Replace('/', '_');
            }

            if (element["id"]?.GetValue<string>() is { } id && id.Contains('/', StringComparison.Ordinal))
            {
                element["id"] = id.Replace('/', '_');
            }
        }
    }
}

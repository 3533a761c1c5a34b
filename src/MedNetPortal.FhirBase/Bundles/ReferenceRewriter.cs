using Hl7.Fhir.Model;
using MedNetPortal.FhirBase.Http;

namespace MedNetPortal.FhirBase.Bundles;

/// <summary>
/// Replaces references to a transaction's fullUrls with the ids the server assigned: in every <c>Reference.reference</c>
/// and in every <c>uri</c>/<c>url</c> element that equals one (FHIR R4 transaction rules; e.g. a DocumentReference's
/// <c>content.attachment.url</c>). A Bundle stored by the transaction (a document) is left as it is: its references are
/// to its own entries.
/// </summary>
internal static class ReferenceRewriter
{
    public static void Rewrite(Resource resource, IReadOnlyDictionary<string, string> map, string path)
    {
        if (resource is Bundle)
        {
            return;
        }
        Visit(resource, map, path);
    }

    private static void Visit(Base node, IReadOnlyDictionary<string, string> map, string path)
    {
        if (node is ResourceReference reference && reference.Reference is { } target)
        {
            if (map.TryGetValue(target, out var replacement))
            {
                reference.Reference = replacement;
            }
            else if (target.StartsWith("urn:uuid:", StringComparison.Ordinal) || target.StartsWith("urn:oid:", StringComparison.Ordinal))
            {
                throw new FhirException(400, OperationOutcome.IssueType.NotFound,
                    $"Reference '{target}' does not match any fullUrl in the transaction.", path + ".reference");
            }
        }
        else if (node is FhirUri { Value: { } uri } uriElement && map.TryGetValue(uri, out var uriReplacement))
        {
            uriElement.Value = uriReplacement;
        }
        else if (node is FhirUrl { Value: { } url } urlElement && map.TryGetValue(url, out var urlReplacement))
        {
            urlElement.Value = urlReplacement;
        }
        foreach (var (name, value) in node.EnumerateElements())
        {
            switch (value)
            {
                case Base child:
                    Visit(child, map, $"{path}.{name}");
                    break;
                case IReadOnlyList<Base> list:
                    for (var i = 0; i < list.Count; i++)
                    {
                        Visit(list[i], map, $"{path}.{name}[{i}]");
                    }
                    break;
            }
        }
    }
}

using Hl7.Fhir.Model;

namespace MedNetPortal.FhirBase.Search;

/// <summary>
/// Index values of a stored document Bundle, resolved inside the document: the Composition (first entry) and its subject
/// Patient. Nothing outside the document is consulted, so a document is findable the moment it is stored, whether or not
/// its Patient exists in the base.
/// </summary>
internal static class DocumentIndex
{
    public const string SubjectReferenceKey = "composition.patient";
    public const string SubjectIdentifierKey = "composition.patient.identifier";

    /// <summary>The subject reference when it is a literal one (not a urn inside the document).</summary>
    public static IEnumerable<Base?> SubjectReferences(Resource resource)
    {
        var subject = Composition(resource)?.Subject;
        return subject?.Reference is { } r && !r.StartsWith("urn:", StringComparison.Ordinal) && !r.StartsWith('#')
            ? [subject]
            : [];
    }

    public static IEnumerable<Base?> SubjectIdentifiers(Resource resource)
    {
        var bundle = (Bundle)resource;
        return Resolve(bundle, Composition(resource)?.Subject) is Patient patient ? patient.Identifier : [];
    }

    private static Composition? Composition(Resource resource) =>
        resource is Bundle { Type: Bundle.BundleType.Document } bundle ? bundle.Entry.FirstOrDefault()?.Resource as Composition : null;

    private static Resource? Resolve(Bundle bundle, ResourceReference? reference)
    {
        var target = reference?.Reference;
        if (string.IsNullOrEmpty(target))
        {
            return null;
        }
        foreach (var entry in bundle.Entry)
        {
            if (entry.Resource is null)
            {
                continue;
            }
            if (entry.FullUrl == target
                || (entry.FullUrl is not null && entry.FullUrl.EndsWith("/" + target, StringComparison.Ordinal))
                || $"{entry.Resource.TypeName}/{entry.Resource.Id}" == target)
            {
                return entry.Resource;
            }
        }
        return null;
    }
}

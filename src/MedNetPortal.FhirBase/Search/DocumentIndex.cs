using Hl7.Fhir.Model;

namespace MedNetPortal.FhirBase.Search;

/// <summary>
/// Index values of a stored document Bundle, resolved inside the document: the Composition (first entry), its subject
/// Patient, the destination Organization of section 910 紹介先情報 and the sender Organization of section 920 紹介元情報.
/// Nothing outside the document is consulted, so a
/// document is findable the moment it is stored, whether or not its Patient exists in the base.
/// </summary>
internal static class DocumentIndex
{
    public const string SubjectReferenceKey = "composition.patient";
    public const string SubjectIdentifierKey = "composition.patient.identifier";
    public const string SectionSystem = "http://jpfhir.jp/fhir/clins/CodeSystem/document-section";
    public const string DestinationSectionCode = "910";
    public const string SenderSectionCode = "920";

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

    public static IEnumerable<Base?> DestinationIdentifiers(Resource resource) => SectionOrganizationIdentifiers(resource, DestinationSectionCode);

    public static IEnumerable<Base?> SenderIdentifiers(Resource resource) => SectionOrganizationIdentifiers(resource, SenderSectionCode);

    private static IEnumerable<Base?> SectionOrganizationIdentifiers(Resource resource, string sectionCode)
    {
        var bundle = (Bundle)resource;
        var composition = Composition(resource);
        if (composition is null)
        {
            return [];
        }
        return Flatten(composition.Section)
            .Where(s => s.Code?.Coding.Any(c => c.Code == sectionCode && (c.System is null || c.System == SectionSystem)) == true)
            .SelectMany(s => s.Entry)
            .Select(e => Resolve(bundle, e))
            .OfType<Organization>()
            .SelectMany(o => o.Identifier);
    }

    private static Composition? Composition(Resource resource) =>
        resource is Bundle { Type: Bundle.BundleType.Document } bundle ? bundle.Entry.FirstOrDefault()?.Resource as Composition : null;

    private static IEnumerable<Composition.SectionComponent> Flatten(IEnumerable<Composition.SectionComponent> sections) =>
        sections.SelectMany(s => Flatten(s.Section).Prepend(s));

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

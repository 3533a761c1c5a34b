using Hl7.Fhir.Model;
using MedNetPortal.Fhir;

namespace MedNetPortal.Web.Features.Documents;

/// <summary>
/// Who a stored document is from and to, by 医療機関コード, and its Bundle identifier value: what the read receipt and the
/// mailbox need to decide whose letter it is. Codes come from the Organizations of sections 920 紹介元情報 and 910 紹介先情報.
/// </summary>
public sealed record DocumentRouting(string? BundleIdentifier, string? SenderCode, string? DestinationCode)
{
    private static readonly HashSet<string> SectionSystems = new(StringComparer.Ordinal)
    {
        JpFhir.Systems.DocumentSection, JpFhir.Systems.EReferralDocumentSection,
    };

    /// <summary>The routing of a document Bundle (codes null when a section or its Organization code is missing).</summary>
    public static DocumentRouting From(Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var composition = bundle.Entry.FirstOrDefault()?.Resource as Composition;
        var identifier = bundle.Identifier is { System: JpFhir.Systems.BundleIdentifier, Value: { Length: > 0 } value } ? value : null;
        return new DocumentRouting(identifier, Code(bundle, composition, JpFhir.Sections.Sender), Code(bundle, composition, JpFhir.Sections.Destination));
    }

    private static string? Code(Bundle bundle, Composition? composition, string sectionCode)
    {
        var section = Flatten(composition?.Section ?? []).FirstOrDefault(s =>
            s.Code?.Coding.Any(c => c.Code == sectionCode && c.System is not null && SectionSystems.Contains(c.System)) == true);
        return section?.Entry
            .Select(r => Resolve(bundle, r.Reference))
            .OfType<Organization>()
            .SelectMany(o => o.Identifier)
            .FirstOrDefault(i => i.System == JpFhir.Systems.MedicalInstitutionCode && !string.IsNullOrEmpty(i.Value))?.Value;
    }

    private static IEnumerable<Composition.SectionComponent> Flatten(IEnumerable<Composition.SectionComponent> sections) =>
        sections.SelectMany(s => Flatten(s.Section).Prepend(s));

    private static Resource? Resolve(Bundle bundle, string? reference) =>
        string.IsNullOrEmpty(reference)
            ? null
            : bundle.Entry.FirstOrDefault(e => e.Resource is not null && (e.FullUrl == reference
                || (e.FullUrl is not null && e.FullUrl.EndsWith("/" + reference, StringComparison.Ordinal))
                || $"{e.Resource.TypeName}/{e.Resource.Id}" == reference))?.Resource;
}

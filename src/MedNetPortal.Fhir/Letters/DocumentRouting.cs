using Hl7.Fhir.Model;

namespace MedNetPortal.Fhir.Letters;

/// <summary>
/// Who a document is from and to, by 医療機関コード, and its Bundle identifier value, read from the document itself: the codes
/// come from the Organizations of sections 920 紹介元情報 and 910 紹介先情報. What a letter's routing (its Task) is checked
/// against, so that a Task alone never decides who may read a letter.
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
        var identifier = bundle.Identifier is { System: JpFhir.Systems.BundleIdentifier, Value: { Length: > 0 } value } ? value : null;
        return new DocumentRouting(identifier, Code(SectionOrganization(bundle, JpFhir.Sections.Sender)), Code(SectionOrganization(bundle, JpFhir.Sections.Destination)));
    }

    /// <summary>The first Organization entry of the section with this code (920 sender, 910 destination), resolved inside the document.</summary>
    public static Organization? SectionOrganization(Bundle bundle, string sectionCode)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var composition = bundle.Entry.FirstOrDefault()?.Resource as Composition;
        var section = Flatten(composition?.Section ?? []).FirstOrDefault(s =>
            s.Code?.Coding.Any(c => c.Code == sectionCode && c.System is not null && SectionSystems.Contains(c.System)) == true);
        return section?.Entry.Select(r => Resolve(bundle, r.Reference)).OfType<Organization>().FirstOrDefault();
    }

    /// <summary>The document's Patient: the Composition's subject, resolved inside the document.</summary>
    public static Patient? SubjectPatient(Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var composition = bundle.Entry.FirstOrDefault()?.Resource as Composition;
        return Resolve(bundle, composition?.Subject?.Reference) as Patient;
    }

    /// <summary>
    /// Whether the document is about <paramref name="patient"/> (a Patient of the base): its Composition's subject is a literal
    /// reference to it, or the document's Patient carries one of its identifiers (how documents name the patient). What
    /// decides, from the data itself, whether a document may be shown under that patient's consent.
    /// </summary>
    public static bool IsAbout(Bundle document, Patient patient)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(patient);
        var subject = (document.Entry.FirstOrDefault()?.Resource as Composition)?.Subject?.Reference;
        if (string.IsNullOrEmpty(subject))
        {
            return false;
        }

        if (patient.Id is not null && subject == "Patient/" + patient.Id)
        {
            return true;
        }

        var inDocument = SubjectPatient(document);
        return inDocument is not null && inDocument.Identifier.Any(i => !string.IsNullOrEmpty(i.System) && !string.IsNullOrEmpty(i.Value)
            && patient.Identifier.Any(p => p.System == i.System && p.Value == i.Value));
    }

    /// <summary>The Organization's 医療機関コード, or null.</summary>
    public static string? Code(Organization? organization) =>
        organization?.Identifier.FirstOrDefault(i => i.System == JpFhir.Systems.MedicalInstitutionCode && !string.IsNullOrEmpty(i.Value))?.Value;

    private static IEnumerable<Composition.SectionComponent> Flatten(IEnumerable<Composition.SectionComponent> sections) =>
        sections.SelectMany(s => Flatten(s.Section).Prepend(s));

    private static Resource? Resolve(Bundle bundle, string? reference) =>
        string.IsNullOrEmpty(reference)
            ? null
            : bundle.Entry.FirstOrDefault(e => e.Resource is not null && (e.FullUrl == reference
                || (e.FullUrl is not null && e.FullUrl.EndsWith("/" + reference, StringComparison.Ordinal))
                || $"{e.Resource.TypeName}/{e.Resource.Id}" == reference))?.Resource;
}

using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;

namespace MedNetPortal.Web.Features.Demo;

/// <summary>What the demo's national documents share: their patient, doctor and facility taken from a demo letter, and the Bundle shape.</summary>
internal static class DemoDocumentParts
{
    /// <summary>
    /// Patient, author doctor and facility (and Condition copies) as a demo letter's builder writes them, so they carry the
    /// JP-CLINS eCS profiles and the patient's identifier exactly as the record has it.
    /// </summary>
    internal static DocumentParts Parts(string letterKey, string localId, IReadOnlyList<string> diagnosisKeys, string? senderDoctorKey = null)
    {
        var letter = DemoLetters.All.Single(l => l.Key == letterKey) with
        {
            LocalId = localId,
            DiagnosisKeys = diagnosisKeys,
            AllergyKeys = null,
            LabKeys = null,
            MedicationKeys = null,
        };
        if (senderDoctorKey is not null)
        {
            letter = letter with { FromDoctorKey = senderDoctorKey };
        }

        var bundle = ReferralDocumentBuilder.Build(DemoLetters.ToContent(letter));
        var composition = (Composition)bundle.Entry[0].Resource!;
        var patientUrn = composition.Subject!.Reference!;
        var patient = (Patient)bundle.Entry.Single(e => e.FullUrl == patientUrn).Resource!;
        patient.Identifier.Single().Value = letter.Patient.QualificationIdentifier;
        var doctorUrn = composition.Author.Single(a => a.Type == "Practitioner").Reference!;
        var organizationUrn = composition.Custodian!.Reference!;
        var conditions = bundle.Entry.Where(e => e.Resource is Condition).Select(e => (e.FullUrl!, e.Resource!)).ToList();
        return new DocumentParts(
            letter.BundleIdentifier, patientUrn, patient,
            doctorUrn, (Practitioner)bundle.Entry.Single(e => e.FullUrl == doctorUrn).Resource!,
            organizationUrn, (Organization)bundle.Entry.Single(e => e.FullUrl == organizationUrn).Resource!,
            conditions);
    }

    internal static Func<string, Meta> NewMeta(DateTimeOffset at) => profile => new Meta { LastUpdated = at, Profile = [profile] };

    internal static Bundle NewBundle(string profile, string identifier, DateTimeOffset issuedAt) => new()
    {
        Meta = new Meta { LastUpdated = issuedAt, Profile = [profile] },
        Language = "ja",
        Identifier = new Identifier(JpFhir.Systems.BundleIdentifier, identifier),
        Type = Bundle.BundleType.Document,
        Timestamp = issuedAt,
    };

    internal static Composition.SectionComponent Section(string code, string title, string? text, List<ResourceReference> entries) => new()
    {
        Title = title,
        Code = new CodeableConcept(JpFhir.Systems.DocumentSection, code, title + "セクション", null),
        Text = new Narrative { Status = Narrative.NarrativeStatus.Additional, Div = Div(text ?? string.Empty) },
        Entry = entries,
    };

    internal static string Div(string html) => $"<div xmlns=\"http://www.w3.org/1999/xhtml\">{html}</div>";

    internal static Bundle.EntryComponent Entry(string fullUrl, Resource resource) => new() { FullUrl = fullUrl, Resource = resource };

    internal sealed record DocumentParts(
        string BundleIdentifier,
        string PatientUrn,
        Patient Patient,
        string DoctorUrn,
        Practitioner Doctor,
        string OrganizationUrn,
        Organization Organization,
        IReadOnlyList<(string Urn, Resource Resource)> Conditions);
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir.Identifiers;

namespace MedNetPortal.Fhir.Letters;

/// <summary>
/// The JP-CLINS referral-letter rules the portal can check itself (DOMAIN.md), as data: each problem has a stable code,
/// the form field to fix and a FHIR path. Not a full profile validation (no terminology or StructureDefinition checks).
/// </summary>
public static partial class ReferralDocumentValidator
{
    /// <summary>The national base accepts submissions of at most 10 MB; counted here as 10,000,000 bytes of UTF-8 JSON.</summary>
    public const int MaxSerializedBytes = 10_000_000;

    internal static readonly TimeSpan Jst = TimeSpan.FromHours(9);

    /// <summary>Checks a built (or received) document Bundle.</summary>
    /// <param name="bundle">The document.</param>
    /// <param name="verifyCheckDigit">Whether the patient's insurer number must have a correct check digit: true for
    /// letters the portal is about to send, false (default) for stored documents, which some official examples break.</param>
    public static IReadOnlyList<ReferralProblem> Validate(Bundle bundle, bool verifyCheckDigit = false)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var problems = new List<ReferralProblem>();
        if (bundle.Type != Bundle.BundleType.Document)
        {
            problems.Add(new(ReferralProblemCode.BundleTypeNotDocument, ReferralField.Document, "Bundle.type"));
        }

        if (!HasProfile(bundle.Meta, JpFhir.Profiles.BundleEReferral))
        {
            problems.Add(new(ReferralProblemCode.BundleProfileMissing, ReferralField.Document, "Bundle.meta.profile"));
        }

        if (bundle.Timestamp is null)
        {
            problems.Add(new(ReferralProblemCode.TimestampMissing, ReferralField.IssuedAt, "Bundle.timestamp"));
        }

        var byFullUrl = new Dictionary<string, Resource?>(StringComparer.Ordinal);
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var fullUrl = bundle.Entry[i].FullUrl;
            if (fullUrl is null || !UrnUuid().IsMatch(fullUrl))
            {
                problems.Add(new(ReferralProblemCode.FullUrlNotUuid, ReferralField.Document, $"Bundle.entry[{i}].fullUrl"));
            }

            if (fullUrl is not null && !byFullUrl.TryAdd(fullUrl, bundle.Entry[i].Resource))
            {
                problems.Add(new(ReferralProblemCode.FullUrlDuplicate, ReferralField.Document, $"Bundle.entry[{i}].fullUrl"));
            }
        }

        var composition = bundle.Entry.FirstOrDefault()?.Resource as Composition;
        if (composition is null)
        {
            problems.Add(new(ReferralProblemCode.FirstEntryNotComposition, ReferralField.Document, "Bundle.entry[0].resource"));
        }
        else
        {
            CheckComposition(bundle, composition, byFullUrl, verifyCheckDigit, problems);
        }

        DocumentReferenceCheck.Check(bundle, byFullUrl, problems);
        if (bundle.Entry.Count > 0 || problems.Count == 0)
        {
            var size = Encoding.UTF8.GetByteCount(FhirJson.Serialize(bundle));
            if (size > MaxSerializedBytes)
            {
                problems.Add(new(ReferralProblemCode.TooLarge, ReferralField.Document, "Bundle"));
            }
        }

        return problems;
    }

    /// <summary>
    /// Checks what the user typed, before building: each problem names the form field. Identifiers are checked as new
    /// input (the insurer check digit included). A valid content builds a Bundle that passes <see cref="Validate(Bundle, bool)"/>
    /// unless it is too large.
    /// </summary>
    public static IReadOnlyList<ReferralProblem> Validate(ReferralLetterContent content) => ReferralContentValidator.Validate(content);

    private static void CheckComposition(Bundle bundle, Composition composition, Dictionary<string, Resource?> byFullUrl, bool verifyCheckDigit, List<ReferralProblem> problems)
    {
        const string c = "Bundle.entry[0].resource";
        if (!HasProfile(composition.Meta, JpFhir.Profiles.CompositionEReferral))
        {
            problems.Add(new(ReferralProblemCode.CompositionProfileMissing, ReferralField.Document, c + ".meta.profile"));
        }

        if (composition.Status != CompositionStatus.Final)
        {
            problems.Add(new(ReferralProblemCode.CompositionStatusNotFinal, ReferralField.Document, c + ".status"));
        }

        if (composition.Type?.Coding.Any(t => t.System == JpFhir.Systems.DocumentTypeCodes && t.Code == JpFhir.DocumentTypes.ReferralLetter) != true)
        {
            problems.Add(new(ReferralProblemCode.CompositionTypeWrong, ReferralField.Document, c + ".type"));
        }

        var version = composition.GetExtension(JpFhir.Extensions.DocumentVersionNumber)?.Value as FhirString;
        if (string.IsNullOrWhiteSpace(version?.Value))
        {
            problems.Add(new(ReferralProblemCode.VersionExtensionMissing, ReferralField.Version, c + ".extension"));
        }

        var sections = Flatten(composition.Section, c + ".section").ToList();
        foreach (var (code, field) in RequiredSections)
        {
            var found = sections.FirstOrDefault(s => HasSectionCode(s.Section, code));
            if (found.Section is null)
            {
                problems.Add(new(ReferralProblemCode.RequiredSectionMissing, field, c + ".section"));
            }
            else if (!HasText(found.Section.Text?.Div))
            {
                problems.Add(new(ReferralProblemCode.RequiredSectionEmpty, field, found.Path + ".text"));
            }
        }

        Resource? Resolve(ResourceReference? reference) =>
            reference?.Reference is { } r && byFullUrl.TryGetValue(r, out var resource) ? resource : null;

        var senderSection = sections.FirstOrDefault(s => HasSectionCode(s.Section, JpFhir.Sections.Sender));
        var sender = senderSection.Section?.Entry.Select(Resolve).OfType<Organization>().FirstOrDefault() ?? Resolve(composition.Custodian) as Organization;
        var senderCode = CheckOrganization(sender, ReferralProblemCode.SenderOrganizationMissing, ReferralProblemCode.SenderInstitutionCodeInvalid,
            ReferralField.SenderFacility, senderSection.Path ?? c + ".custodian", byFullUrl, problems);
        if (!composition.Author.Select(Resolve).OfType<Practitioner>().Any())
        {
            problems.Add(new(ReferralProblemCode.SenderDoctorMissing, ReferralField.SenderDoctor, c + ".author"));
        }

        var destinationSection = sections.FirstOrDefault(s => HasSectionCode(s.Section, JpFhir.Sections.Destination));
        var destination = destinationSection.Section?.Entry.Select(Resolve).OfType<Organization>().FirstOrDefault();
        CheckOrganization(destination, ReferralProblemCode.DestinationOrganizationMissing, ReferralProblemCode.DestinationInstitutionCodeInvalid,
            ReferralField.Destination, destinationSection.Path ?? c + ".section", byFullUrl, problems);

        if (Resolve(composition.Subject) is not Patient patient)
        {
            problems.Add(new(ReferralProblemCode.PatientMissing, ReferralField.Patient, c + ".subject"));
        }
        else
        {
            var path = EntryPath(bundle, patient) + ".identifier";
            var memberIds = patient.Identifier.Where(i => i.System == JpFhir.Systems.InsuranceMemberId).ToList();
            if (memberIds.Count != 1)
            {
                problems.Add(new(ReferralProblemCode.PatientMemberIdCount, ReferralField.Patient, path));
            }
            else
            {
                var parsed = InsuranceMemberId.ParsePasted(memberIds[0].Value, verifyCheckDigit);
                // A stored value must already be normalised (either width of an alphanumeric symbol/number is fine).
                if (!parsed.IsValid || !parsed.Value!.EquivalentValues.Contains(memberIds[0].Value, StringComparer.Ordinal))
                {
                    problems.Add(new(ReferralProblemCode.PatientMemberIdInvalid, ReferralField.Patient, path, parsed.Problems));
                }
            }
        }

        CheckBundleIdentifier(bundle, senderCode, problems);
    }

    private static void CheckBundleIdentifier(Bundle bundle, string? senderCode, List<ReferralProblem> problems)
    {
        if (bundle.Identifier is not { System: JpFhir.Systems.BundleIdentifier, Value: { } value })
        {
            problems.Add(new(ReferralProblemCode.BundleIdentifierMissing, ReferralField.Document, "Bundle.identifier"));
            return;
        }

        var match = BundleIdentifierPattern().Match(value);
        if (!match.Success)
        {
            problems.Add(new(ReferralProblemCode.BundleIdentifierFormat, ReferralField.LocalId, "Bundle.identifier.value"));
            return;
        }

        if (senderCode is not null && match.Groups[1].Value != senderCode)
        {
            problems.Add(new(ReferralProblemCode.BundleIdentifierSenderMismatch, ReferralField.SenderFacility, "Bundle.identifier.value"));
        }

        if (bundle.Timestamp is { } timestamp
            && int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) != timestamp.ToOffset(Jst).Year)
        {
            problems.Add(new(ReferralProblemCode.BundleIdentifierYearMismatch, ReferralField.IssuedAt, "Bundle.identifier.value"));
        }
    }

    /// <returns>The organisation's valid 医療機関コード, or null.</returns>
    private static string? CheckOrganization(Organization? organization, ReferralProblemCode missing, ReferralProblemCode invalid, ReferralField field,
        string path, Dictionary<string, Resource?> byFullUrl, List<ReferralProblem> problems)
    {
        if (organization is null)
        {
            problems.Add(new(missing, field, path + ".entry"));
            return null;
        }

        var fullUrl = byFullUrl.First(p => ReferenceEquals(p.Value, organization)).Key;
        var codes = organization.Identifier.Where(i => i.System == JpFhir.Systems.MedicalInstitutionCode).ToList();
        var parsed = codes.Count == 1 ? MedicalInstitutionCode.Parse(codes[0].Value) : null;
        if (parsed is null || !parsed.IsValid || parsed.Value!.Value != codes[0].Value)
        {
            problems.Add(new(invalid, field, $"Bundle.entry.where(fullUrl='{fullUrl}').resource.identifier", parsed?.Problems ?? []));
            return null;
        }

        return parsed.Value.Value;
    }

    internal static void CheckCode(string? code, ReferralProblemCode invalid, ReferralField field, string path, List<ReferralProblem> problems)
    {
        var parsed = MedicalInstitutionCode.Parse(code);
        if (!parsed.IsValid)
        {
            problems.Add(new(invalid, field, path, parsed.Problems));
        }
    }

    private static readonly (string Code, ReferralField Field)[] RequiredSections =
    [
        (JpFhir.Sections.Purpose, ReferralField.Purpose),
        (JpFhir.Sections.Diagnoses, ReferralField.Diagnoses),
        (JpFhir.Sections.PresentIllness, ReferralField.PresentIllness),
    ];

    private static IEnumerable<(Composition.SectionComponent Section, string Path)> Flatten(List<Composition.SectionComponent> sections, string path)
    {
        for (var i = 0; i < sections.Count; i++)
        {
            var own = $"{path}[{i}]";
            yield return (sections[i], own);
            foreach (var nested in Flatten(sections[i].Section, own + ".section"))
            {
                yield return nested;
            }
        }
    }

    private static bool HasSectionCode(Composition.SectionComponent section, string code) =>
        section.Code?.Coding.Any(c => c.Code == code && c.System is JpFhir.Systems.DocumentSection or JpFhir.Systems.EReferralDocumentSection) == true;

    private static bool HasText(string? div) => div is not null && !string.IsNullOrWhiteSpace(Tags().Replace(div, string.Empty).Replace("&nbsp;", " ", StringComparison.Ordinal));

    private static bool HasProfile(Meta? meta, string profile) =>
        meta?.Profile.Any(p => p is not null && string.Equals(p.Split('|')[0], profile, StringComparison.Ordinal)) == true;

    private static string EntryPath(Bundle bundle, Resource resource) =>
        $"Bundle.entry[{bundle.Entry.FindIndex(e => ReferenceEquals(e?.Resource, resource))}].resource";

    [GeneratedRegex("^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex UrnUuid();

    [GeneratedRegex("^([0-9]{10})\\^([0-9]{4})\\^(.+)$")]
    private static partial Regex BundleIdentifierPattern();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();
}

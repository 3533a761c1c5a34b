using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir.Identifiers;

namespace MedNetPortal.Fhir.Letters;

/// <summary>
/// Builds the JP-CLINS referral document Bundle (診療情報提供書) from <see cref="ReferralLetterContent"/>, in the shape of
/// the official text-only example: Composition first, sections 920, 910, 300 (950, 340, 360, 370, 510, 330, 430, 620)
/// and 220, each with a narrative generated from the form text.
/// </summary>
/// <remarks>
/// Deterministic: every <c>urn:uuid:</c> is derived from the Bundle identifier and a hash of the content, so building
/// the same letter again gives byte-identical JSON (a retried send carries the same document).
/// </remarks>
public static class ReferralDocumentBuilder
{
    /// <summary>Composition title and type display.</summary>
    public const string DocumentTitle = "診療情報提供書";

    private static readonly TimeSpan Jst = TimeSpan.FromHours(9);

    /// <summary>The clinical sections inside 300 構造情報, in the order of the official example.</summary>
    internal static readonly IReadOnlyList<(string Code, string Display, string Title)> StructuredSections =
    [
        (JpFhir.Sections.Purpose, "紹介目的", "紹介目的"),
        (JpFhir.Sections.Diagnoses, "傷病名・主訴", "傷病名・主訴"),
        (JpFhir.Sections.PresentIllness, "現病歴", "現病歴"),
        (JpFhir.Sections.PastHistory, "既往歴", "既往歴"),
        (JpFhir.Sections.FamilyHistory, "家族歴", "家族歴"),
        (JpFhir.Sections.Allergies, "アレルギー・不耐性反応", "アレルギー・不耐性反応"),
        (JpFhir.Sections.ClinicalCourse, "臨床経過", "臨床経過"),
        (JpFhir.Sections.Medications, "投薬指示", "投薬指示"),
        (JpFhir.Sections.TestResults, "検査結果", "検査結果"),
    ];

    /// <summary>The JP-CLINS Bundle identifier value <c>医療機関コード^年^施設内ID</c> for a letter (year in Japan time).</summary>
    public static string BundleIdentifierValue(ReferralLetterContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var code = MedicalInstitutionCode.Parse(content.Sender.FacilityCode, requireJpClinsPattern: false).Value?.Value ?? content.Sender.FacilityCode.Trim();
        return $"{code}^{content.IssuedAt.ToOffset(Jst).Year.ToString("D4", CultureInfo.InvariantCulture)}^{content.LocalId.Trim()}";
    }

    /// <summary>Builds the document Bundle. Does not validate: run <see cref="ReferralDocumentValidator"/> on the content first.</summary>
    /// <exception cref="ArgumentException">A shared-record copy is not a Condition / AllergyIntolerance JSON.</exception>
    public static Bundle Build(ReferralLetterContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var bundleId = BundleIdentifierValue(content);
        var seed = bundleId + "|" + Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(content)));
        string Urn(string part) => "urn:uuid:" + DeterministicGuid(seed + "/" + part).ToString("D");
        var issuedAt = content.IssuedAt.ToOffset(Jst);

        var patientUrn = Urn("patient");
        var senderOrgUrn = Urn("organization/sender");
        var senderDoctorUrn = Urn("practitioner/sender");
        var destinationOrgUrn = Urn("organization/destination");
        var destinationDoctorUrn = string.IsNullOrWhiteSpace(content.Destination.DoctorName) ? null : Urn("practitioner/destination");

        // Every resource of the letter carries meta.lastUpdated (required by the JP-CLINS profiles): the issue time, or a
        // shared-record copy's own update time.
        var lastUpdated = new DateTimeOffset(issuedAt.Year, issuedAt.Month, issuedAt.Day, issuedAt.Hour, issuedAt.Minute, issuedAt.Second, issuedAt.Offset);
        Meta NewMeta(string profile) => new() { LastUpdated = lastUpdated, Profile = [profile] };
        var conditions = content.DiagnosisCopies
            .Select((copy, i) => (Urn: Urn("condition/" + i.ToString(CultureInfo.InvariantCulture)), Resource: (Resource)SharedResourceCopies.CopyCondition(copy, patientUrn, lastUpdated)))
            .ToList();
        var allergies = content.AllergyCopies
            .Select((copy, i) => (Urn: Urn("allergy/" + i.ToString(CultureInfo.InvariantCulture)), Resource: (Resource)SharedResourceCopies.CopyAllergy(copy, patientUrn, lastUpdated)))
            .ToList();

        var sender = content.Sender;
        var destination = content.Destination;
        var composition = new Composition
        {
            Meta = NewMeta(JpFhir.Profiles.CompositionEReferral),
            Language = "ja",
            Extension = [new Extension(JpFhir.Extensions.DocumentVersionNumber, new FhirString(content.Version.Trim()))],
            Identifier = new Identifier(JpFhir.Systems.ResourceInstanceIdentifier, bundleId.Replace('^', '-')),
            Status = CompositionStatus.Final,
            Type = new CodeableConcept(JpFhir.Systems.DocumentTypeCodes, JpFhir.DocumentTypes.ReferralLetter, DocumentTitle, null),
            Category = [new CodeableConcept(JpFhir.Systems.DocumentSubTypeCodes, content.Category.Trim(), JpFhir.DocumentSubTypes.DisplayOf(content.Category.Trim()), null)],
            Subject = new ResourceReference(patientUrn) { Type = "Patient" },
            Date = new FhirDateTime(issuedAt).Value,
            Author =
            [
                new ResourceReference(senderDoctorUrn) { Type = "Practitioner" },
                new ResourceReference(senderOrgUrn) { Type = "Organization" },
            ],
            Title = DocumentTitle,
            Custodian = new ResourceReference(senderOrgUrn) { Type = "Organization" },
            Event =
            [
                new Composition.EventComponent
                {
                    Code = [new CodeableConcept { Text = "診療情報提供書発行" }],
                    Period = new Period { Start = issuedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
                },
            ],
        };

        var senderDoctorLine = string.IsNullOrWhiteSpace(sender.DoctorKana) ? sender.DoctorName : $"{sender.DoctorName.Trim()}（{sender.DoctorKana.Trim()}）";
        composition.Section.Add(Section(
            JpFhir.Sections.Sender, "紹介元情報", "紹介元情報",
            ReferralNarrative.Div([sender.FacilityName, sender.DepartmentName, senderDoctorLine, sender.Address, string.IsNullOrWhiteSpace(sender.Phone) ? null : "電話: " + sender.Phone.Trim()]),
            [Ref(senderOrgUrn, "Organization"), Ref(senderDoctorUrn, "Practitioner")]));

        var destinationEntries = new List<ResourceReference> { Ref(destinationOrgUrn, "Organization") };
        if (destinationDoctorUrn is not null)
        {
            destinationEntries.Add(Ref(destinationDoctorUrn, "Practitioner"));
        }

        composition.Section.Add(Section(
            JpFhir.Sections.Destination, "紹介先情報", "紹介先情報",
            ReferralNarrative.Div([destination.FacilityName, destination.DepartmentName, destinationDoctorUrn is null ? "ご担当先生" : destination.DoctorName!.Trim() + " 先生"]),
            destinationEntries));

        var structured = Section(JpFhir.Sections.Structured, "構造情報", "構造情報", narrativeDiv: null, entries: []);
        var texts = new Dictionary<string, (string? Text, IEnumerable<ResourceReference> Entries)>
        {
            [JpFhir.Sections.Purpose] = (content.Purpose, []),
            [JpFhir.Sections.Diagnoses] = (content.Diagnoses, conditions.Select(c => Ref(c.Urn, "Condition"))),
            [JpFhir.Sections.PresentIllness] = (content.PresentIllness, []),
            [JpFhir.Sections.PastHistory] = (content.PastAndFamilyHistory, []),
            [JpFhir.Sections.FamilyHistory] = (content.FamilyHistory, []),
            [JpFhir.Sections.Allergies] = (content.Allergies, allergies.Select(a => Ref(a.Urn, "AllergyIntolerance"))),
            [JpFhir.Sections.ClinicalCourse] = (content.ClinicalCourse, []),
            [JpFhir.Sections.Medications] = (content.CurrentMedication, []),
            [JpFhir.Sections.TestResults] = (content.TestResults, []),
        };
        foreach (var (code, display, title) in StructuredSections)
        {
            var (text, entries) = texts[code];
            var entryList = entries.ToList();
            var required = code is JpFhir.Sections.Purpose or JpFhir.Sections.Diagnoses or JpFhir.Sections.PresentIllness;
            if (required || !string.IsNullOrWhiteSpace(text) || entryList.Count > 0)
            {
                // A structured copy with no typed text still needs a readable narrative: say what the entries are.
                var narrativeText = string.IsNullOrWhiteSpace(text) && entryList.Count > 0 ? "（構造化情報を参照）" : text ?? string.Empty;
                structured.Section.Add(Section(code, display, title, ReferralNarrative.Div(narrativeText), entryList));
            }
        }

        composition.Section.Add(structured);
        if (!string.IsNullOrWhiteSpace(content.Remarks))
        {
            composition.Section.Add(Section(JpFhir.Sections.Remarks, "備考・連絡情報", "備考・連絡情報", ReferralNarrative.Div(content.Remarks), []));
        }

        var bundle = new Bundle
        {
            Meta = NewMeta(JpFhir.Profiles.BundleEReferral),
            Language = "ja",
            Identifier = new Identifier(JpFhir.Systems.BundleIdentifier, bundleId),
            Type = Bundle.BundleType.Document,
            Timestamp = issuedAt,
        };
        bundle.Entry.Add(Entry(Urn("composition"), composition));
        bundle.Entry.Add(Entry(patientUrn, ReferralParticipants.ToPatient(content.Patient, NewMeta(JpFhir.Profiles.PatientECS))));
        bundle.Entry.Add(Entry(senderDoctorUrn, ReferralParticipants.ToPractitioner(sender.DoctorName, sender.DoctorKana, NewMeta(JpFhir.Profiles.PractitionerECS))));
        if (destinationDoctorUrn is not null)
        {
            bundle.Entry.Add(Entry(destinationDoctorUrn, ReferralParticipants.ToPractitioner(destination.DoctorName!, null, NewMeta(JpFhir.Profiles.PractitionerECS))));
        }

        bundle.Entry.Add(Entry(senderOrgUrn, ReferralParticipants.ToOrganization(sender.FacilityName, sender.FacilityCode, sender.Phone, sender.Address, sender.DepartmentCode, sender.DepartmentName,
            NewMeta(JpFhir.Profiles.OrganizationECS))));
        bundle.Entry.Add(Entry(destinationOrgUrn, ReferralParticipants.ToOrganization(destination.FacilityName, destination.FacilityCode, null, null, destination.DepartmentCode, destination.DepartmentName,
            NewMeta(JpFhir.Profiles.OrganizationECS))));
        foreach (var (urn, resource) in conditions.Concat(allergies))
        {
            bundle.Entry.Add(Entry(urn, resource));
        }

        return bundle;
    }

    /// <summary>A name-based UUID (RFC 9562 version 8 layout) from SHA-256 of the name.</summary>
    internal static Guid DeterministicGuid(string name)
    {
        Span<byte> bytes = stackalloc byte[16];
        SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 16).CopyTo(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    private static Composition.SectionComponent Section(string code, string display, string title, string? narrativeDiv, IEnumerable<ResourceReference> entries)
    {
        var section = new Composition.SectionComponent
        {
            Title = title,
            Code = new CodeableConcept(JpFhir.Systems.DocumentSection, code, display + "セクション", null),
            Text = narrativeDiv is null ? null : new Narrative { Status = Narrative.NarrativeStatus.Additional, Div = narrativeDiv },
        };
        section.Entry.AddRange(entries);
        return section;
    }

    private static ResourceReference Ref(string urn, string type) => new(urn) { Type = type };

    private static Bundle.EntryComponent Entry(string fullUrl, Resource resource) => new() { FullUrl = fullUrl, Resource = resource };
}

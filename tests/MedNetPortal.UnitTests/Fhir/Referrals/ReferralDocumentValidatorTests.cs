// Tests walk Firely models whose elements are all nullable; a missing element fails the test with an exception anyway.
#nullable disable warnings

using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.Fhir.Letters;

namespace MedNetPortal.UnitTests.Fhir.Referrals;

public sealed class ReferralDocumentValidatorTests
{
    private const string Xhtml = "<div xmlns=\"http://www.w3.org/1999/xhtml\">";

    private static readonly Dictionary<string, Action<Bundle>> Breaks = new()
    {
        ["type"] = b => b.Type = Bundle.BundleType.Collection,
        ["bundle-profile"] = b => b.Meta.Profile = ["http://example.org/other"],
        ["identifier-missing"] = b => b.Identifier = null,
        ["identifier-system"] = b => b.Identifier.System = "http://example.org/ids",
        ["identifier-format"] = b => b.Identifier.Value = "131987654^2025^R2025-0001",
        ["identifier-no-local-id"] = b => b.Identifier.Value = "1319876543^2025^",
        ["identifier-sender"] = b => b.Identifier.Value = "1311234567^2025^R2025-0001",
        ["identifier-year"] = b => b.Identifier.Value = "1319876543^2024^R2025-0001",
        ["timestamp"] = b => b.Timestamp = null,
        ["fullurl-not-uuid"] = b => Retarget(b, Entry<Organization>(b, 1), "http://example.org/Organization/1"),
        ["fullurl-bad-uuid"] = b => Retarget(b, Entry<Organization>(b, 1), "urn:uuid:not-a-uuid"),
        ["fullurl-duplicate"] = b => b.Entry.Add(new Bundle.EntryComponent { FullUrl = b.Entry[1].FullUrl, Resource = new Basic() }),
        ["first-entry"] = b => (b.Entry[0], b.Entry[1]) = (b.Entry[1], b.Entry[0]),
        ["composition-profile"] = b => Composition(b).Meta.Profile = [],
        ["composition-status"] = b => Composition(b).Status = CompositionStatus.Preliminary,
        ["composition-type"] = b => Composition(b).Type.Coding[0].Code = JpFhir.DocumentTypes.DischargeSummary,
        ["version-missing"] = b => Composition(b).Extension.Clear(),
        ["version-empty"] = b => Composition(b).Extension[0].Value = new FhirString(" "),
        ["purpose-missing"] = b => Structured(b).Section.RemoveAll(s => s.Code.Coding[0].Code == "950"),
        ["diagnoses-empty"] = b => Section(b, "340").Text.Div = Xhtml + " <br/> </div>",
        ["present-illness-missing"] = b => Structured(b).Section.RemoveAll(s => s.Code.Coding[0].Code == "360"),
        ["present-illness-no-text"] = b => Section(b, "360").Text = null,
        ["sender-code"] = b => Entry<Organization>(b, 0).Identifier[0].Value = "9919876543",
        ["sender-missing"] = b =>
        {
            Composition(b).Section[0].Entry.RemoveAll(r => r.Type == "Organization");
            Composition(b).Custodian = null;
        },
        ["sender-doctor"] = b => Composition(b).Author.RemoveAll(r => r.Type == "Practitioner"),
        ["destination-missing"] = b => Composition(b).Section[1].Entry.Clear(),
        ["destination-code"] = b => Entry<Organization>(b, 1).Identifier.Clear(),
        ["destination-code-pharmacy"] = b => Entry<Organization>(b, 1).Identifier[0].Value = "1341234567",
        ["patient-missing"] = b => Composition(b).Subject = null,
        ["patient-two-ids"] = b => Entry<Patient>(b, 0).Identifier.Add(new Identifier(JpFhir.Systems.InsuranceMemberId, "01130012:12:345:01")),
        ["patient-no-id"] = b => Entry<Patient>(b, 0).Identifier.Clear(),
        ["patient-id-format"] = b => Entry<Patient>(b, 0).Identifier[0].Value = "00131045:あいう:１８７",
        ["patient-id-not-normalised"] = b => Entry<Patient>(b, 0).Identifier[0].Value = "131045:あいう:１８７:05",
        ["reference"] = b => Composition(b).Section[1].Entry[1].Reference = "urn:uuid:00000000-0000-4000-8000-000000000000",
        ["reference-relative"] = b => Composition(b).Section[0].Entry[1].Reference = "Practitioner/123",
        ["too-large"] = b => Section(b, "220").Text.Div = Xhtml + new string('あ', ReferralDocumentValidator.MaxSerializedBytes / 3 + 1) + "</div>",
    };

    // break, expected problem codes (all of them, nothing else), field of the first
    public static TheoryData<string, ReferralProblemCode[], ReferralField> BrokenBundles => new()
    {
        { "type", [ReferralProblemCode.BundleTypeNotDocument], ReferralField.Document },
        { "bundle-profile", [ReferralProblemCode.BundleProfileMissing], ReferralField.Document },
        { "identifier-missing", [ReferralProblemCode.BundleIdentifierMissing], ReferralField.Document },
        { "identifier-system", [ReferralProblemCode.BundleIdentifierMissing], ReferralField.Document },
        { "identifier-format", [ReferralProblemCode.BundleIdentifierFormat], ReferralField.LocalId },
        { "identifier-no-local-id", [ReferralProblemCode.BundleIdentifierFormat], ReferralField.LocalId },
        { "identifier-sender", [ReferralProblemCode.BundleIdentifierSenderMismatch], ReferralField.SenderFacility },
        { "identifier-year", [ReferralProblemCode.BundleIdentifierYearMismatch], ReferralField.IssuedAt },
        { "timestamp", [ReferralProblemCode.TimestampMissing], ReferralField.IssuedAt },
        { "fullurl-not-uuid", [ReferralProblemCode.FullUrlNotUuid], ReferralField.Document },
        { "fullurl-bad-uuid", [ReferralProblemCode.FullUrlNotUuid], ReferralField.Document },
        { "fullurl-duplicate", [ReferralProblemCode.FullUrlDuplicate], ReferralField.Document },
        { "first-entry", [ReferralProblemCode.FirstEntryNotComposition], ReferralField.Document },
        { "composition-profile", [ReferralProblemCode.CompositionProfileMissing], ReferralField.Document },
        { "composition-status", [ReferralProblemCode.CompositionStatusNotFinal], ReferralField.Document },
        { "composition-type", [ReferralProblemCode.CompositionTypeWrong], ReferralField.Document },
        { "version-missing", [ReferralProblemCode.VersionExtensionMissing], ReferralField.Version },
        { "version-empty", [ReferralProblemCode.VersionExtensionMissing], ReferralField.Version },
        { "purpose-missing", [ReferralProblemCode.RequiredSectionMissing], ReferralField.Purpose },
        { "diagnoses-empty", [ReferralProblemCode.RequiredSectionEmpty], ReferralField.Diagnoses },
        { "present-illness-missing", [ReferralProblemCode.RequiredSectionMissing], ReferralField.PresentIllness },
        { "present-illness-no-text", [ReferralProblemCode.RequiredSectionEmpty], ReferralField.PresentIllness },
        { "sender-code", [ReferralProblemCode.SenderInstitutionCodeInvalid], ReferralField.SenderFacility },
        { "sender-missing", [ReferralProblemCode.SenderOrganizationMissing], ReferralField.SenderFacility },
        { "sender-doctor", [ReferralProblemCode.SenderDoctorMissing], ReferralField.SenderDoctor },
        { "destination-missing", [ReferralProblemCode.DestinationOrganizationMissing], ReferralField.Destination },
        { "destination-code", [ReferralProblemCode.DestinationInstitutionCodeInvalid], ReferralField.Destination },
        { "destination-code-pharmacy", [ReferralProblemCode.DestinationInstitutionCodeInvalid], ReferralField.Destination },
        { "patient-missing", [ReferralProblemCode.PatientMissing], ReferralField.Patient },
        { "patient-two-ids", [ReferralProblemCode.PatientMemberIdCount], ReferralField.Patient },
        { "patient-no-id", [ReferralProblemCode.PatientMemberIdCount], ReferralField.Patient },
        { "patient-id-format", [ReferralProblemCode.PatientMemberIdInvalid], ReferralField.Patient },
        { "patient-id-not-normalised", [ReferralProblemCode.PatientMemberIdInvalid], ReferralField.Patient },
        { "reference", [ReferralProblemCode.ReferenceUnresolved], ReferralField.Document },
        { "reference-relative", [ReferralProblemCode.ReferenceUnresolved], ReferralField.Document },
        { "too-large", [ReferralProblemCode.TooLarge], ReferralField.Document },
    };

    [Theory]
    [MemberData(nameof(BrokenBundles))]
    public void Each_rule_fails_on_a_bundle_broken_in_that_one_way(string breakName, ReferralProblemCode[] expected, ReferralField field)
    {
        var bundle = ReferralDocumentBuilder.Build(ReferralTestData.Full());
        Assert.Empty(ReferralDocumentValidator.Validate(bundle, verifyCheckDigit: true));

        Breaks[breakName](bundle);
        var problems = ReferralDocumentValidator.Validate(bundle, verifyCheckDigit: true);

        Assert.Equal(expected, problems.Select(p => p.Code));
        Assert.Equal(field, problems[0].Field);
        Assert.StartsWith("Bundle", problems[0].Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_paths_point_at_the_broken_element()
    {
        var bundle = ReferralDocumentBuilder.Build(ReferralTestData.Full());
        Breaks["reference"](bundle);
        Breaks["diagnoses-empty"](bundle);

        var problems = ReferralDocumentValidator.Validate(bundle);

        Assert.Equal("Bundle.entry[0].resource.section[2].section[1].text", problems.Single(p => p.Code == ReferralProblemCode.RequiredSectionEmpty).Path);
        Assert.Equal("Bundle.entry[0].resource.section[1].entry[1]", problems.Single(p => p.Code == ReferralProblemCode.ReferenceUnresolved).Path);
    }

    [Fact]
    public void Stored_identifiers_skip_the_check_digit_new_letters_do_not()
    {
        // 00012345 is the official examples' insurer: its check digit is wrong (0123 4 → 9, not 5).
        var bundle = ReferralDocumentBuilder.Build(ReferralTestData.Full() with
        {
            Patient = ReferralTestData.Full().Patient with { MemberId = "00012345:あいう:１８７:05" },
        });

        Assert.Empty(ReferralDocumentValidator.Validate(bundle));
        var problem = Assert.Single(ReferralDocumentValidator.Validate(bundle, verifyCheckDigit: true));
        Assert.Equal((ReferralProblemCode.PatientMemberIdInvalid, ReferralField.Patient), (problem.Code, problem.Field));
        Assert.Equal(IdentifierErrorCode.InsurerCheckDigit, Assert.Single(problem.IdentifierProblems).Code);
    }

    [Theory]
    [InlineData(ReferralTestData.TextOnlyExample)]
    [InlineData(ReferralTestData.StructuredExample)]
    public void Official_examples_pass_except_their_identifier_which_names_another_facility_and_year(string file)
    {
        var bundle = ReferralTestData.LoadExample(file);

        // Their Bundle identifier is 1318814790^2024^…, but the sender organisation is 1319876543 and the timestamp 2021.
        Assert.Equal(
            [ReferralProblemCode.BundleIdentifierSenderMismatch, ReferralProblemCode.BundleIdentifierYearMismatch],
            ReferralDocumentValidator.Validate(bundle).Select(p => p.Code));
        Assert.Contains(ReferralDocumentValidator.Validate(bundle, verifyCheckDigit: true), p => p.Code == ReferralProblemCode.PatientMemberIdInvalid);
    }

    // content change, expected code, field
    public static TheoryData<string, ReferralProblemCode, ReferralField> BrokenContent => new()
    {
        { "purpose", ReferralProblemCode.Required, ReferralField.Purpose },
        { "diagnoses", ReferralProblemCode.Required, ReferralField.Diagnoses },
        { "present-illness", ReferralProblemCode.Required, ReferralField.PresentIllness },
        { "sender-name", ReferralProblemCode.Required, ReferralField.SenderFacility },
        { "sender-code", ReferralProblemCode.SenderInstitutionCodeInvalid, ReferralField.SenderFacility },
        { "sender-doctor", ReferralProblemCode.Required, ReferralField.SenderDoctor },
        { "destination-name", ReferralProblemCode.Required, ReferralField.Destination },
        { "destination-code", ReferralProblemCode.DestinationInstitutionCodeInvalid, ReferralField.Destination },
        { "member-id-check-digit", ReferralProblemCode.PatientMemberIdInvalid, ReferralField.Patient },
        { "member-id-format", ReferralProblemCode.PatientMemberIdInvalid, ReferralField.Patient },
        { "patient-kana", ReferralProblemCode.Required, ReferralField.Patient },
        { "birth-after-issue", ReferralProblemCode.BirthDateAfterIssue, ReferralField.Patient },
        { "local-id-caret", ReferralProblemCode.LocalIdInvalid, ReferralField.LocalId },
        { "local-id-empty", ReferralProblemCode.LocalIdInvalid, ReferralField.LocalId },
        { "version", ReferralProblemCode.Required, ReferralField.Version },
        { "condition-copy", ReferralProblemCode.SharedCopyInvalid, ReferralField.Diagnoses },
        { "allergy-copy", ReferralProblemCode.SharedCopyInvalid, ReferralField.Allergies },
    };

    [Theory]
    [MemberData(nameof(BrokenContent))]
    public void Content_problems_name_the_form_field(string change, ReferralProblemCode code, ReferralField field)
    {
        var c = ReferralTestData.Full();
        c = change switch
        {
            "purpose" => c with { Purpose = " \n " },
            "diagnoses" => c with { Diagnoses = "" },
            "present-illness" => c with { PresentIllness = "　" },
            "sender-name" => c with { Sender = c.Sender with { FacilityName = "" } },
            "sender-code" => c with { Sender = c.Sender with { FacilityCode = "13198765" } },
            "sender-doctor" => c with { Sender = c.Sender with { DoctorName = " " } },
            "destination-name" => c with { Destination = c.Destination with { FacilityName = "" } },
            "destination-code" => c with { Destination = c.Destination with { FacilityCode = "9911234567" } },
            "member-id-check-digit" => c with { Patient = c.Patient with { MemberId = "00012345:あいう:１８７:05" } },
            "member-id-format" => c with { Patient = c.Patient with { MemberId = "00131045 あいう １８７" } },
            "patient-kana" => c with { Patient = c.Patient with { NameKana = "" } },
            "birth-after-issue" => c with { Patient = c.Patient with { BirthDate = new DateOnly(2025, 1, 22) } },
            "local-id-caret" => c with { LocalId = "R^1" },
            "local-id-empty" => c with { LocalId = "" },
            "version" => c with { Version = "" },
            "condition-copy" => c with { DiagnosisCopies = [new SharedResourceCopy("{\"resourceType\":\"Patient\"}")] },
            "allergy-copy" => c with { AllergyCopies = [new SharedResourceCopy("not json")] },
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };

        var problem = Assert.Single(ReferralDocumentValidator.Validate(c));

        Assert.Equal((code, field), (problem.Code, problem.Field));
    }

    private static Composition Composition(Bundle b) => (Composition)b.Entry[0].Resource;

    private static Composition.SectionComponent Structured(Bundle b) => Composition(b).Section.Single(s => s.Code.Coding[0].Code == "300");

    private static Composition.SectionComponent Section(Bundle b, string code) =>
        Composition(b).Section.Concat(Structured(b).Section).Single(s => s.Code.Coding[0].Code == code);

    private static T Entry<T>(Bundle b, int index)
        where T : Resource => b.Entry.Select(e => e.Resource).OfType<T>().ElementAt(index);

    private static void Retarget(Bundle b, Resource resource, string fullUrl)
    {
        var entry = b.Entry.Single(e => ReferenceEquals(e.Resource, resource));
        foreach (var reference in Composition(b).Section.SelectMany(s => s.Entry).Append(Composition(b).Custodian).Concat(Composition(b).Author))
        {
            if (reference.Reference == entry.FullUrl)
            {
                reference.Reference = fullUrl;
            }
        }

        entry.FullUrl = fullUrl;
    }
}

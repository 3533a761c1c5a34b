using MedNetPortal.Fhir.Identifiers;

namespace MedNetPortal.Fhir.Letters;

/// <summary>The compose-form field a problem points at (the UI focuses it); <see cref="Document"/> for structural ones.</summary>
public enum ReferralField
{
    /// <summary>The document structure itself (not something the user typed).</summary>
    Document,

    /// <summary>紹介元医療機関 (name, 医療機関コード, address, phone, department).</summary>
    SenderFacility,

    /// <summary>紹介元医師.</summary>
    SenderDoctor,

    /// <summary>紹介先医療機関 (and department).</summary>
    Destination,

    /// <summary>紹介先医師.</summary>
    DestinationDoctor,

    /// <summary>The patient (identifier, names, birth date, sex).</summary>
    Patient,

    /// <summary>紹介目的.</summary>
    Purpose,

    /// <summary>傷病名・主訴 (text and shared diagnoses).</summary>
    Diagnoses,

    /// <summary>現病歴.</summary>
    PresentIllness,

    /// <summary>既往歴・家族歴.</summary>
    PastAndFamilyHistory,

    /// <summary>アレルギー (text and shared allergies).</summary>
    Allergies,

    /// <summary>現在の処方.</summary>
    CurrentMedication,

    /// <summary>治療経過.</summary>
    ClinicalCourse,

    /// <summary>検査結果.</summary>
    TestResults,

    /// <summary>備考.</summary>
    Remarks,

    /// <summary>施設内ID.</summary>
    LocalId,

    /// <summary>Issue date and time.</summary>
    IssuedAt,

    /// <summary>Document version.</summary>
    Version,

    /// <summary>The patient's address (JP_Patient_eCS requires one).</summary>
    PatientAddress,

    /// <summary>家族歴 (section 550).</summary>
    FamilyHistory,

    /// <summary>The letter's category (Composition.category: 外来, 入院中, …).</summary>
    Category,
}

/// <summary>Stable problem codes; the UI localises them. Never renamed once shipped (drafts and logs may hold them).</summary>
public enum ReferralProblemCode
{
    /// <summary><c>Bundle.type</c> is not <c>document</c>.</summary>
    BundleTypeNotDocument,

    /// <summary><c>Bundle.meta.profile</c> lacks JP_Bundle_eReferral.</summary>
    BundleProfileMissing,

    /// <summary>No Bundle identifier with the bundle-identifier system.</summary>
    BundleIdentifierMissing,

    /// <summary>The Bundle identifier is not <c>医療機関コード(10)^年(4)^施設内ID</c>.</summary>
    BundleIdentifierFormat,

    /// <summary>The Bundle identifier's 医療機関コード is not the sender organisation's.</summary>
    BundleIdentifierSenderMismatch,

    /// <summary>The Bundle identifier's year is not the issue year (of <c>Bundle.timestamp</c>, Japan time).</summary>
    BundleIdentifierYearMismatch,

    /// <summary><c>Bundle.timestamp</c> is missing or has no time zone.</summary>
    TimestampMissing,

    /// <summary>An entry's <c>fullUrl</c> is not a <c>urn:uuid:</c>.</summary>
    FullUrlNotUuid,

    /// <summary>Two entries share a <c>fullUrl</c>.</summary>
    FullUrlDuplicate,

    /// <summary>The first entry is not a Composition (or the Bundle is empty).</summary>
    FirstEntryNotComposition,

    /// <summary>The Composition lacks the JP_Composition_eReferral profile.</summary>
    CompositionProfileMissing,

    /// <summary>The Composition status is not <c>final</c>.</summary>
    CompositionStatusNotFinal,

    /// <summary>The Composition type is not doc-typecodes 57133-1.</summary>
    CompositionTypeWrong,

    /// <summary>The composition-clinicaldocument-versionNumber extension is missing or empty.</summary>
    VersionExtensionMissing,

    /// <summary>A required section (950, 340, 360) is missing.</summary>
    RequiredSectionMissing,

    /// <summary>A required section has no narrative text.</summary>
    RequiredSectionEmpty,

    /// <summary>A required text is empty (content validation).</summary>
    Required,

    /// <summary>No sender organisation (section 920 / custodian).</summary>
    SenderOrganizationMissing,

    /// <summary>The sender organisation has no valid 医療機関コード.</summary>
    SenderInstitutionCodeInvalid,

    /// <summary>No sender doctor (Composition.author Practitioner).</summary>
    SenderDoctorMissing,

    /// <summary>No destination organisation (section 910).</summary>
    DestinationOrganizationMissing,

    /// <summary>The destination organisation has no valid 医療機関コード.</summary>
    DestinationInstitutionCodeInvalid,

    /// <summary>The Composition subject is not a Patient entry of the Bundle.</summary>
    PatientMissing,

    /// <summary>The Patient does not carry exactly one JP_Insurance_memberID identifier.</summary>
    PatientMemberIdCount,

    /// <summary>The JP_Insurance_memberID value is malformed (see <see cref="ReferralProblem.IdentifierProblems"/>).</summary>
    PatientMemberIdInvalid,

    /// <summary>The patient's birth date is after the issue date.</summary>
    BirthDateAfterIssue,

    /// <summary>A reference inside the Bundle does not resolve to an entry's <c>fullUrl</c>.</summary>
    ReferenceUnresolved,

    /// <summary>The serialised Bundle is larger than <see cref="ReferralDocumentValidator.MaxSerializedBytes"/>.</summary>
    TooLarge,

    /// <summary>The 施設内ID is empty or contains <c>^</c> or a line break.</summary>
    LocalIdInvalid,

    /// <summary>A shared-record copy is not a valid Condition / AllergyIntolerance.</summary>
    SharedCopyInvalid,

    /// <summary>The official JP-CLINS profiles reject the document (see <see cref="ReferralProblem.Profile"/>).</summary>
    ProfileViolation,

    /// <summary>The letter category is not a doc-subtypecodes code.</summary>
    CategoryInvalid,
}

/// <summary>What kind of profile error, so the UI can say it in the user's language (the validator writes English).</summary>
public enum ProfileFindingKind
{
    /// <summary>A required element is missing (<see cref="ProfileFinding.Subject"/> = its name).</summary>
    MissingElement,

    /// <summary>A required slice (e.g. a MEDIS coding, an Rp number) is missing (<see cref="ProfileFinding.Subject"/> = the slice).</summary>
    MissingSlice,

    /// <summary>A value is not the one the profile fixes (<see cref="ProfileFinding.Subject"/> = the expected value).</summary>
    WrongValue,

    /// <summary>A rule (FHIRPath invariant) fails (<see cref="ProfileFinding.Subject"/> = the rule's key).</summary>
    Rule,

    /// <summary>Too many or too few of an element (<see cref="ProfileFinding.Subject"/> = the element).</summary>
    Cardinality,

    /// <summary>A code is not allowed here.</summary>
    Code,

    /// <summary>Anything else: see <see cref="ProfileFinding.Message"/>.</summary>
    Other,
}

/// <summary>A profile error as the official validator reported it.</summary>
/// <param name="Kind">What kind of error.</param>
/// <param name="Subject">The element, slice, value or rule it is about (from the message), or empty.</param>
/// <param name="Message">The validator's own message (English; rule texts are often Japanese).</param>
public sealed record ProfileFinding(ProfileFindingKind Kind, string Subject, string Message);

/// <summary>One thing wrong with a letter: what (a stable code), where in the form, and where in the FHIR document.</summary>
/// <param name="Code">The stable code (the UI localises it).</param>
/// <param name="Field">The form field to fix.</param>
/// <param name="Path">A FHIR path to the element (<c>Bundle.entry[0].resource.section[2]…</c>) or a content property name.</param>
/// <param name="IdentifierProblems">Details when an identifier is malformed (same codes as the identifier inputs), else empty.</param>
public sealed record ReferralProblem(ReferralProblemCode Code, ReferralField Field, string Path, IReadOnlyList<IdentifierProblem> IdentifierProblems)
{
    /// <summary>For <see cref="ReferralProblemCode.ProfileViolation"/>: what the official validator said; else null.</summary>
    public ProfileFinding? Profile { get; init; }

    /// <summary>A problem without identifier details.</summary>
    public ReferralProblem(ReferralProblemCode code, ReferralField field, string path)
        : this(code, field, path, [])
    {
    }
}

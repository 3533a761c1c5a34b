using MedNetPortal.Fhir;

namespace MedNetPortal.Web.Features.Patients;

/// <summary>Male, female, other or unknown, as the UI labels it.</summary>
public enum PatientSex
{
    Unknown,
    Male,
    Female,
    Other,
}

/// <summary>The JP-CLINS indication tags a viewer must respect (<c>meta.tag</c> JP_ehrshrs_indication).</summary>
public sealed record IndicationMarks(bool Uninformed, bool Undelivered)
{
    public static IndicationMarks None { get; } = new(false, false);

    public bool Any => Uninformed || Undelivered;
}

/// <summary>A patient as a lookup result or record banner shows them. <see cref="MemberIdentifier"/> is personal data:
/// never put it in a URL, title or log.</summary>
public sealed record PatientSummary(
    string Id,
    string NameKanji,
    string NameKana,
    PatientSex Sex,
    string? BirthDate,
    string? MemberIdentifier,
    string? Address = null);

/// <summary>The outcome of one identifier search: the matches and how many the base says there are.</summary>
public sealed record PatientSearchResult(IReadOnlyList<PatientSummary> Matches, int Total);

/// <summary>Where one list stands: what was loaded, how many exist, and the base's link to the next page (if any).</summary>
public sealed record PageInfo(int Loaded, int? Total, string? NextLink)
{
    public bool HasMore => NextLink is not null;

    /// <summary>The base says there are more than were loaded but gave no link to them: the rest cannot be shown here.</summary>
    public bool IsTruncated => NextLink is null && Total > Loaded;
}

/// <summary>
/// A code with its code system put into words (diagnoses, tests and drugs alike): <see cref="SystemKey"/> is a known name
/// key, <see cref="SystemName"/> the URL's last segment for any other system.
/// </summary>
public sealed record DiagnosisCode(string Code, string SystemKey, string? SystemName);

/// <summary>One Condition as the record shows it.</summary>
public sealed record Diagnosis(
    string Id,
    string Name,
    IReadOnlyList<DiagnosisCode> Codes,
    bool Suspected,
    string? ClinicalStatus,
    bool EnteredInError,
    string? Onset,
    string? Abatement,
    string? Recorded,
    string? RecordedBy,
    string? FacilityCode,
    IndicationMarks Marks,
    string? FacilityName = null)
{
    public bool IsCoded => Codes.Count > 0;

    public FacilityRef Facility => new(FacilityCode, FacilityName);

    public bool IsActive => ClinicalStatus is "active" or "recurrence" or "relapse";
}

/// <summary>A reaction and its severity (mild, moderate, severe or null).</summary>
public sealed record AllergyReaction(string Manifestation, string? Severity);

/// <summary>Medication, food, environment, biologic, or null when the record names none.</summary>
public enum AllergyCategory
{
    Unknown,
    Medication,
    Food,
    Environment,
    Biologic,
}

/// <summary>One AllergyIntolerance as the record shows it.</summary>
public sealed record Allergy(
    string Id,
    string Substance,
    AllergyCategory Category,
    string? Criticality,
    IReadOnlyList<AllergyReaction> Reactions,
    string? ClinicalStatus,
    string? VerificationStatus,
    string? Onset,
    string? Recorded,
    string? RecordedBy,
    string? Note,
    IndicationMarks Marks,
    FacilityRef? Facility = null)
{
    public bool HighCriticality => Criticality == "high";

    /// <summary>JP-CLINS files every medication-category entry as 薬剤アレルギー等 (the 薬剤禁忌 item); the rest are other allergies.</summary>
    public bool IsDrug => Category == AllergyCategory.Medication;

    public bool EnteredInError => VerificationStatus == "entered-in-error";
}

/// <summary>Which of the national documents a listed document is (from its type code, doc-typecodes).</summary>
public enum RecordDocumentKind
{
    /// <summary>診療情報提供書 (57133-1).</summary>
    ReferralLetter,

    /// <summary>退院時サマリー (18842-5).</summary>
    DischargeSummary,

    /// <summary>健診結果報告書 (53576-5).</summary>
    CheckupReport,

    /// <summary>Another type: its own title is shown.</summary>
    Other,
}

/// <summary>
/// A document (referral letter, discharge summary, check-up report) in the patient's list; <see cref="Id"/> is the base's
/// Bundle id (route /letters/{id}). For a discharge summary or check-up report, "sender" is the facility and doctor that
/// wrote it, there is no destination, and <see cref="Purpose"/> holds its summary line (discharge diagnoses; the kind of
/// check-up).
/// </summary>
public sealed record LetterSummary(
    string Id,
    string? Date,
    string Title,
    string? SenderFacility,
    string? SenderDoctor,
    string? DestinationFacility,
    string? DestinationDepartment,
    string? Purpose,
    IndicationMarks Marks)
{
    public RecordDocumentKind Kind { get; init; } = RecordDocumentKind.ReferralLetter;

    /// <summary>The writing facility's 医療機関コード, when the document names it (the timeline's facility filter).</summary>
    public string? SenderCode { get; init; }

    /// <summary>
    /// The discharge medication a discharge summary carries (section 444), as prescriptions; the 処方 group shows each line
    /// once together with the MedicationRequests of the record.
    /// </summary>
    public IReadOnlyList<Prescription> Prescriptions { get; init; } = [];
}

/// <summary>The record page's data, loaded in one round trip; each list carries its own paging state.</summary>
public sealed record PatientRecord(
    PatientSummary Patient,
    IReadOnlyList<Diagnosis> Diagnoses,
    PageInfo DiagnosesPage,
    IReadOnlyList<Allergy> Allergies,
    PageInfo AllergiesPage,
    IReadOnlyList<LetterSummary> Letters,
    PageInfo LettersPage,
    FhirApiErrorReason? DiagnosesError = null,
    FhirApiErrorReason? AllergiesError = null,
    FhirApiErrorReason? LettersError = null)
{
    /// <summary>薬剤禁忌: AllergyIntolerance with category medication (JP-CLINS 薬剤アレルギー等), in their own search.</summary>
    public RecordGroup<Allergy> Contraindications { get; init; } = RecordGroup<Allergy>.None;

    /// <summary>検査: lab results other than infection results.</summary>
    public RecordGroup<LabResult> Labs { get; init; } = RecordGroup<LabResult>.None;

    /// <summary>感染症: results coded in the JP-CLINS infection code systems.</summary>
    public RecordGroup<LabResult> Infections { get; init; } = RecordGroup<LabResult>.None;

    /// <summary>処方: MedicationRequests.</summary>
    public RecordGroup<Prescription> Prescriptions { get; init; } = RecordGroup<Prescription>.None;

    /// <summary>
    /// Every prescription line once: the record's MedicationRequests first, then the discharge medication of the loaded
    /// discharge summaries that the record does not hold already (same facility and identifier = the same line).
    /// </summary>
    public IReadOnlyList<Prescription> PrescriptionLines =>
        Patients.PrescriptionLines.Distinct(Prescriptions.Items.Concat(Letters.SelectMany(l => l.Prescriptions)));
}

/// <summary>A further page of one list.</summary>
public sealed record PageOf<T>(IReadOnlyList<T> Items, PageInfo Page);

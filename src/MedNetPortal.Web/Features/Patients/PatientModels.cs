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

/// <summary>A diagnosis code with the code system put into words (<see cref="SystemName"/> is a known name key or the URL's last segment).</summary>
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
    IndicationMarks Marks)
{
    public bool IsCoded => Codes.Count > 0;

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
    IndicationMarks Marks)
{
    public bool HighCriticality => Criticality == "high";

    public bool EnteredInError => VerificationStatus == "entered-in-error";
}

/// <summary>A referral letter (document Bundle) in the patient's list; <see cref="Id"/> is the base's Bundle id (route /letters/{id}).</summary>
public sealed record LetterSummary(
    string Id,
    string? Date,
    string Title,
    string? SenderFacility,
    string? SenderDoctor,
    string? DestinationFacility,
    string? DestinationDepartment,
    string? Purpose,
    IndicationMarks Marks);

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
    FhirApiErrorReason? LettersError = null);

/// <summary>A further page of one list.</summary>
public sealed record PageOf<T>(IReadOnlyList<T> Items, PageInfo Page);

namespace MedNetPortal.Fhir.Letters;

/// <summary>
/// Everything a referral letter (診療情報提供書, paper form 別紙様式11) says, as the compose form fills it. Plain text
/// only: <see cref="ReferralDocumentBuilder"/> escapes every value into the narrative, so no field may carry markup.
/// </summary>
public sealed record ReferralLetterContent
{
    /// <summary>The issuing facility and doctor (紹介元).</summary>
    public required ReferralSender Sender { get; init; }

    /// <summary>The receiving facility (紹介先).</summary>
    public required ReferralDestination Destination { get; init; }

    /// <summary>The patient.</summary>
    public required ReferralPatient Patient { get; init; }

    /// <summary>紹介目的 (section 950, required).</summary>
    public required string Purpose { get; init; }

    /// <summary>傷病名・主訴 as written (section 340 narrative, required).</summary>
    public required string Diagnoses { get; init; }

    /// <summary>Diagnoses copied from the shared record; they become Condition entries of section 340.</summary>
    public IReadOnlyList<SharedResourceCopy> DiagnosisCopies { get; init; } = [];

    /// <summary>現病歴 (section 360, required).</summary>
    public required string PresentIllness { get; init; }

    /// <summary>
    /// 既往歴 (section 370, optional). The name is kept from when one field held 既往歴 and 家族歴 (drafts store it);
    /// 家族歴 now has its own <see cref="FamilyHistory"/>.
    /// </summary>
    public string? PastAndFamilyHistory { get; init; }

    /// <summary>家族歴 (section 550, optional).</summary>
    public string? FamilyHistory { get; init; }

    /// <summary>アレルギー・不耐性反応 as written (section 510, optional).</summary>
    public string? Allergies { get; init; }

    /// <summary>Allergies copied from the shared record; they become AllergyIntolerance entries of section 510.</summary>
    public IReadOnlyList<SharedResourceCopy> AllergyCopies { get; init; } = [];

    /// <summary>現在の処方 (section 430 投薬指示, optional).</summary>
    public string? CurrentMedication { get; init; }

    /// <summary>治療経過 (section 330 臨床経過, optional).</summary>
    public string? ClinicalCourse { get; init; }

    /// <summary>検査結果 (section 620, optional).</summary>
    public string? TestResults { get; init; }

    /// <summary>備考 (section 220 備考・連絡情報, optional).</summary>
    public string? Remarks { get; init; }

    /// <summary>施設内ID: the sender's own id for this letter, the third part of the Bundle identifier. Must not contain <c>^</c>.</summary>
    public required string LocalId { get; init; }

    /// <summary>When the letter is issued; written with the Japan offset (+09:00) whatever offset is given.</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>The document version (<c>composition-clinicaldocument-versionNumber</c>), <c>1.0</c> for a first issue.</summary>
    public string Version { get; init; } = "1.0";

    /// <summary>The letter's category (<c>Composition.category</c>, a <see cref="JpFhir.DocumentSubTypes"/> code), 外来 by default.</summary>
    public string Category { get; init; } = JpFhir.DocumentSubTypes.Outpatient;
}

/// <summary>The issuing facility and doctor.</summary>
/// <param name="FacilityName">医療機関名.</param>
/// <param name="FacilityCode">医療機関コード (10 digits).</param>
/// <param name="Address">Address as one line (postcode included if wanted).</param>
/// <param name="Phone">Phone number.</param>
/// <param name="DepartmentCode">SS-MIX2 department code (e.g. <c>01</c>), optional.</param>
/// <param name="DepartmentName">Department name (e.g. 内科), optional.</param>
/// <param name="DoctorName">The doctor's name in kanji.</param>
/// <param name="DoctorKana">The doctor's name in kana, optional.</param>
public sealed record ReferralSender(
    string FacilityName,
    string FacilityCode,
    string? Address,
    string? Phone,
    string? DepartmentCode,
    string? DepartmentName,
    string DoctorName,
    string? DoctorKana);

/// <summary>The receiving facility, and the department and doctor when known.</summary>
/// <param name="FacilityName">医療機関名.</param>
/// <param name="FacilityCode">医療機関コード (10 digits).</param>
/// <param name="DepartmentCode">SS-MIX2 department code, optional.</param>
/// <param name="DepartmentName">Department name, optional.</param>
/// <param name="DoctorName">The addressed doctor, optional (「ご担当先生」 when absent).</param>
public sealed record ReferralDestination(
    string FacilityName,
    string FacilityCode,
    string? DepartmentCode = null,
    string? DepartmentName = null,
    string? DoctorName = null);

/// <summary>Administrative sex as JP Core writes it.</summary>
public enum ReferralSex
{
    /// <summary>Unknown.</summary>
    Unknown,

    /// <summary>Male.</summary>
    Male,

    /// <summary>Female.</summary>
    Female,

    /// <summary>Other.</summary>
    Other,
}

/// <summary>The patient as the letter identifies them.</summary>
/// <param name="MemberId">被保険者個人識別子 <c>保険者番号:記号:番号:枝番</c>.</param>
/// <param name="NameKanji">Name in kanji, family and given separated by a space.</param>
/// <param name="NameKana">Name in kana, family and given separated by a space.</param>
/// <param name="BirthDate">Birth date.</param>
/// <param name="Sex">Administrative sex.</param>
/// <param name="BasePatientId">The central base's Patient id when the base knows the patient (kept as the resource id), else null.</param>
/// <param name="Address">The patient's address as one line (JP_Patient_eCS requires <c>address.text</c>).</param>
public sealed record ReferralPatient(
    string MemberId,
    string NameKanji,
    string NameKana,
    DateOnly BirthDate,
    ReferralSex Sex,
    string? BasePatientId = null,
    string? Address = null);

/// <summary>A resource copied from the shared record (Condition or AllergyIntolerance), as its original FHIR JSON.</summary>
/// <param name="ResourceJson">The resource as FHIR JSON; its subject/patient is rewritten to the letter's Patient and
/// references that cannot resolve inside the letter (encounter, recorder, asserter) are dropped.</param>
public sealed record SharedResourceCopy(string ResourceJson);

namespace MedNetPortal.Web.Features.Demo;

/// <summary>A disease name as written, with the codings a coded diagnosis carries (none for a text-only one).</summary>
public sealed record DemoDisease(string Text, string? MedisKey = null, string? MedisExCode = null, string? ReceiptCode = null, string? Icd10 = null,
    string? Icd10Display = null)
{
    public bool IsCoded => MedisKey is not null || ReceiptCode is not null || Icd10 is not null;
}

/// <summary>A diagnosis; <see cref="Suspected"/> is 疑い (verificationStatus unconfirmed), <see cref="Resolved"/> the abatement date.</summary>
public sealed record DemoDiagnosis(
    string Key,
    DemoDisease Disease,
    string Onset,
    string Recorded,
    string DoctorKey,
    bool Suspected = false,
    string? Resolved = null,
    bool Uninformed = false,
    string? TextAsWritten = null)
{
    /// <summary>The name as the doctor wrote it (code.text).</summary>
    public string Text => TextAsWritten ?? Disease.Text;
}

public enum DemoAllergyKind
{
    Medication,
    Food,
    Environment,
}

public sealed record DemoReaction(string Manifestation, string Severity);

/// <summary>An allergy; <see cref="EnteredInError"/> gives verificationStatus entered-in-error (and no clinicalStatus).</summary>
public sealed record DemoAllergy(
    string Key,
    string Text,
    DemoAllergyKind Kind,
    bool HighCriticality,
    string Onset,
    string Recorded,
    string DoctorKey,
    IReadOnlyList<DemoReaction> Reactions,
    bool EnteredInError = false,
    string? Note = null);

/// <summary>
/// A lab result. <see cref="Jlac10"/> is a 17-digit JLAC10 code from the JP-CLINS core-lab (or, for
/// <see cref="Infection"/>, infection-lab) code system; <see cref="Qualitative"/> a text result (陰性, 陽性) in place of
/// <see cref="Value"/>.
/// </summary>
public sealed record DemoLab(
    string Key,
    string LocalCode,
    string Name,
    decimal Value,
    string Unit,
    decimal? Low,
    decimal? High,
    string Effective,
    string DoctorKey,
    string? Jlac10 = null,
    string? Jlac10Display = null,
    bool Infection = false,
    string? Qualitative = null);

/// <summary>A prescribed drug; <see cref="LocalCode"/> the prescribing facility's own drug code (院内コード), if any.</summary>
public sealed record DemoMedication(
    string Key,
    string Name,
    string Dosage,
    int Days,
    string AuthoredOn,
    string DoctorKey,
    int RpNumber = 1,
    string? LocalCode = null);

/// <summary>One patient's clinical record as seeded into the base.</summary>
public sealed record DemoPatientRecord(
    DemoPatient Patient,
    IReadOnlyList<DemoDiagnosis> Diagnoses,
    IReadOnlyList<DemoAllergy> Allergies,
    IReadOnlyList<DemoLab> Labs,
    IReadOnlyList<DemoMedication> Medications);

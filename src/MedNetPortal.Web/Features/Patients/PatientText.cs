using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.Web.Resources;
using Microsoft.Extensions.Localization;

namespace MedNetPortal.Web.Features.Patients;

/// <summary>Localised words for the patient pages' data: identifier problems, codes, statuses, errors.</summary>
internal static class PatientText
{
    /// <summary>The message for one identifier problem, shown under its field. Never repeats the whole entered value.</summary>
    public static string Problem(IStringLocalizer<SharedResource> l, IdentifierProblem problem)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(problem);
        return problem.Code switch
        {
            IdentifierErrorCode.Required when problem.Field == IdentifierField.Pasted => l["Patients.Problem.PastedRequired"],
            IdentifierErrorCode.Required => l["Patients.Problem.Required"],
            IdentifierErrorCode.InsurerNotDigits => l["Patients.Problem.InsurerNotDigits", problem.Character ?? "?"],
            IdentifierErrorCode.InsurerLength => l["Patients.Problem.InsurerLength", problem.ActualLength ?? 0],
            IdentifierErrorCode.InsurerCheckDigit => l["Patients.Problem.InsurerCheckDigit"],
            IdentifierErrorCode.ForbiddenSpace => l["Patients.Problem.ForbiddenSpace"],
            IdentifierErrorCode.InvisibleCharacter => l["Patients.Problem.InvisibleCharacter"],
            IdentifierErrorCode.UnsupportedCharacter => l["Patients.Problem.UnsupportedCharacter", problem.Character ?? "?"],
            IdentifierErrorCode.MixedWidth => l["Patients.Problem.MixedWidth", problem.Character ?? "?"],
            IdentifierErrorCode.AmbiguousSymbol => l["Patients.Problem.AmbiguousSymbol", problem.Character ?? "?"],
            IdentifierErrorCode.BranchFormat => l["Patients.Problem.BranchFormat"],
            IdentifierErrorCode.PastedFieldCount => l["Patients.Problem.PastedFieldCount", problem.ActualLength ?? 0],
            _ => l["Patients.Problem.Other"],
        };
    }

    /// <summary>A failed call in words the user can act on (the client's own message is English-only).</summary>
    public static string Error(IStringLocalizer<SharedResource> l, FhirApiErrorReason reason) => reason switch
    {
        FhirApiErrorReason.NotFound or FhirApiErrorReason.Gone => l["Patients.Error.NotFound"],
        FhirApiErrorReason.Unauthorized or FhirApiErrorReason.Forbidden => l["Patients.Error.Forbidden"],
        FhirApiErrorReason.Timeout => l["Patients.Error.Timeout"],
        FhirApiErrorReason.Unreachable => l["Patients.Error.Unreachable"],
        FhirApiErrorReason.CircuitOpen => l["Patients.Error.CircuitOpen"],
        FhirApiErrorReason.ServerUnavailable or FhirApiErrorReason.TooManyRequests => l["Patients.Error.Unavailable"],
        FhirApiErrorReason.MalformedResponse => l["Patients.Error.Malformed"],
        _ => l["Patients.Error.Other"],
    };

    public static string DocumentKind(IStringLocalizer<SharedResource> l, RecordDocumentKind kind) => kind switch
    {
        RecordDocumentKind.ReferralLetter => l["Documents.Kind.ReferralLetter"],
        RecordDocumentKind.DischargeSummary => l["Documents.Kind.DischargeSummary"],
        RecordDocumentKind.CheckupReport => l["Documents.Kind.HealthCheckReport"],
        _ => l["Patients.Letters.OtherKind"],
    };

    public static string Sex(IStringLocalizer<SharedResource> l, PatientSex sex) => sex switch
    {
        PatientSex.Male => l["Patients.Sex.Male"],
        PatientSex.Female => l["Patients.Sex.Female"],
        PatientSex.Other => l["Patients.Sex.Other"],
        _ => l["Patients.Sex.Unknown"],
    };

    public static string CodeSystem(IStringLocalizer<SharedResource> l, DiagnosisCode code) => code.SystemKey switch
    {
        PatientMapper.CodeSystemKeys.MedisKeyNumber => l["Patients.CodeSystem.MedisKeyNumber"],
        PatientMapper.CodeSystemKeys.MedisExchangeCode => l["Patients.CodeSystem.MedisExchangeCode"],
        PatientMapper.CodeSystemKeys.ReceiptCode => l["Patients.CodeSystem.ReceiptCode"],
        PatientMapper.CodeSystemKeys.Icd10 => l["Patients.CodeSystem.Icd10"],
        PatientMapper.CodeSystemKeys.Jlac10 => l["Patients.CodeSystem.Jlac10"],
        PatientMapper.CodeSystemKeys.Jlac11 => l["Patients.CodeSystem.Jlac11"],
        PatientMapper.CodeSystemKeys.LocalCode => l["Patients.CodeSystem.LocalCode"],
        PatientMapper.CodeSystemKeys.Yj => l["Patients.CodeSystem.Yj"],
        PatientMapper.CodeSystemKeys.GeneralName => l["Patients.CodeSystem.GeneralName"],
        _ => code.SystemName ?? l["Patients.CodeSystem.Unknown"],
    };

    public static string ClinicalStatus(IStringLocalizer<SharedResource> l, string? status) => status switch
    {
        "active" => l["Patients.Status.Active"],
        "recurrence" => l["Patients.Status.Recurrence"],
        "relapse" => l["Patients.Status.Relapse"],
        "inactive" => l["Patients.Status.Inactive"],
        "remission" => l["Patients.Status.Remission"],
        "resolved" => l["Patients.Status.Resolved"],
        null or "" => l["Patients.Status.None"],
        _ => status,
    };

    public static string Verification(IStringLocalizer<SharedResource> l, string? status) => status switch
    {
        "confirmed" => l["Patients.Verification.Confirmed"],
        "unconfirmed" => l["Patients.Verification.Unconfirmed"],
        "refuted" => l["Patients.Verification.Refuted"],
        "entered-in-error" => l["Patients.Verification.EnteredInError"],
        null or "" => l["Patients.Status.None"],
        _ => status,
    };

    public static string Category(IStringLocalizer<SharedResource> l, AllergyCategory category) => category switch
    {
        AllergyCategory.Medication => l["Patients.Category.Medication"],
        AllergyCategory.Food => l["Patients.Category.Food"],
        _ => l["Patients.Category.Other"],
    };

    public static string Criticality(IStringLocalizer<SharedResource> l, string? criticality) => criticality switch
    {
        "high" => l["Patients.Criticality.High"],
        "low" => l["Patients.Criticality.Low"],
        "unable-to-assess" => l["Patients.Criticality.Unknown"],
        _ => l["Patients.Status.None"],
    };

    public static string Severity(IStringLocalizer<SharedResource> l, string? severity) => severity switch
    {
        "severe" => l["Patients.Severity.Severe"],
        "moderate" => l["Patients.Severity.Moderate"],
        "mild" => l["Patients.Severity.Mild"],
        _ => string.Empty,
    };

    /// <summary>A result's flag in words (never colour alone): 高値, 低値, 異常, 基準内.</summary>
    public static string Flag(IStringLocalizer<SharedResource> l, LabFlag flag) => flag switch
    {
        LabFlag.High => l["Patients.Flag.High"],
        LabFlag.Low => l["Patients.Flag.Low"],
        LabFlag.CriticalHigh => l["Patients.Flag.CriticalHigh"],
        LabFlag.CriticalLow => l["Patients.Flag.CriticalLow"],
        LabFlag.Abnormal => l["Patients.Flag.Abnormal"],
        LabFlag.Normal => l["Patients.Flag.Normal"],
        _ => string.Empty,
    };

    /// <summary>The flag's short sign shown beside a value: ↑ H, ↓ L, ↑↑ HH, ↓↓ LL, * (abnormal).</summary>
    public static string FlagSign(LabFlag flag) => flag switch
    {
        LabFlag.High => "H↑",
        LabFlag.Low => "L↓",
        LabFlag.CriticalHigh => "HH↑↑",
        LabFlag.CriticalLow => "LL↓↓",
        LabFlag.Abnormal => "*",
        _ => string.Empty,
    };

    /// <summary>A facility as rows show it: the name, else 医療機関コード N, else nothing.</summary>
    public static string Facility(IStringLocalizer<SharedResource> l, FacilityRef facility)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(facility);
        return facility.Name ?? (facility.Code is null ? string.Empty : l["Patients.FacilityCode", facility.Code]);
    }

    /// <summary>The identifier masked as <c>0013****:**:****:**</c>: the insurer's first four digits and fixed-width masks,
    /// so the mask says nothing about the hidden lengths.</summary>
    public static string Masked(string? memberId)
    {
        if (string.IsNullOrEmpty(memberId))
        {
            return string.Empty;
        }

        var parts = memberId.Split(':');
        if (parts.Length != 4)
        {
            return "****";
        }

        var insurer = parts[0].Length >= 4 ? parts[0][..4] + "****" : "****";
        return $"{insurer}:{(parts[1].Length > 0 ? "**" : string.Empty)}:****:{(parts[3].Length > 0 ? "**" : string.Empty)}";
    }
}

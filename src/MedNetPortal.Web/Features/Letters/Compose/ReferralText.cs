using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Patients;
using MedNetPortal.Web.Resources;
using Microsoft.Extensions.Localization;

namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>Localised words for referral problems and the element id of the form field each problem points at.</summary>
public static class ReferralText
{
    /// <summary>The element ids of the compose form's inputs (stable: tests and problem links use them).</summary>
    public static class FieldIds
    {
        public const string Sender = "ref-sender";
        public const string SenderDepartment = "ref-sender-department";
        public const string DestinationSearch = "ref-destination-search";
        public const string DestinationDepartment = "ref-destination-department";
        public const string DestinationDoctor = "ref-destination-doctor";
        public const string Patient = "ref-patient";
        public const string PatientInsurer = "ref-patient-insurer";
        public const string PatientSymbol = "ref-patient-symbol";
        public const string PatientNumber = "ref-patient-number";
        public const string PatientBranch = "ref-patient-branch";
        public const string PatientName = "ref-patient-name";
        public const string PatientKana = "ref-patient-kana";
        public const string PatientBirthDate = "ref-patient-birthdate";
        public const string PatientSex = "ref-patient-sex";
        public const string PatientAddress = "ref-patient-address";
        public const string Category = "ref-category";
        public const string FamilyHistory = "ref-family-history";
        public const string Purpose = "ref-purpose";
        public const string Diagnoses = "ref-diagnoses";
        public const string PresentIllness = "ref-present-illness";
        public const string PastAndFamilyHistory = "ref-history";
        public const string Allergies = "ref-allergies";
        public const string CurrentMedication = "ref-medication";
        public const string ClinicalCourse = "ref-course";
        public const string TestResults = "ref-tests";
        public const string Remarks = "ref-remarks";
    }

    /// <summary>The element to focus for a problem, or null when the user cannot fix it in the form (document structure).</summary>
    /// <param name="problem">The problem.</param>
    /// <param name="patientFromBase">Whether the patient came from the base (their fields are read-only: focus the block).</param>
    public static string? FieldId(ReferralProblem problem, bool patientFromBase)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return problem.Field switch
        {
            ReferralField.SenderFacility or ReferralField.SenderDoctor => FieldIds.Sender,
            ReferralField.Destination => FieldIds.DestinationSearch,
            ReferralField.DestinationDoctor => FieldIds.DestinationDoctor,
            ReferralField.Patient when patientFromBase => FieldIds.Patient,
            ReferralField.Patient => PatientFieldId(problem),
            ReferralField.Purpose => FieldIds.Purpose,
            ReferralField.Diagnoses => FieldIds.Diagnoses,
            ReferralField.PresentIllness => FieldIds.PresentIllness,
            ReferralField.PastAndFamilyHistory => FieldIds.PastAndFamilyHistory,
            ReferralField.FamilyHistory => FieldIds.FamilyHistory,
            ReferralField.PatientAddress => FieldIds.PatientAddress,
            ReferralField.Category => FieldIds.Category,
            ReferralField.Allergies => FieldIds.Allergies,
            ReferralField.CurrentMedication => FieldIds.CurrentMedication,
            ReferralField.ClinicalCourse => FieldIds.ClinicalCourse,
            ReferralField.TestResults => FieldIds.TestResults,
            ReferralField.Remarks => FieldIds.Remarks,
            _ => null,
        };
    }

    private static string PatientFieldId(ReferralProblem problem)
    {
        if (problem.Path.Contains("BirthDate", StringComparison.Ordinal))
        {
            return FieldIds.PatientBirthDate;
        }

        if (problem.Path.Contains("NameKana", StringComparison.Ordinal))
        {
            return FieldIds.PatientKana;
        }

        if (problem.Path.Contains("NameKanji", StringComparison.Ordinal))
        {
            return FieldIds.PatientName;
        }

        return problem.IdentifierProblems.FirstOrDefault()?.Field switch
        {
            Fhir.Identifiers.IdentifierField.Symbol => FieldIds.PatientSymbol,
            Fhir.Identifiers.IdentifierField.Number => FieldIds.PatientNumber,
            Fhir.Identifiers.IdentifierField.Branch => FieldIds.PatientBranch,
            _ => FieldIds.PatientInsurer,
        };
    }

    /// <summary>The name of a letter category (a <see cref="Fhir.JpFhir.DocumentSubTypes"/> code) in the user's language.</summary>
    public static string CategoryName(IStringLocalizer<SharedResource> l, string code)
    {
        ArgumentNullException.ThrowIfNull(l);
        return l["Referrals.Category." + code];
    }

    /// <summary>The field's label (the same words as the form).</summary>
    public static string FieldName(IStringLocalizer<SharedResource> l, ReferralProblem problem)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(problem);
        if (problem.Field == ReferralField.Patient)
        {
            var id = PatientFieldId(problem);
            return id switch
            {
                FieldIds.PatientBirthDate => l["Referrals.Field.PatientBirthDate"],
                FieldIds.PatientKana => l["Referrals.Field.PatientKana"],
                FieldIds.PatientName => l["Referrals.Field.PatientName"],
                _ => l["Referrals.Field.Patient"],
            };
        }

        return l["Referrals.Field." + problem.Field];
    }

    /// <summary>The message for one problem: what is wrong, where, in the user's language.</summary>
    public static string Message(IStringLocalizer<SharedResource> l, ReferralProblem problem)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(problem);
        var message = problem.Profile is { } profile
            ? l["Referrals.Profile." + profile.Kind, FieldName(l, problem), profile.Subject].Value
            : l["Referrals.Problem." + problem.Code, FieldName(l, problem)].Value;
        if (problem.IdentifierProblems.Count > 0)
        {
            message += " " + string.Join(" ", problem.IdentifierProblems.Select(p => PatientText.Problem(l, p)).Distinct(StringComparer.Ordinal));
        }

        return message;
    }
}

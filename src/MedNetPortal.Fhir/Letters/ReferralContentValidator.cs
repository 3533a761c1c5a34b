using Hl7.Fhir.Model;
using MedNetPortal.Fhir.Identifiers;

namespace MedNetPortal.Fhir.Letters;

/// <summary>
/// Checks what the user typed, before building: each problem names the form field (<see cref="ReferralDocumentValidator"/>
/// checks the built Bundle).
/// </summary>
internal static class ReferralContentValidator
{
    public static IReadOnlyList<ReferralProblem> Validate(ReferralLetterContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var problems = new List<ReferralProblem>();
        void Require(string? value, ReferralField field, string path)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                problems.Add(new(ReferralProblemCode.Required, field, path));
            }
        }

        Require(content.Sender.FacilityName, ReferralField.SenderFacility, "Sender.FacilityName");
        ReferralDocumentValidator.CheckCode(content.Sender.FacilityCode, ReferralProblemCode.SenderInstitutionCodeInvalid, ReferralField.SenderFacility, "Sender.FacilityCode", problems);
        Require(content.Sender.DoctorName, ReferralField.SenderDoctor, "Sender.DoctorName");
        Require(content.Destination.FacilityName, ReferralField.Destination, "Destination.FacilityName");
        ReferralDocumentValidator.CheckCode(content.Destination.FacilityCode, ReferralProblemCode.DestinationInstitutionCodeInvalid, ReferralField.Destination, "Destination.FacilityCode", problems);

        var memberId = InsuranceMemberId.ParsePasted(content.Patient.MemberId, verifyCheckDigit: true);
        if (!memberId.IsValid)
        {
            problems.Add(new(ReferralProblemCode.PatientMemberIdInvalid, ReferralField.Patient, "Patient.MemberId", memberId.Problems));
        }

        Require(content.Patient.NameKanji, ReferralField.Patient, "Patient.NameKanji");
        Require(content.Patient.NameKana, ReferralField.Patient, "Patient.NameKana");
        Require(content.Patient.Address, ReferralField.PatientAddress, "Patient.Address");
        if (content.Patient.BirthDate > DateOnly.FromDateTime(content.IssuedAt.ToOffset(ReferralDocumentValidator.Jst).DateTime))
        {
            problems.Add(new(ReferralProblemCode.BirthDateAfterIssue, ReferralField.Patient, "Patient.BirthDate"));
        }

        Require(content.Purpose, ReferralField.Purpose, "Purpose");
        Require(content.Diagnoses, ReferralField.Diagnoses, "Diagnoses");
        Require(content.PresentIllness, ReferralField.PresentIllness, "PresentIllness");
        Require(content.Version, ReferralField.Version, "Version");
        if (JpFhir.DocumentSubTypes.DisplayOf(content.Category?.Trim()) is null)
        {
            problems.Add(new(ReferralProblemCode.CategoryInvalid, ReferralField.Category, "Category"));
        }
        if (string.IsNullOrWhiteSpace(content.LocalId) || content.LocalId.Contains('^', StringComparison.Ordinal)
            || content.LocalId.Any(c => char.IsControl(c)))
        {
            problems.Add(new(ReferralProblemCode.LocalIdInvalid, ReferralField.LocalId, "LocalId"));
        }

        CheckCopies<Condition>(content.DiagnosisCopies, ReferralField.Diagnoses, "DiagnosisCopies", problems);
        CheckCopies<AllergyIntolerance>(content.AllergyCopies, ReferralField.Allergies, "AllergyCopies", problems);
        return problems;
    }

    private static void CheckCopies<T>(IReadOnlyList<SharedResourceCopy> copies, ReferralField field, string path, List<ReferralProblem> problems)
        where T : Resource
    {
        for (var i = 0; i < copies.Count; i++)
        {
            try
            {
                SharedResourceCopies.Parse<T>(copies[i]);
            }
            catch (ArgumentException)
            {
                problems.Add(new(ReferralProblemCode.SharedCopyInvalid, field, $"{path}[{i}]"));
            }
        }
    }
}

using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;

namespace MedNetPortal.Web.Features.Patients;

/// <summary>
/// Firely resources → the small records the patient pages show. Reads anything that follows the JP-CLINS conventions,
/// whoever wrote it: names by their IDE/SYL representation, codes by system, tags by the indication system.
/// </summary>
internal static partial class PatientMapper
{
    /// <summary>Code-system keys the UI localises; anything else shows the system URL's last segment.</summary>
    internal static class CodeSystemKeys
    {
        public const string MedisKeyNumber = "MedisKeyNumber";
        public const string MedisExchangeCode = "MedisExchangeCode";
        public const string ReceiptCode = "ReceiptCode";
        public const string Icd10 = "Icd10";
        public const string Jlac10 = "Jlac10";
        public const string Jlac11 = "Jlac11";
        public const string LocalCode = "LocalCode";
        public const string Yj = "Yj";
        public const string GeneralName = "GeneralName";
        public const string Other = "Other";
    }

    private const string InstitutionNumberExtension = JpFhir.Extensions.InstitutionNumber;

    public static PatientSummary ToSummary(Patient patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var names = patient.Name ?? [];
        var kanji = JpCoreNames.Kanji(names);
        var kana = JpCoreNames.Kana(names);
        var sex = patient.Gender switch
        {
            AdministrativeGender.Male => PatientSex.Male,
            AdministrativeGender.Female => PatientSex.Female,
            AdministrativeGender.Other => PatientSex.Other,
            _ => PatientSex.Unknown,
        };
        var memberId = patient.Identifier?.FirstOrDefault(i => i.System == JpFhir.Systems.InsuranceMemberId)?.Value;
        var address = patient.Address?.FirstOrDefault(a => !string.IsNullOrWhiteSpace(a.Text));
        var addressLine = address is null ? null
            : string.IsNullOrWhiteSpace(address.PostalCode) || address.Text!.Contains(address.PostalCode, StringComparison.Ordinal) ? address.Text
            : $"〒{address.PostalCode} {address.Text}";
        return new PatientSummary(patient.Id ?? string.Empty, NameText(kanji), NameText(kana), sex, patient.BirthDate, memberId, addressLine);
    }

    /// <summary>
    /// The JP-CLINS "no code" placeholder (MEDIS 病名管理番号 all 9s) says the name could not be coded: it is not a code to
    /// show, so such a diagnosis reads as text-only.
    /// </summary>
    internal static bool IsNoCode(Coding coding) =>
        coding.System == JpFhir.Systems.MedisDiseaseKeyNumber && coding.Code is { Length: > 0 } code && code.All(c => c == '9');

    public static Diagnosis ToDiagnosis(Condition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var codes = (condition.Code?.Coding ?? [])
            .Where(c => !string.IsNullOrEmpty(c.Code) && !IsNoCode(c))
            .Select(c => ToDiagnosisCode(c.System, c.Code!))
            .ToList();
        var name = condition.Code?.Text
                   ?? condition.Code?.Coding.Select(c => c.Display).FirstOrDefault(d => !string.IsNullOrEmpty(d))
                   ?? string.Empty;
        var verification = CodeOf(condition.VerificationStatus);
        return new Diagnosis(
            condition.Id ?? string.Empty,
            name,
            codes,
            Suspected: verification == "unconfirmed",
            ClinicalStatus: CodeOf(condition.ClinicalStatus),
            EnteredInError: verification == "entered-in-error",
            Onset: DateOf(condition.Onset),
            Abatement: DateOf(condition.Abatement),
            Recorded: condition.RecordedDate,
            RecordedBy: condition.Recorder?.Display ?? condition.Asserter?.Display,
            FacilityCode: InstitutionCode(condition),
            Marks: MarksOf(condition));
    }

    public static DiagnosisCode ToDiagnosisCode(string? system, string code)
    {
        var key = system switch
        {
            JpFhir.Systems.MedisDiseaseKeyNumber => CodeSystemKeys.MedisKeyNumber,
            JpFhir.Systems.MedisDiseaseExchangeCode => CodeSystemKeys.MedisExchangeCode,
            JpFhir.Systems.ReceiptDiseaseCode => CodeSystemKeys.ReceiptCode,
            JpFhir.Systems.Icd10 => CodeSystemKeys.Icd10,
            "http://hl7.org/fhir/sid/icd-10" => CodeSystemKeys.Icd10,
            _ => CodeSystemKeys.Other,
        };
        return new DiagnosisCode(code, key, key == CodeSystemKeys.Other ? LastSegment(system) : null);
    }

    public static Allergy ToAllergy(AllergyIntolerance allergy)
    {
        ArgumentNullException.ThrowIfNull(allergy);
        var category = allergy.Category?.FirstOrDefault() switch
        {
            AllergyIntolerance.AllergyIntoleranceCategory.Medication => AllergyCategory.Medication,
            AllergyIntolerance.AllergyIntoleranceCategory.Food => AllergyCategory.Food,
            AllergyIntolerance.AllergyIntoleranceCategory.Environment => AllergyCategory.Environment,
            AllergyIntolerance.AllergyIntoleranceCategory.Biologic => AllergyCategory.Biologic,
            _ => AllergyCategory.Unknown,
        };
        var reactions = (allergy.Reaction ?? [])
            .Select(r => new AllergyReaction(
                string.Join("、", r.Manifestation.Select(m => m.Text ?? m.Coding.Select(c => c.Display).FirstOrDefault(d => d is not null) ?? string.Empty)
                    .Where(t => t.Length > 0)),
                r.Severity?.ToString().ToLowerInvariant()))
            .ToList();
        var substance = allergy.Code?.Text
                        ?? allergy.Code?.Coding.Select(c => c.Display).FirstOrDefault(d => !string.IsNullOrEmpty(d))
                        ?? allergy.Reaction?.Select(r => r.Substance?.Text).FirstOrDefault(t => !string.IsNullOrEmpty(t))
                        ?? string.Empty;
        return new Allergy(
            allergy.Id ?? string.Empty,
            substance,
            category,
            allergy.Criticality switch
            {
                AllergyIntolerance.AllergyIntoleranceCriticality.High => "high",
                AllergyIntolerance.AllergyIntoleranceCriticality.Low => "low",
                AllergyIntolerance.AllergyIntoleranceCriticality.UnableToAssess => "unable-to-assess",
                _ => null,
            },
            reactions,
            CodeOf(allergy.ClinicalStatus),
            CodeOf(allergy.VerificationStatus),
            DateOf(allergy.Onset),
            allergy.RecordedDate,
            allergy.Recorder?.Display ?? allergy.Asserter?.Display,
            allergy.Note?.Select(n => n.Text).FirstOrDefault(t => !string.IsNullOrEmpty(t)),
            MarksOf(allergy));
    }

    public static IndicationMarks MarksOf(Resource resource)
    {
        var tags = resource.Meta?.Tag ?? [];
        var ours = tags.Where(t => t.System == JpFhir.Systems.EhrShareIndication).Select(t => t.Code).ToList();
        return ours.Count == 0
            ? IndicationMarks.None
            : new IndicationMarks(ours.Contains(JpFhir.Tags.Uninformed), ours.Contains(JpFhir.Tags.Undelivered));
    }

    internal static string? InstitutionCode(DomainResource resource) =>
        (resource.GetExtension(InstitutionNumberExtension)?.Value as Identifier)?.Value;

    internal static HumanName? PreferredName(IEnumerable<HumanName>? names) => JpCoreNames.Kanji(names) ?? names?.FirstOrDefault();

    internal static string NameText(HumanName? name) => JpCoreNames.Text(name) ?? string.Empty;

    internal static string? CodeOf(CodeableConcept? concept) => concept?.Coding.FirstOrDefault(c => !string.IsNullOrEmpty(c.Code))?.Code;

    internal static string? DateOf(DataType? value) => value switch
    {
        FhirDateTime dateTime => dateTime.Value,
        Period period => period.Start,
        Date date => date.Value,
        Age age => age.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        FhirString text => text.Value,
        _ => null,
    };

    private static string? LastSegment(string? system)
    {
        if (string.IsNullOrEmpty(system))
        {
            return null;
        }

        var trimmed = system.TrimEnd('/');
        var cut = Math.Max(trimmed.LastIndexOf('/'), trimmed.LastIndexOf(':'));
        return cut >= 0 && cut < trimmed.Length - 1 ? trimmed[(cut + 1)..] : trimmed;
    }
}

using System.Globalization;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using MedNetPortal.Fhir;

namespace MedNetPortal.Web.Features.Patients;

/// <summary>Lab and infection results, prescriptions, and facility names for the other items.</summary>
internal static partial class PatientMapper
{
    /// <summary>The code systems that make a result an infection result (感染症) in JP-CLINS.</summary>
    internal static readonly IReadOnlyList<string> InfectionSystems = [JpFhir.Systems.InfectionLaboJlac10, JpFhir.Systems.InfectionLaboJlac11];

    /// <summary>Whether JP-CLINS codes this result as an infection result (a coding in an infection code system).</summary>
    public static bool IsInfection(Observation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        return observation.Code?.Coding.Any(c => InfectionSystems.Contains(c.System)) == true;
    }

    public static Diagnosis ToDiagnosis(Condition condition, IncludedResources included)
    {
        ArgumentNullException.ThrowIfNull(included);
        var diagnosis = ToDiagnosis(condition);
        return diagnosis.FacilityCode is null ? diagnosis : diagnosis with { FacilityName = included.FacilityOf(condition).Name };
    }

    public static Allergy ToAllergy(AllergyIntolerance allergy, IncludedResources included)
    {
        ArgumentNullException.ThrowIfNull(included);
        var mapped = ToAllergy(allergy);
        return mapped with
        {
            Facility = included.FacilityOf(allergy),
            RecordedBy = mapped.RecordedBy ?? included.PersonName(allergy.Recorder ?? allergy.Asserter, allergy),
        };
    }

    /// <summary>
    /// One lab or infection result. <see cref="LabResult.TestKey"/> groups results of the same test: by JLAC10 code without
    /// its method part (analyte, identification, material and result kind: the same test measured by another method at
    /// another facility stays one row), else by JLAC11 code, else by the facility's local code, else by name; always with
    /// the unit, so one chart never mixes units.
    /// </summary>
    public static LabResult ToLabResult(Observation observation, IncludedResources included)
    {
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(included);
        var codings = observation.Code?.Coding ?? [];
        var name = observation.Code?.Text
                   ?? codings.Select(c => c.Display).FirstOrDefault(d => !string.IsNullOrEmpty(d))
                   ?? string.Empty;
        var codes = codings
            .Where(c => !string.IsNullOrEmpty(c.Code) && c.System != JpFhir.Systems.LabUncoded)
            .Select(c => ToLabCode(c.System, c.Code!))
            .DistinctBy(c => (c.SystemKey, c.Code))
            .ToList();

        var (value, valueText, unit) = ValueOf(observation);
        var range = observation.ReferenceRange.FirstOrDefault();
        var low = range?.Low?.Value;
        var high = range?.High?.Value;
        var rangeText = range?.Text
                        ?? (low, high) switch
                        {
                            ({ } l, { } h) => $"{Number(l)}–{Number(h)}",
                            (null, { } h) => $"≤ {Number(h)}",
                            ({ } l, null) => $"≥ {Number(l)}",
                            _ => null,
                        };
        var flag = FlagOf(observation.Interpretation) ?? (value, low, high) switch
        {
            ({ } v, _, { } h) when v > h => LabFlag.High,
            ({ } v, { } l, _) when v < l => LabFlag.Low,
            ({ }, not null, _) or ({ }, _, not null) => LabFlag.Normal,
            _ => TextFlag(valueText),
        };

        return new LabResult(
            observation.Id ?? string.Empty,
            name,
            TestKey(codings, name, unit),
            codes,
            DateOf(observation.Effective),
            value,
            valueText,
            unit,
            low,
            high,
            rangeText,
            flag,
            SpecimenOf(observation),
            observation.Performer.Select(p => included.PersonName(p, observation)).FirstOrDefault(n => n is not null),
            included.FacilityOf(observation),
            observation.Status?.GetLiteral(),
            observation.Note.Select(n => n.Text).FirstOrDefault(t => !string.IsNullOrEmpty(t)),
            MarksOf(observation));
    }

    /// <summary>One prescribed drug with its first dosage instruction.</summary>
    public static Prescription ToPrescription(MedicationRequest request, IncludedResources included)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(included);
        var medication = request.Medication as CodeableConcept;
        var drug = medication?.Text
                   ?? medication?.Coding.Select(c => c.Display).FirstOrDefault(d => !string.IsNullOrEmpty(d))
                   ?? (request.Medication as ResourceReference)?.Display
                   ?? string.Empty;
        var codes = (medication?.Coding ?? [])
            .Where(c => !string.IsNullOrEmpty(c.Code) && c.System != JpFhir.Systems.MedicationNoCode)
            .Select(c => ToDrugCode(c.System, c.Code!))
            .ToList();

        var dosage = request.DosageInstruction.FirstOrDefault();
        var doseQuantity = dosage?.DoseAndRate.Select(d => d.Dose as Quantity).FirstOrDefault(q => q?.Value is not null);
        var dose = doseQuantity is null ? null : Number(doseQuantity.Value!.Value) + (doseQuantity.Unit ?? doseQuantity.Code ?? string.Empty);
        var timingCode = dosage?.Timing?.Code;
        var usage = timingCode?.Text ?? timingCode?.Coding.Select(c => c.Display).FirstOrDefault(d => !string.IsNullOrEmpty(d));
        var route = dosage?.Route?.Text ?? dosage?.Route?.Coding.Select(c => c.Display).FirstOrDefault(d => !string.IsNullOrEmpty(d));
        var days = DaysOf(request.DispenseRequest?.ExpectedSupplyDuration) ?? DaysOf(dosage?.Timing?.Repeat?.Bounds as Duration);

        var period = dosage?.GetExtension(JpFhir.Extensions.MedicationDosagePeriodOfUse)?.Value as Period;
        var start = PatientDates.Day(period?.Start) ?? PatientDates.Day(request.AuthoredOn);
        var end = PatientDates.Day(period?.End) ?? (start is { } s && days is > 0 ? s.AddDays(days.Value - 1) : null);

        var identifier = request.Identifier.FirstOrDefault(i => i.System == JpFhir.Systems.ResourceInstanceIdentifier)?.Value;
        return new Prescription(
            request.Id ?? string.Empty,
            drug,
            codes,
            dose,
            usage,
            route,
            days,
            dosage?.Text,
            request.AuthoredOn,
            start,
            end,
            included.PersonName(request.Requester, request),
            included.FacilityOf(request),
            request.Status?.GetLiteral(),
            request.Category.Select(c => c.Text ?? c.Coding.Select(x => x.Display).FirstOrDefault(d => !string.IsNullOrEmpty(d)))
                .FirstOrDefault(t => !string.IsNullOrEmpty(t)),
            request.Note.Select(n => n.Text).FirstOrDefault(t => !string.IsNullOrEmpty(t)),
            identifier,
            MarksOf(request));
    }

    public static DiagnosisCode ToLabCode(string? system, string code)
    {
        var key = system switch
        {
            JpFhir.Systems.Jlac10 or JpFhir.Systems.CoreLaboJlac10 or JpFhir.Systems.InfectionLaboJlac10 => CodeSystemKeys.Jlac10,
            JpFhir.Systems.CoreLaboJlac11 or JpFhir.Systems.InfectionLaboJlac11 => CodeSystemKeys.Jlac11,
            JpFhir.Systems.LabLocalCode => CodeSystemKeys.LocalCode,
            _ => CodeSystemKeys.Other,
        };
        return new DiagnosisCode(code, key, key == CodeSystemKeys.Other ? LastSegment(system) : null);
    }

    public static DiagnosisCode ToDrugCode(string? system, string code)
    {
        var key = system switch
        {
            JpFhir.Systems.YjCode => CodeSystemKeys.Yj,
            JpFhir.Systems.MedicationGeneralName => CodeSystemKeys.GeneralName,
            // JP-CLINS examples write a facility's own drug code as …/CodeSystem/DrugCode/<医療機関コード>.
            _ when system?.Contains("/DrugCode/", StringComparison.Ordinal) == true => CodeSystemKeys.LocalCode,
            _ => CodeSystemKeys.Other,
        };
        return new DiagnosisCode(code, key, key == CodeSystemKeys.Other ? LastSegment(system) : null);
    }

    private static string TestKey(IEnumerable<Coding> codings, string name, string? unit)
    {
        var list = codings.Where(c => !string.IsNullOrEmpty(c.Code)).ToList();
        var jlac10 = list.FirstOrDefault(c => c.System is JpFhir.Systems.CoreLaboJlac10 or JpFhir.Systems.InfectionLaboJlac10 or JpFhir.Systems.Jlac10
                                              && c.Code!.Length == 17)?.Code;
        var key = jlac10 is not null
            ? "jlac10:" + jlac10[..12] + jlac10[15..]
            : list.FirstOrDefault(c => c.System is JpFhir.Systems.CoreLaboJlac11 or JpFhir.Systems.InfectionLaboJlac11) is { } jlac11
                ? "jlac11:" + jlac11.Code
                : list.FirstOrDefault(c => c.System == JpFhir.Systems.LabLocalCode) is { } local
                    ? "local:" + local.Code
                    : "name:" + name;
        return $"{key}|{unit}";
    }

    private static (decimal? Value, string? Text, string? Unit) ValueOf(Observation observation)
    {
        switch (observation.Value)
        {
            case Quantity quantity:
                var comparator = quantity.Comparator?.GetLiteral();
                var number = quantity.Value is { } v ? Number(v) : null;
                return (quantity.Comparator is null ? quantity.Value : null, number is null ? null : comparator + number, quantity.Unit ?? quantity.Code);
            case CodeableConcept concept:
                return (null, concept.Text ?? concept.Coding.Select(c => c.Display ?? c.Code).FirstOrDefault(d => !string.IsNullOrEmpty(d)), null);
            case FhirString text:
                return (null, text.Value, null);
            case Integer integer:
                return (integer.Value, integer.Value?.ToString(CultureInfo.InvariantCulture), null);
            case FhirBoolean boolean:
                return (null, boolean.Value?.ToString(), null);
            default:
                return (null, observation.DataAbsentReason?.Text ?? observation.DataAbsentReason?.Coding.Select(c => c.Display).FirstOrDefault(), null);
        }
    }

    private static LabFlag? FlagOf(IEnumerable<CodeableConcept> interpretations)
    {
        foreach (var coding in interpretations.SelectMany(i => i.Coding))
        {
            LabFlag? flag = coding.Code switch
            {
                "HH" or "H>" => LabFlag.CriticalHigh,
                "H" or "HU" => LabFlag.High,
                "LL" or "L<" => LabFlag.CriticalLow,
                "L" or "LU" => LabFlag.Low,
                "A" or "AA" or "POS" or "DET" or "R" or "I" => LabFlag.Abnormal,
                "N" or "NEG" or "ND" or "S" => LabFlag.Normal,
                _ => null,
            };
            if (flag is not null)
            {
                return flag;
            }
        }

        return null;
    }

    /// <summary>A qualitative result with no interpretation: 陽性 / positive is abnormal, 陰性 / negative normal; anything else unknown.</summary>
    private static LabFlag TextFlag(string? text) => text switch
    {
        null => LabFlag.None,
        _ when text.Contains("陽性", StringComparison.Ordinal) || text.Contains("positive", StringComparison.OrdinalIgnoreCase) => LabFlag.Abnormal,
        _ when text.Contains("陰性", StringComparison.Ordinal) || text.Contains("negative", StringComparison.OrdinalIgnoreCase) => LabFlag.Normal,
        _ => LabFlag.None,
    };

    private static string? SpecimenOf(Observation observation)
    {
        var reference = observation.Specimen?.Reference;
        var specimen = reference is not null && reference.StartsWith('#')
            ? observation.Contained.OfType<Specimen>().FirstOrDefault(s => s.Id == reference[1..])
            : null;
        var type = specimen?.Type;
        return type?.Text ?? type?.Coding.Select(c => c.Display).FirstOrDefault(d => !string.IsNullOrEmpty(d)) ?? observation.Specimen?.Display;
    }

    private static int? DaysOf(Duration? duration) =>
        duration?.Value is { } value && (duration.Code is "d" or null) && value > 0 && value < 100_000 ? (int)value : null;

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;

namespace MedNetPortal.Web.Features.Demo;

/// <summary>
/// Turns the demo records into JP-CLINS eCS resources that pass the official profiles (docs/conformance.md). References
/// are passed in (urn:uuid: inside a Bundle). Where the demo has no standard code (no MEDIS, J-FAGY, YJ, JLAC10 or usage
/// master ships with the portal), the profiles' own "no code" codings are written instead of invented codes.
/// </summary>
internal static class DemoClinicalResources
{
    /// <summary>MEDIS 病名管理番号 for a diagnosis that cannot be coded: all 9s, as many digits as the code (8).</summary>
    public const string UncodedDiseaseKey = "99999999";

    private const string AllergyDummyCode = "000000000";
    private const string MedicationNoCode = "http://jpfhir.jp/fhir/eCS/CodeSystem/MedicationCodeNocoded_CS";
    private const string UsageUncoded = "http://jpfhir.jp/fhir/clins/CodeSystem/JP_CLINS_MedicationUsage_Uncoded_CS";
    private const string PeriodOfUse = "http://jpfhir.jp/fhir/core/Extension/StructureDefinition/JP_MedicationDosage_PeriodOfUse";
    private const string LabCategory = "http://jpfhir.jp/fhir/core/CodeSystem/JP_SimpleObservationCategory_CS";
    private const string LabUncoded = "http://jpfhir.jp/fhir/clins/CodeSystem/JP_CLINS_ObsLabResult_Uncoded_CS";
    private const string LabLocalCode = "http://jpfhir.jp/fhir/clins/CodeSystem/JP_CLINS_ObsLabResult_LocalCode_CS";
    private const string SpecimenMaterial = "http://jpfhir.jp/fhir/core/CodeSystem/JP_ObservationSampleMaterialCode_CS";
    private const string SpecimenType = "http://terminology.hl7.org/CodeSystem/v2-0487";
    private const string ConditionClinical = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    private const string ConditionVerification = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
    private const string AllergyClinical = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical";
    private const string AllergyVerification = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification";

    public static Condition ToCondition(DemoDiagnosis diagnosis, string patientReference, Func<string, string> practitionerReference)
    {
        var (facility, doctor) = DemoFacilities.FindDoctor(diagnosis.DoctorKey);
        var code = new CodeableConcept { Text = diagnosis.Text };
        var disease = diagnosis.Disease;
        // JP_Condition_eCS requires a MEDIS 病名管理番号 coding; a name that has none gets the all-9 "no code" one.
        code.Coding.Add(disease.MedisKey is not null
            ? new Coding(DemoSystems.MedisDiseaseKey, disease.MedisKey, disease.Text)
            : new Coding(DemoSystems.MedisDiseaseKey, UncodedDiseaseKey, diagnosis.Text));

        if (disease.MedisExCode is not null)
        {
            code.Coding.Add(new Coding(DemoSystems.MedisDiseaseExCode, disease.MedisExCode, disease.Text));
        }

        if (disease.ReceiptCode is not null)
        {
            code.Coding.Add(new Coding(DemoSystems.ReceiptDisease, disease.ReceiptCode, disease.Text));
        }

        if (disease.Icd10 is not null)
        {
            code.Coding.Add(new Coding(DemoSystems.Icd10, disease.Icd10, disease.Icd10Display ?? disease.Text));
        }

        var condition = new Condition
        {
            Meta = Meta(DemoSystems.ConditionProfile, diagnosis.Uninformed, diagnosis.Recorded),
            Identifier = Identifiers("condition-" + diagnosis.Key),
            Extension =
            [
                InstitutionNumber(facility),
                new Extension(DemoSystems.DepartmentExtension, DemoFacilities.DepartmentConcept(doctor.Department)),
            ],
            ClinicalStatus = new CodeableConcept(ConditionClinical, diagnosis.Resolved is null ? "active" : "resolved"),
            VerificationStatus = new CodeableConcept(ConditionVerification, diagnosis.Suspected ? "unconfirmed" : "confirmed"),
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-category", "encounter-diagnosis")],
            Code = code,
            Subject = new ResourceReference(patientReference),
            Onset = new FhirDateTime(diagnosis.Onset),
            RecordedDate = diagnosis.Recorded,
            Recorder = new ResourceReference(practitionerReference(doctor.Key), doctor.NameKanji),
            Asserter = new ResourceReference(practitionerReference(doctor.Key), doctor.NameKanji),
        };
        if (diagnosis.Resolved is not null)
        {
            condition.Abatement = new FhirDateTime(diagnosis.Resolved);
        }

        return condition;
    }

    public static AllergyIntolerance ToAllergy(DemoAllergy allergy, string patientReference, Func<string, string> practitionerReference)
    {
        var (facility, doctor) = DemoFacilities.FindDoctor(allergy.DoctorKey);
        var resource = new AllergyIntolerance
        {
            Meta = Meta(DemoSystems.AllergyProfile, uninformed: false, allergy.Recorded),
            Identifier = Identifiers("allergy-" + allergy.Key),
            Extension = [InstitutionNumber(facility)],
            // FHIR ait-1/ait-2: an entered-in-error record carries no clinicalStatus.
            ClinicalStatus = allergy.EnteredInError ? null : new CodeableConcept(AllergyClinical, "active"),
            VerificationStatus = new CodeableConcept(AllergyVerification, allergy.EnteredInError ? "entered-in-error" : "confirmed"),
            Type = AllergyIntolerance.AllergyIntoleranceType.Allergy,
            Category =
            [
                allergy.Kind switch
                {
                    DemoAllergyKind.Medication => AllergyIntolerance.AllergyIntoleranceCategory.Medication,
                    DemoAllergyKind.Food => AllergyIntolerance.AllergyIntoleranceCategory.Food,
                    _ => AllergyIntolerance.AllergyIntoleranceCategory.Environment,
                },
            ],
            Criticality = allergy.HighCriticality ? AllergyIntolerance.AllergyIntoleranceCriticality.High : AllergyIntolerance.AllergyIntoleranceCriticality.Low,
            Code = AllergenCode(allergy),
            Patient = new ResourceReference(patientReference),
            Onset = new FhirDateTime(allergy.Onset),
            RecordedDate = allergy.Recorded,
            Recorder = new ResourceReference(practitionerReference(doctor.Key), doctor.NameKanji),
            Reaction = allergy.Reactions.Select(r => new AllergyIntolerance.ReactionComponent
            {
                Manifestation = [new CodeableConcept { Text = r.Manifestation }],
                Severity = r.Severity switch
                {
                    "severe" => AllergyIntolerance.AllergyIntoleranceSeverity.Severe,
                    "moderate" => AllergyIntolerance.AllergyIntoleranceSeverity.Moderate,
                    _ => AllergyIntolerance.AllergyIntoleranceSeverity.Mild,
                },
            }).ToList(),
        };
        if (allergy.Note is not null)
        {
            resource.Note = [new Annotation { Text = allergy.Note }];
        }

        return resource;
    }

    public static Observation ToObservation(DemoLab lab, string patientReference, Func<string, string> practitionerReference)
    {
        var (facility, doctor) = DemoFacilities.FindDoctor(lab.DoctorKey);
        var observation = new Observation
        {
            Meta = Meta(DemoSystems.LabResultProfile, uninformed: false, lab.Effective),
            Identifier = Identifiers("observation-" + lab.Key),
            Extension = [InstitutionNumber(facility)],
            Status = ObservationStatus.Final,
            Category = [new CodeableConcept(LabCategory, "laboratory", "Laboratory", "検体検査")],
            // A core-lab or infection item carries its JLAC10 code in the JP-CLINS code system for it; any other item the
            // profile's "not standardised" coding. The facility's local code always.
            Code = new CodeableConcept
            {
                Coding =
                [
                    lab.Jlac10 is { } jlac10
                        ? new Coding(lab.Infection ? JpFhir.Systems.InfectionLaboJlac10 : JpFhir.Systems.CoreLaboJlac10, jlac10, lab.Jlac10Display ?? lab.Name)
                        : new Coding(LabUncoded, "99999999999999999", "未標準化コード項目(JLAC)"),
                    new Coding(LabLocalCode, lab.LocalCode, lab.Name),
                ],
                Text = lab.Name,
            },
            Contained = [Specimen(lab)],
            Specimen = new ResourceReference("#specimen"),
            Subject = new ResourceReference(patientReference),
            Effective = new FhirDateTime(lab.Effective),
            Performer = [new ResourceReference(practitionerReference(doctor.Key), doctor.NameKanji)],
        };
        if (lab.Qualitative is { } text)
        {
            observation.Value = new FhirString(text);
            observation.Interpretation =
            [
                new CodeableConcept(JpFhir.Systems.ObservationInterpretation, text.Contains("陽性", StringComparison.Ordinal) ? "POS" : "NEG"),
            ];
            return observation;
        }

        observation.Value = new Quantity(lab.Value, lab.Unit, "http://unitsofmeasure.org");
        if (lab.Low is not null || lab.High is not null)
        {
            observation.ReferenceRange =
            [
                new Observation.ReferenceRangeComponent
                {
                    Low = lab.Low is { } low ? new Quantity(low, lab.Unit, "http://unitsofmeasure.org") : null,
                    High = lab.High is { } high ? new Quantity(high, lab.Unit, "http://unitsofmeasure.org") : null,
                },
            ];
            var flag = lab.High is { } h && lab.Value > h ? "H" : lab.Low is { } l && lab.Value < l ? "L" : "N";
            observation.Interpretation = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", flag)];
        }

        return observation;
    }

    public static MedicationRequest ToMedicationRequest(DemoMedication medication, string patientReference, Func<string, string> practitionerReference)
    {
        var (facility, doctor) = DemoFacilities.FindDoctor(medication.DoctorKey);
        return new MedicationRequest
        {
            Meta = Meta(DemoSystems.MedicationRequestProfile, uninformed: false, medication.AuthoredOn),
            // JP_MedicationRequest_eCS: the Rp number and the order within the Rp (one drug per Rp in the demo).
            Identifier =
            [
                new Identifier("http://jpfhir.jp/fhir/core/mhlw/IdSystem/Medication-RPGroupNumber", medication.RpNumber.ToString(CultureInfo.InvariantCulture)),
                new Identifier("http://jpfhir.jp/fhir/core/mhlw/IdSystem/MedicationAdministrationIndex", "1"),
                .. Identifiers("medicationrequest-" + medication.Key),
            ],
            Extension = [InstitutionNumber(facility)],
            // The profile fixes completed: the order was issued.
            Status = MedicationRequest.MedicationrequestStatus.Completed,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            // No YJ / 一般名 master ships with the demo: the profile's "no standard code" coding, and the name as text.
            Medication = MedicationCode(medication, facility),
            Subject = new ResourceReference(patientReference),
            AuthoredOn = medication.AuthoredOn,
            Requester = new ResourceReference(practitionerReference(doctor.Key), doctor.NameKanji),
            DosageInstruction = [Dosage(medication)],
            DispenseRequest = new MedicationRequest.DispenseRequestComponent
            {
                ExpectedSupplyDuration = new Duration { Value = medication.Days, Unit = "日", System = "http://unitsofmeasure.org", Code = "d" },
            },
        };
    }

    /// <summary>The profile's "no standard code" coding, the facility's own drug code when it has one, and the name as text.</summary>
    private static CodeableConcept MedicationCode(DemoMedication medication, DemoFacility facility)
    {
        var code = new CodeableConcept(MedicationNoCode, "NOCODED", "標準コードなし", medication.Name);
        if (medication.LocalCode is { } local)
        {
            // As the official examples write a facility's drug code: …/CodeSystem/DrugCode/<1 + 医療機関コード>.
            code.Coding.Add(new Coding($"http://jpfhir.jp/fhir/eCS/CodeSystem/DrugCode/1{facility.Code}", local, medication.Name));
        }

        return code;
    }

    private static Meta Meta(string profile, bool uninformed, string recordedDate)
    {
        // The demo records carry a date only; the update time is that day, 09:00 in Japan.
        var day = DateOnly.ParseExact(recordedDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var meta = new Meta { Profile = [profile], LastUpdated = new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(9)) };
        if (uninformed)
        {
            meta.Tag = [new Coding(DemoSystems.Indication, "UNINFORMED", "未告知")];
        }

        return meta;
    }

    /// <summary>The JP-CLINS resource identifier (identifier:resourceIdentifier) and the demo's own (the seeder's conditional-create key).</summary>
    private static List<Identifier> Identifiers(string key) =>
        [new Identifier(JpFhir.Systems.ResourceInstanceIdentifier, key), DemoIds.Identifier(key)];

    /// <summary>
    /// The allergen as JP_AllergyIntolerance_eCS codes it: without a J-FAGY code, the IG's dummy code (meta code D9M / D9F /
    /// D9N + nine zeros) in the category's code system, with the allergen as written in the text.
    /// </summary>
    private static CodeableConcept AllergenCode(DemoAllergy allergy)
    {
        var (system, prefix) = allergy.Kind switch
        {
            DemoAllergyKind.Medication => (JpFhir.Systems.JfagyMedicationAllergenYcm, "D9M"),
            DemoAllergyKind.Food => (JpFhir.Systems.JfagyFoodAllergen, "D9F"),
            _ => (JpFhir.Systems.JfagyNonFoodNonMedicationAllergen, "D9N"),
        };
        return new CodeableConcept(system, prefix + AllergyDummyCode, allergy.Text, allergy.Text);
    }

    /// <summary>JP_MedicationDosage_eCS: period of use from the order date, the dummy usage code with the usage as text, and the days.</summary>
    private static Dosage Dosage(DemoMedication medication) => new()
    {
        Extension = [new Extension(PeriodOfUse, new Period { Start = medication.AuthoredOn })],
        Text = $"{medication.Dosage} {medication.Days.ToString(CultureInfo.InvariantCulture)}日分",
        Timing = new Timing
        {
            Code = new CodeableConcept(UsageUncoded, "0X0XXXXXXXXX0000", "ダミー用法コード", medication.Dosage),
            Repeat = new Timing.RepeatComponent
            {
                Bounds = new Duration { Value = medication.Days, Unit = "日", System = "http://unitsofmeasure.org", Code = "d" },
            },
        },
    };

    /// <summary>
    /// The specimen, contained as in the official examples: whole blood for HbA1c, plasma for BNP, serum otherwise. Only
    /// serum carries a JLAC10 material code (023, the one the official example uses); the others the HL7 v2 type alone.
    /// </summary>
    private static Specimen Specimen(DemoLab lab)
    {
        var type = lab.LocalCode switch
        {
            "HBA1C" or "HB" => new CodeableConcept(SpecimenType, "WB", "Whole blood", "全血"),
            "BNP" => new CodeableConcept(SpecimenType, "PLAS", "Plasma", "血漿"),
            _ => new CodeableConcept
            {
                Coding = [new Coding(SpecimenMaterial, "023", "血清"), new Coding(SpecimenType, "SER", "Serum")],
                Text = "血清",
            },
        };
        return new Specimen { Id = "specimen", Type = type };
    }

    private static Extension InstitutionNumber(DemoFacility facility) =>
        new(DemoSystems.InstitutionNumberExtension, new Identifier(DemoSystems.MedicalInstitutionNo, facility.Code));
}

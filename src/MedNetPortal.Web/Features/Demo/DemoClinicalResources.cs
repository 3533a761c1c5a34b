using Hl7.Fhir.Model;

namespace MedNetPortal.Web.Features.Demo;

/// <summary>Turns the demo records into JP-CLINS eCS resources. References are passed in (urn:uuid: inside a Bundle).</summary>
internal static class DemoClinicalResources
{
    private const string ConditionClinical = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    private const string ConditionVerification = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
    private const string AllergyClinical = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical";
    private const string AllergyVerification = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification";

    public static Condition ToCondition(DemoDiagnosis diagnosis, string patientReference, Func<string, string> practitionerReference)
    {
        var (facility, doctor) = DemoFacilities.FindDoctor(diagnosis.DoctorKey);
        var code = new CodeableConcept { Text = diagnosis.Text };
        var disease = diagnosis.Disease;
        if (disease.MedisKey is not null)
        {
            code.Coding.Add(new Coding(DemoSystems.MedisDiseaseKey, disease.MedisKey, disease.Text));
        }

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
            code.Coding.Add(new Coding(DemoSystems.Icd10, disease.Icd10));
        }

        var condition = new Condition
        {
            Meta = Meta(DemoSystems.ConditionProfile, diagnosis.Uninformed),
            Identifier = [DemoIds.Identifier("condition-" + diagnosis.Key)],
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
            Meta = Meta(DemoSystems.AllergyProfile, uninformed: false),
            Identifier = [DemoIds.Identifier("allergy-" + allergy.Key)],
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
            Code = new CodeableConcept { Text = allergy.Text },
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
            Meta = Meta(DemoSystems.LabResultProfile, uninformed: false),
            Identifier = [DemoIds.Identifier("observation-" + lab.Key)],
            Extension = [InstitutionNumber(facility)],
            Status = ObservationStatus.Final,
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", "Laboratory", "検体検査")],
            Code = new CodeableConcept("urn:mednetportal:demo:lab", lab.LocalCode, lab.Name, lab.Name),
            Subject = new ResourceReference(patientReference),
            Effective = new FhirDateTime(lab.Effective),
            Performer = [new ResourceReference(practitionerReference(doctor.Key), doctor.NameKanji)],
            Value = new Quantity(lab.Value, lab.Unit, "http://unitsofmeasure.org"),
        };
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
            Meta = Meta(DemoSystems.MedicationRequestProfile, uninformed: false),
            Identifier = [DemoIds.Identifier("medicationrequest-" + medication.Key)],
            Extension = [InstitutionNumber(facility)],
            Status = MedicationRequest.MedicationrequestStatus.Active,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Medication = new CodeableConcept { Text = medication.Name },
            Subject = new ResourceReference(patientReference),
            AuthoredOn = medication.AuthoredOn,
            Requester = new ResourceReference(practitionerReference(doctor.Key), doctor.NameKanji),
            DosageInstruction = [new Dosage { Text = medication.Dosage }],
            DispenseRequest = new MedicationRequest.DispenseRequestComponent
            {
                ExpectedSupplyDuration = new Duration { Value = medication.Days, Unit = "日", System = "http://unitsofmeasure.org", Code = "d" },
            },
        };
    }

    private static Meta Meta(string profile, bool uninformed)
    {
        var meta = new Meta { Profile = [profile] };
        if (uninformed)
        {
            meta.Tag = [new Coding(DemoSystems.Indication, "UNINFORMED", "未告知")];
        }

        return meta;
    }

    private static Extension InstitutionNumber(DemoFacility facility) =>
        new(DemoSystems.InstitutionNumberExtension, new Identifier(DemoSystems.MedicalInstitutionNo, facility.Code));
}

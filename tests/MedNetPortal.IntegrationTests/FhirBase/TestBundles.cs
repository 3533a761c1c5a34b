using Hl7.Fhir.Model;

namespace MedNetPortal.IntegrationTests.FhirBase;

internal static class TestBundles
{
    public const string MemberSystem = "http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID";

    /// <summary>1 Patient (created conditionally by identifier) + <paramref name="conditions"/> Conditions + <paramref name="allergies"/> AllergyIntolerances, linked by urn:uuid.</summary>
    public static Bundle PatientRecord(string identifier, int conditions = 50, int allergies = 5)
    {
        var patientUrl = "urn:uuid:" + Guid.NewGuid();
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = patientUrl,
            Resource = FhirTestClient.NewPatient(identifier),
            Request = new Bundle.RequestComponent
            {
                Method = Bundle.HTTPVerb.POST, Url = "Patient", IfNoneExist = $"identifier={MemberSystem}|{identifier}",
            },
        });
        for (var i = 0; i < conditions; i++)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = "urn:uuid:" + Guid.NewGuid(),
                Resource = new Condition
                {
                    Subject = new ResourceReference(patientUrl),
                    Code = new CodeableConcept("http://medis.or.jp/CodeSystem/master-disease-keyNumber", $"2000{i:D4}", $"病名{i}"),
                    ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", i % 2 == 0 ? "active" : "resolved"),
                    Onset = new FhirDateTime(2000 + (i % 25), 1 + (i % 12), 1),
                    RecordedDate = $"2024-01-{1 + (i % 28):D2}",
                },
                Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Condition" },
            });
        }
        for (var i = 0; i < allergies; i++)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = "urn:uuid:" + Guid.NewGuid(),
                Resource = new AllergyIntolerance
                {
                    Patient = new ResourceReference(patientUrl),
                    Code = new CodeableConcept { Text = $"アレルギー{i}" },
                    Category = [i == 0 ? AllergyIntolerance.AllergyIntoleranceCategory.Medication : AllergyIntolerance.AllergyIntoleranceCategory.Food],
                },
                Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "AllergyIntolerance" },
            });
        }
        return bundle;
    }
}

using Hl7.Fhir.Model;

namespace MedNetPortal.Web.Features.Demo;

/// <summary>
/// The demo data as FHIR transaction Bundles (the contract): every entry is a conditional create
/// (<c>request.ifNoneExist</c> on a stable identifier), so posting them again creates nothing.
/// </summary>
internal static class DemoTransactions
{
    public static string OrganizationUrn(string facilityKey) => DemoIds.Urn("organization/" + facilityKey);

    public static string PractitionerUrn(string doctorKey) => DemoIds.Urn("practitioner/" + doctorKey);

    public static string PatientUrn(string patientKey) => DemoIds.Urn("patient/" + patientKey);

    /// <summary>All Organizations, Practitioners and PractitionerRoles of the demo facilities.</summary>
    public static Bundle Facilities()
    {
        var bundle = NewTransaction();
        foreach (var facility in DemoFacilities.All)
        {
            AddOrganization(bundle, facility);
            foreach (var doctor in facility.Doctors)
            {
                AddPractitioner(bundle, doctor);
                var role = DemoFacilities.ToPractitionerRole(facility, doctor, PractitionerUrn(doctor.Key), OrganizationUrn(facility.Key));
                Add(bundle, DemoIds.Urn("practitionerrole/" + doctor.Key), role, DemoIds.IdentifierQuery(DemoSystems.DemoResource, $"practitionerrole-{doctor.Key}"));
            }
        }

        return bundle;
    }

    /// <summary>One patient and their clinical resources, with the Organization and Practitioners they reference.</summary>
    public static Bundle ForPatient(DemoPatientRecord record)
    {
        var bundle = NewTransaction();
        var patient = record.Patient;
        var home = DemoFacilities.ByKey(patient.HomeFacilityKey);
        AddOrganization(bundle, home);
        var doctorKeys = record.Diagnoses.Select(d => d.DoctorKey)
            .Concat(record.Allergies.Select(a => a.DoctorKey))
            .Concat(record.Labs.Select(l => l.DoctorKey))
            .Concat(record.Medications.Select(m => m.DoctorKey))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        foreach (var doctorKey in doctorKeys)
        {
            AddPractitioner(bundle, DemoFacilities.FindDoctor(doctorKey).Doctor);
        }

        var patientUrn = PatientUrn(patient.Key);
        Add(bundle, patientUrn, DemoPatients.ToPatient(patient, OrganizationUrn(home.Key)),
            DemoIds.IdentifierQuery(DemoSystems.InsuranceMemberId, patient.QualificationIdentifier));

        foreach (var diagnosis in record.Diagnoses)
        {
            AddWithDemoIdentifier(bundle, DemoClinicalResources.ToCondition(diagnosis, patientUrn, PractitionerUrn));
        }

        foreach (var allergy in record.Allergies)
        {
            AddWithDemoIdentifier(bundle, DemoClinicalResources.ToAllergy(allergy, patientUrn, PractitionerUrn));
        }

        foreach (var lab in record.Labs)
        {
            AddWithDemoIdentifier(bundle, DemoClinicalResources.ToObservation(lab, patientUrn, PractitionerUrn));
        }

        foreach (var medication in record.Medications)
        {
            AddWithDemoIdentifier(bundle, DemoClinicalResources.ToMedicationRequest(medication, patientUrn, PractitionerUrn));
        }

        // Standing consents for the demo hospital and clinic (the accounts that view records), except the patient without one.
        if (!DemoPatients.WithoutConsent.Contains(patient))
        {
            foreach (var facility in new[] { DemoFacilities.Hospital, DemoFacilities.Clinic })
            {
                var key = $"consent-{patient.Key}-{facility.Key}";
                var consent = MedNetPortal.Web.Features.Consent.ConsentFhir.Build(patientUrn, facility.Code, facility.Name,
                    new DateTimeOffset(2024, 4, 1, 0, 0, 0, TimeSpan.FromHours(9)), end: null, reception: false, performerDisplay: null,
                    DemoIds.Identifier(key));
                Add(bundle, DemoIds.Urn(key), consent, DemoIds.IdentifierQuery(DemoSystems.DemoResource, key));
            }
        }

        return bundle;
    }

    public static IReadOnlyList<Bundle> ForAllPatients() => ForAllPatients(LargeRecordGenerator.DefaultCount);

    /// <summary>One transaction per patient, the large-record patient with only the first <paramref name="generatedDiagnoses"/> generated diagnoses.</summary>
    public static IReadOnlyList<Bundle> ForAllPatients(int generatedDiagnoses) => DemoRecords.All
        .Select(r => r with { Diagnoses = LargeRecordGenerator.Limit(r.Diagnoses, generatedDiagnoses) })
        .Select(ForPatient)
        .ToList();

    private static Bundle NewTransaction() => new() { Type = Bundle.BundleType.Transaction };

    private static void AddOrganization(Bundle bundle, DemoFacility facility) =>
        Add(bundle, OrganizationUrn(facility.Key), DemoFacilities.ToOrganization(facility),
            DemoIds.IdentifierQuery(DemoSystems.MedicalInstitutionNo, facility.Code));

    private static void AddPractitioner(Bundle bundle, DemoDoctor doctor) =>
        Add(bundle, PractitionerUrn(doctor.Key), DemoFacilities.ToPractitioner(doctor),
            DemoIds.IdentifierQuery(DemoSystems.MedicalRegistrationNo, doctor.RegistrationNumber));

    private static void AddWithDemoIdentifier<T>(Bundle bundle, T resource)
        where T : DomainResource
    {
        var identifier = resource switch
        {
            Condition c => c.Identifier,
            AllergyIntolerance a => a.Identifier,
            Observation o => o.Identifier,
            MedicationRequest m => m.Identifier,
            _ => throw new ArgumentException("Unsupported demo resource.", nameof(resource)),
        };
        var value = identifier.Single(i => i.System == DemoSystems.DemoResource).Value
            ?? throw new ArgumentException("Demo resource without a demo identifier.", nameof(resource));
        Add(bundle, DemoIds.Urn(value), resource, DemoIds.IdentifierQuery(DemoSystems.DemoResource, value));
    }

    private static void Add(Bundle bundle, string fullUrl, Resource resource, string ifNoneExist) =>
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = fullUrl,
            Resource = resource,
            Request = new Bundle.RequestComponent
            {
                Method = Bundle.HTTPVerb.POST,
                Url = resource.TypeName,
                IfNoneExist = ifNoneExist,
            },
        });
}

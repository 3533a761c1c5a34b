using MedNetPortal.Fhir;

namespace MedNetPortal.Web.Features.Demo;

/// <summary>
/// Short names for the systems the demo data uses; the URIs themselves live once, in <see cref="JpFhir"/>
/// (the demo-only ones are defined here).
/// </summary>
public static class DemoSystems
{
    public const string InsuranceMemberId = JpFhir.Systems.InsuranceMemberId;
    public const string MedicalInstitutionNo = JpFhir.Systems.MedicalInstitutionCode;
    public const string MedicalRegistrationNo = "urn:oid:1.2.392.100495.20.3.31";
    public const string BundleIdentifier = JpFhir.Systems.BundleIdentifier;

    /// <summary>Stable identifiers the seeder gives every demo resource, so conditional creates make re-seeding idempotent.</summary>
    public const string DemoResource = "urn:mednetportal:demo";

    public const string Department = JpFhir.Systems.ClinicalDepartment;
    public const string DepartmentExtension = JpFhir.Extensions.Department;
    public const string InstitutionNumberExtension = JpFhir.Extensions.InstitutionNumber;
    public const string NameRepresentation = JpFhir.Extensions.NameRepresentation;
    public const string PrefectureNoExtension = JpFhir.Extensions.OrganizationPrefectureNo;
    public const string PrefectureNo = "http://jpfhir.jp/fhir/core/mhlw/CodeSystem/PrefectureNo-2digits";
    public const string InsuranceCategoryExtension = JpFhir.Extensions.OrganizationInsuranceCategory;
    public const string InsuranceCategory = "http://jpfhir.jp/fhir/core/mhlw/CodeSystem/MedicationFeeScoreType";

    public const string MedisDiseaseKey = JpFhir.Systems.MedisDiseaseKeyNumber;
    public const string MedisDiseaseExCode = JpFhir.Systems.MedisDiseaseExchangeCode;
    public const string ReceiptDisease = JpFhir.Systems.ReceiptDiseaseCode;
    public const string Icd10 = JpFhir.Systems.Icd10;
    public const string JfagyFood = JpFhir.Systems.JfagyFoodAllergen;
    public const string YjCode = JpFhir.Systems.YjCode;
    public const string Jlac10 = "urn:oid:1.2.392.200119.4.504";
    public const string Indication = JpFhir.Systems.EhrShareIndication;

    public const string DocumentSection = JpFhir.Systems.DocumentSection;
    public const string DocTypeCodes = JpFhir.Systems.DocumentTypeCodes;
    public const string VersionNumberExtension = JpFhir.Extensions.DocumentVersionNumber;

    public const string PatientProfile = JpFhir.Profiles.PatientECS;
    public const string OrganizationProfile = JpFhir.Profiles.OrganizationECS;
    public const string PractitionerProfile = JpFhir.Profiles.PractitionerECS;
    public const string ConditionProfile = JpFhir.Profiles.ConditionECS;
    public const string AllergyProfile = JpFhir.Profiles.AllergyIntoleranceECS;
    public const string LabResultProfile = JpFhir.Profiles.ObservationLabResultECS;
    public const string MedicationRequestProfile = JpFhir.Profiles.MedicationRequestECS;
    public const string BundleReferralProfile = JpFhir.Profiles.BundleEReferral;
    public const string CompositionReferralProfile = JpFhir.Profiles.CompositionEReferral;
}

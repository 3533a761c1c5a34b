namespace MedNetPortal.Web.Features.Demo;

/// <summary>Code systems, identifier systems, profiles and extensions used by the demo data (JP Core / JP-CLINS).</summary>
public static class DemoSystems
{
    public const string InsuranceMemberId = "http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID";
    public const string MedicalInstitutionNo = "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no";
    public const string MedicalRegistrationNo = "urn:oid:1.2.392.100495.20.3.31";
    public const string BundleIdentifier = "http://jpfhir.jp/fhir/clins/bundle-identifier";

    /// <summary>Stable identifiers the seeder gives every demo resource, so conditional creates make re-seeding idempotent.</summary>
    public const string DemoResource = "urn:mednetportal:demo";

    public const string Department = "http://jami.jp/SS-MIX2/CodeSystem/ClinicalDepartment";
    public const string DepartmentExtension = "http://jpfhir.jp/fhir/eCS/Extension/StructureDefinition/JP_eCS_Department";
    public const string InstitutionNumberExtension = "http://jpfhir.jp/fhir/clins/Extension/StructureDefinition/JP_eCS_InstitutionNumber";
    public const string NameRepresentation = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";
    public const string PrefectureNoExtension = "http://jpfhir.jp/fhir/core/Extension/StructureDefinition/JP_Organization_PrefectureNo";
    public const string PrefectureNo = "http://jpfhir.jp/fhir/core/mhlw/CodeSystem/PrefectureNo-2digits";
    public const string InsuranceCategoryExtension = "http://jpfhir.jp/fhir/core/Extension/StructureDefinition/JP_Organization_InsuranceOrganizationCategory";
    public const string InsuranceCategory = "http://jpfhir.jp/fhir/core/mhlw/CodeSystem/MedicationFeeScoreType";

    public const string MedisDiseaseKey = "http://medis.or.jp/CodeSystem/master-disease-keyNumber";
    public const string MedisDiseaseExCode = "http://medis.or.jp/CodeSystem/master-disease-exCode";
    public const string ReceiptDisease = "http://jpfhir.jp/fhir/core/mhlw/CodeSystem/masterB-disease";
    public const string Icd10 = "http://jpfhir.jp/fhir/core/mhlw/CodeSystem/ICD10-2013-full";
    public const string JfagyFood = "http://jpfhir.jp/fhir/core/CodeSystem/JP_JfagyFoodAllergen_CS";
    public const string YjCode = "http://capstandard.jp/iyaku.info/CodeSystem/YJ-code";
    public const string Jlac10 = "urn:oid:1.2.392.200119.4.504";
    public const string Indication = "http://jpfhir.jp/fhir/clins/CodeSystem/JP_ehrshrs_indication";

    public const string DocumentSection = "http://jpfhir.jp/fhir/clins/CodeSystem/document-section";
    public const string DocTypeCodes = "http://jpfhir.jp/fhir/Common/CodeSystem/doc-typecodes";
    public const string VersionNumberExtension = "http://hl7.org/fhir/StructureDefinition/composition-clinicaldocument-versionNumber";

    public const string PatientProfile = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Patient_eCS";
    public const string OrganizationProfile = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Organization_eCS";
    public const string PractitionerProfile = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Practitioner_eCS";
    public const string ConditionProfile = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Condition_eCS";
    public const string AllergyProfile = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_AllergyIntolerance_eCS";
    public const string LabResultProfile = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Observation_LabResult_eCS";
    public const string MedicationRequestProfile = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_MedicationRequest_eCS";
    public const string BundleReferralProfile = "http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_eReferral";
    public const string CompositionReferralProfile = "http://jpfhir.jp/fhir/eReferral/StructureDefinition/JP_Composition_eReferral";
}

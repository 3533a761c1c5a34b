namespace MedNetPortal.Fhir;

/// <summary>
/// URIs and codes of the Japanese FHIR guides (JP Core, JP-CLINS, eReferral) the portal uses, in one place.
/// Spellings follow the official examples (e.g. <c>Idsystem</c> vs <c>IdSystem</c> differ between systems on purpose).
/// </summary>
public static class JpFhir
{
    /// <summary>Identifier systems and code systems.</summary>
    public static class Systems
    {
        /// <summary>被保険者個人識別子 (insured person); value <c>保険者番号:記号:番号:枝番</c>.</summary>
        public const string InsuranceMemberId = "http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID";

        /// <summary>公費 (public payer) recipient; value <c>公費負担者番号::受給者番号:</c>.</summary>
        public const string PublicPayerMemberId = "http://jpfhir.jp/fhir/clins/Idsystem/JP_PublicPayer_memberID";

        /// <summary>医療機関コード (10 digits) on Organization.identifier.</summary>
        public const string MedicalInstitutionCode = "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no";

        /// <summary>Document Bundle identifier, value <c>医療機関コード^年^施設内ID</c>.</summary>
        public const string BundleIdentifier = "http://jpfhir.jp/fhir/clins/bundle-identifier";

        /// <summary>Resource instance identifiers (facility-local ids) in the examples.</summary>
        public const string ResourceInstanceIdentifier = "http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier";

        /// <summary>Document type codes (Composition.type), see <see cref="DocumentTypes"/>.</summary>
        public const string DocumentTypeCodes = "http://jpfhir.jp/fhir/Common/CodeSystem/doc-typecodes";

        /// <summary>Document sub-type codes (Composition.category), see <see cref="DocumentSubTypes"/>.</summary>
        public const string DocumentSubTypeCodes = "http://jpfhir.jp/fhir/Common/CodeSystem/doc-subtypecodes";

        /// <summary>JP-CLINS document section codes, see <see cref="Sections"/>.</summary>
        public const string DocumentSection = "http://jpfhir.jp/fhir/clins/CodeSystem/document-section";

        /// <summary>The older eReferral section code system, still used by some official examples.</summary>
        public const string EReferralDocumentSection = "http://jpfhir.jp/fhir/eReferral/CodeSystem/document-section";

        /// <summary>SS-MIX2 clinical departments (e.g. <c>01</c> 内科).</summary>
        public const string ClinicalDepartment = "http://jami.jp/SS-MIX2/CodeSystem/ClinicalDepartment";

        /// <summary>MEDIS 病名管理番号.</summary>
        public const string MedisDiseaseKeyNumber = "http://medis.or.jp/CodeSystem/master-disease-keyNumber";

        /// <summary>MEDIS 病名交換用コード.</summary>
        public const string MedisDiseaseExchangeCode = "http://medis.or.jp/CodeSystem/master-disease-exCode";

        /// <summary>レセプト電算処理システム傷病名コード.</summary>
        public const string ReceiptDiseaseCode = "http://jpfhir.jp/fhir/core/mhlw/CodeSystem/masterB-disease";

        /// <summary>ICD-10 (2013, full).</summary>
        public const string Icd10 = "http://jpfhir.jp/fhir/core/mhlw/CodeSystem/ICD10-2013-full";

        /// <summary>J-FAGY food allergens.</summary>
        public const string JfagyFoodAllergen = "http://jpfhir.jp/fhir/core/CodeSystem/JP_JfagyFoodAllergen_CS";

        /// <summary>J-FAGY non-food, non-medication allergens.</summary>
        public const string JfagyNonFoodNonMedicationAllergen = "http://jpfhir.jp/fhir/core/CodeSystem/JP_JfagyNonFoodNonMedicationAllergen_CS";

        /// <summary>J-FAGY medication allergens by YJ code (as written in the domain brief).</summary>
        public const string JfagyMedicationAllergenYcm = "http://jpfhir.jp/fhir/core/CodeSystem/YCM/JP_JfagyMedicationAllergen_CS";

        /// <summary>J-FAGY medication allergens by generic-name code (as used in the official AllergyIntolerance examples).</summary>
        public const string JfagyMedicationAllergenGcm = "http://jpfhir.jp/fhir/core/CodeSystem/GCM/JP_JfagyMedicationAllergen_CS";

        /// <summary>YJ drug codes.</summary>
        public const string YjCode = "http://capstandard.jp/iyaku.info/CodeSystem/YJ-code";

        /// <summary>一般処方名マスター (MHLW generic-name order codes).</summary>
        public const string MedicationGeneralName = "http://jpfhir.jp/fhir/core/mhlw/CodeSystem/MedicationGeneralOrderCode";

        /// <summary>JP-CLINS: a drug without a standard code (code <c>NOCODED</c>).</summary>
        public const string MedicationNoCode = "http://jpfhir.jp/fhir/eCS/CodeSystem/MedicationCodeNocoded_CS";

        /// <summary>JLAC10, 17 digits (MEDIS master).</summary>
        public const string Jlac10 = "http://medis.or.jp/CodeSystem/master-JLAC10-17digits";

        /// <summary>JP-CLINS core lab items (the 43 items), JLAC10 codes.</summary>
        public const string CoreLaboJlac10 = "http://jpfhir.jp/fhir/clins/CodeSystem/JLAC10/JP_CLINS_ObsLabResult_CoreLabo_CS";

        /// <summary>JP-CLINS core lab items, JLAC11 codes.</summary>
        public const string CoreLaboJlac11 = "http://jpfhir.jp/fhir/clins/CodeSystem/JLAC11/JP_CLINS_ObsLabResult_CoreLabo_CS";

        /// <summary>JP-CLINS infection lab items (HBs, HCV, HIV, syphilis), JLAC10 codes: what makes a result an infection result.</summary>
        public const string InfectionLaboJlac10 = "http://jpfhir.jp/fhir/clins/CodeSystem/JLAC10/JP_CLINS_ObsLabResult_InfectionLabo_CS";

        /// <summary>JP-CLINS infection lab items, JLAC11 codes.</summary>
        public const string InfectionLaboJlac11 = "http://jpfhir.jp/fhir/clins/CodeSystem/JLAC11/JP_CLINS_ObsLabResult_InfectionLabo_CS";

        /// <summary>A facility's own lab code.</summary>
        public const string LabLocalCode = "http://jpfhir.jp/fhir/clins/CodeSystem/JP_CLINS_ObsLabResult_LocalCode_CS";

        /// <summary>JP-CLINS: a lab item not yet standardised (code <c>99999999999999999</c>).</summary>
        public const string LabUncoded = "http://jpfhir.jp/fhir/clins/CodeSystem/JP_CLINS_ObsLabResult_Uncoded_CS";

        /// <summary>Observation.category of a lab result (code <c>laboratory</c>).</summary>
        public const string SimpleObservationCategory = "http://jpfhir.jp/fhir/core/CodeSystem/JP_SimpleObservationCategory_CS";

        /// <summary>HL7 v3 ObservationInterpretation (H, L, N, HH, LL, A, POS, NEG, …).</summary>
        public const string ObservationInterpretation = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

        /// <summary><c>meta.tag</c> system for <see cref="Tags"/>.</summary>
        public const string EhrShareIndication = "http://jpfhir.jp/fhir/clins/CodeSystem/JP_ehrshrs_indication";
    }

    /// <summary>Profiles (<c>meta.profile</c>).</summary>
    public static class Profiles
    {
        /// <summary>Referral letter document Bundle.</summary>
        public const string BundleEReferral = "http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_eReferral";

        /// <summary>Referral letter Composition.</summary>
        public const string CompositionEReferral = "http://jpfhir.jp/fhir/eReferral/StructureDefinition/JP_Composition_eReferral";

        /// <summary>Patient (eCS).</summary>
        public const string PatientECS = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Patient_eCS";

        /// <summary>Organization (eCS).</summary>
        public const string OrganizationECS = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Organization_eCS";

        /// <summary>Practitioner (eCS).</summary>
        public const string PractitionerECS = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Practitioner_eCS";

        /// <summary>Encounter (eCS).</summary>
        public const string EncounterECS = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Encounter_eCS";

        /// <summary>Diagnosis.</summary>
        public const string ConditionECS = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Condition_eCS";

        /// <summary>Allergy / drug contraindication.</summary>
        public const string AllergyIntoleranceECS = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_AllergyIntolerance_eCS";

        /// <summary>Lab result / infection.</summary>
        public const string ObservationLabResultECS = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Observation_LabResult_eCS";

        /// <summary>Prescription.</summary>
        public const string MedicationRequestECS = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_MedicationRequest_eCS";

        /// <summary>DocumentReference (eCS).</summary>
        public const string DocumentReferenceECS = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_DocumentReference_eCS";
    }

    /// <summary>Extensions.</summary>
    public static class Extensions
    {
        /// <summary>Composition document version (valueString, required on JP-CLINS Compositions).</summary>
        public const string DocumentVersionNumber = "http://hl7.org/fhir/StructureDefinition/composition-clinicaldocument-versionNumber";

        /// <summary>Department on an Organization (referral sender / destination).</summary>
        public const string Department = "http://jpfhir.jp/fhir/eCS/Extension/StructureDefinition/JP_eCS_Department";

        /// <summary>HumanName representation: <c>IDE</c> (kanji) or <c>SYL</c> (kana).</summary>
        public const string NameRepresentation = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";

        /// <summary>Institution number extension on Organization in the examples.</summary>
        public const string InstitutionNumber = "http://jpfhir.jp/fhir/clins/Extension/StructureDefinition/JP_eCS_InstitutionNumber";

        /// <summary>Prefecture number on Organization.</summary>
        public const string OrganizationPrefectureNo = "http://jpfhir.jp/fhir/core/Extension/StructureDefinition/JP_Organization_PrefectureNo";

        /// <summary>Fee-table category on Organization.</summary>
        public const string OrganizationInsuranceCategory = "http://jpfhir.jp/fhir/core/Extension/StructureDefinition/JP_Organization_InsuranceOrganizationCategory";

        /// <summary>A dosage's period of use (valuePeriod) in JP Core.</summary>
        public const string MedicationDosagePeriodOfUse = "http://jpfhir.jp/fhir/core/Extension/StructureDefinition/JP_MedicationDosage_PeriodOfUse";

        /// <summary>Facility number on Organization.</summary>
        public const string OrganizationInsuranceNo = "http://jpfhir.jp/fhir/core/Extension/StructureDefinition/JP_Organization_InsuranceOrganizationNo";
    }

    /// <summary>Composition.type codes (system <see cref="Systems.DocumentTypeCodes"/>).</summary>
    public static class DocumentTypes
    {
        /// <summary>診療情報提供書 (referral letter).</summary>
        public const string ReferralLetter = "57133-1";

        /// <summary>退院時サマリー (discharge summary).</summary>
        public const string DischargeSummary = "18842-5";

        /// <summary>健診結果報告書 (health-check report).</summary>
        public const string HealthCheckReport = "53576-5";
    }

    /// <summary>Referral letter section codes (system <see cref="Systems.DocumentSection"/>).</summary>
    public static class Sections
    {
        /// <summary>紹介元情報 (sender).</summary>
        public const string Sender = "920";

        /// <summary>紹介先情報 (destination).</summary>
        public const string Destination = "910";

        /// <summary>構造情報 (structured content, parent of the clinical sections).</summary>
        public const string Structured = "300";

        /// <summary>紹介目的 (purpose, required).</summary>
        public const string Purpose = "950";

        /// <summary>傷病名・主訴 (diagnoses / chief complaint, required).</summary>
        public const string Diagnoses = "340";

        /// <summary>現病歴 (present illness, required).</summary>
        public const string PresentIllness = "360";

        /// <summary>既往歴 (past history).</summary>
        public const string PastHistory = "370";

        /// <summary>家族歴 (family history).</summary>
        public const string FamilyHistory = "550";

        /// <summary>アレルギー・不耐性反応 (allergies).</summary>
        public const string Allergies = "510";

        /// <summary>投薬指示 (medications).</summary>
        public const string Medications = "430";

        /// <summary>臨床経過 (clinical course).</summary>
        public const string ClinicalCourse = "330";

        /// <summary>検査結果 (test results).</summary>
        public const string TestResults = "620";

        /// <summary>備考・連絡情報 (remarks).</summary>
        public const string Remarks = "220";

        /// <summary>添付情報 (attachments).</summary>
        public const string Attachments = "210";

        /// <summary>退院時診断 (discharge summary: diagnoses on discharge).</summary>
        public const string DischargeDiagnoses = "344";

        /// <summary>入院時診断 (discharge summary: diagnoses on admission).</summary>
        public const string AdmissionDiagnoses = "342";

        /// <summary>入院中経過 (discharge summary: hospital course).</summary>
        public const string HospitalCourse = "333";

        /// <summary>退院時処方 (discharge summary: medication on discharge).</summary>
        public const string DischargeMedication = "444";
    }

    /// <summary>
    /// Document sub-type codes (JP_Composition_eReferral <c>category</c>, required, system <see cref="Systems.DocumentSubTypeCodes"/>):
    /// the setting the letter is written in. The code is what a draft stores.
    /// </summary>
    public static class DocumentSubTypes
    {
        /// <summary>外来文書 (outpatient), the default for a referral letter.</summary>
        public const string Outpatient = "OUTPATIENT";

        /// <summary>Every code with its display, in the code system's order.</summary>
        public static IReadOnlyList<(string Code, string Display)> All { get; } =
        [
            ("ADMISSION", "入院時文書"),
            ("SECONDOP", "セカンドオピニオン文書"),
            ("EXAMIN", "要精査依頼文書"),
            ("CONSULT", "他科コンサルト"),
            ("DISCHARGE", "退院時文書"),
            ("INPATIENT", "入院中文書"),
            (Outpatient, "外来文書"),
        ];

        /// <summary>The display of a code, or null when the code is not one of <see cref="All"/>.</summary>
        public static string? DisplayOf(string? code) => All.FirstOrDefault(c => c.Code == code).Display;
    }

    /// <summary>Codes of <see cref="Systems.EhrShareIndication"/> a viewer must respect.</summary>
    public static class Tags
    {
        /// <summary>Not yet told to the patient.</summary>
        public const string Uninformed = "UNINFORMED";

        /// <summary>Not to be provided.</summary>
        public const string Undelivered = "UNDELIVERED";
    }
}

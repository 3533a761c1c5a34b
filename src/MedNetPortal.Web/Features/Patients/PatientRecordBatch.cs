using System.Globalization;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;

namespace MedNetPortal.Web.Features.Patients;

/// <summary>The record page's opening request: one <c>batch</c> of GET searches, one per group, with each group's page size.</summary>
internal static class PatientRecordBatch
{
    internal const int DiagnosisPageSize = 100;
    internal const int AllergyPageSize = 100;
    internal const int LetterPageSize = 50;
    internal const int ContraindicationPageSize = 100;
    internal const int LabPageSize = 200;
    internal const int InfectionPageSize = 100;
    internal const int PrescriptionPageSize = 100;

    /// <summary>The includes that name the items' facilities (the embedded base's <c>institution</c> parameter).</summary>
    internal static readonly IReadOnlyList<string> InstitutionIncludes =
        ["Condition:institution", "AllergyIntolerance:institution", "Observation:institution", "MedicationRequest:institution"];

    /// <summary>Where each group's search sits in the batch (and so in its response).</summary>
    internal static class Entries
    {
        public const int Patient = 0;
        public const int Diagnoses = 1;
        public const int Allergies = 2;
        public const int Letters = 3;
        public const int Contraindications = 4;
        public const int Labs = 5;
        public const int Infections = 6;
        public const int Prescriptions = 7;
    }

    /// <summary>
    /// The batch the page sends, one search per group (positions in <see cref="Entries"/>); ids are URL-escaped, and nothing
    /// personal goes into these URLs. Allergies are split by category as JP-CLINS files them: medication (薬剤禁忌) in
    /// their own search, the rest with <c>category:not=medication</c>; infection results are those coded in the infection
    /// code systems, and the lab search leaves them out the same way. Each search includes the Organizations of its
    /// items' 医療機関コード (<c>_include=T:institution</c>, the base's own parameter) and, where the item names one, the
    /// prescriber or performer, so the page shows names and needs no second request.
    /// </summary>
    internal static Bundle BuildBatch(string patientId, bool includeFacilityNames = true)
    {
        var id = Uri.EscapeDataString(FhirSearchValue.Id(patientId));
        string Institution(string type) => includeFacilityNames ? $"&_include={type}:institution" : string.Empty;
        var infection = string.Join(',', PatientMapper.InfectionSystems.Select(s => Uri.EscapeDataString(s + "|")));
        var batch = new Bundle { Type = Bundle.BundleType.Batch };
        foreach (var url in new[]
                 {
                     $"Patient/{id}",
                     $"Condition?patient=Patient/{id}&_sort=-recorded-date&_count={Count(DiagnosisPageSize)}{Institution("Condition")}",
                     $"AllergyIntolerance?patient=Patient/{id}&category:not=medication&_sort=-date&_count={Count(AllergyPageSize)}{Institution("AllergyIntolerance")}",
                     // The patient's documents: standard DocumentReference search, with each document and the Patient
                     // included so that every row is checked against the document itself.
                     $"DocumentReference?patient=Patient/{id}&_sort=-date&_include=DocumentReference:related&_include=DocumentReference:patient&_count={Count(LetterPageSize)}",
                     $"AllergyIntolerance?patient=Patient/{id}&category=medication&_sort=-date&_count={Count(ContraindicationPageSize)}{Institution("AllergyIntolerance")}",
                     $"Observation?patient=Patient/{id}&category=laboratory&code:not={infection}&_sort=-date&_count={Count(LabPageSize)}&_include=Observation:performer{Institution("Observation")}",
                     $"Observation?patient=Patient/{id}&code={infection}&_sort=-date&_count={Count(InfectionPageSize)}&_include=Observation:performer{Institution("Observation")}",
                     $"MedicationRequest?patient=Patient/{id}&_sort=-authoredon&_count={Count(PrescriptionPageSize)}&_include=MedicationRequest:requester{Institution("MedicationRequest")}",
                 })
        {
            batch.Entry.Add(new Bundle.EntryComponent
            {
                Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.GET, Url = url },
            });
        }

        return batch;
    }

    internal static string Count(int pageSize) => pageSize.ToString(CultureInfo.InvariantCulture);
}

using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Consent;

namespace MedNetPortal.Web.Features.Patients;

/// <summary>
/// Reads a patient's shared record: everything the page opens with in one round trip, more only on request. Every method
/// first asks <see cref="IPatientAccessGate"/>: without consent (or emergency access) it throws
/// <see cref="PatientAccessDeniedException"/> and sends no request for clinical data.
/// </summary>
public interface IPatientRecordService
{
    /// <summary>
    /// One <c>batch</c> POST: the Patient, the first page of diagnoses, allergies and letters. A failing section gives that
    /// section's error; a missing or failing Patient throws <see cref="FhirApiException"/>.
    /// </summary>
    Task<PatientRecord> LoadAsync(string patientId, CancellationToken cancellationToken);

    /// <summary>The next page of diagnoses (one round trip).</summary>
    Task<PageOf<Diagnosis>> MoreDiagnosesAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken);

    /// <summary>The next page of allergies (one round trip).</summary>
    Task<PageOf<Allergy>> MoreAllergiesAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken);

    /// <summary>The next page of letters (one round trip).</summary>
    Task<PageOf<LetterSummary>> MoreLettersAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken);

    /// <summary>The next page of drug contraindications (one round trip).</summary>
    Task<PageOf<Allergy>> MoreContraindicationsAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken);

    /// <summary>The next page of lab results (one round trip).</summary>
    Task<PageOf<LabResult>> MoreLabsAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken);

    /// <summary>The next page of infection results (one round trip).</summary>
    Task<PageOf<LabResult>> MoreInfectionsAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken);

    /// <summary>The next page of prescriptions (one round trip).</summary>
    Task<PageOf<Prescription>> MorePrescriptionsAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken);
}

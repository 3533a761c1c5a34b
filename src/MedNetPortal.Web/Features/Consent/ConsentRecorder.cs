using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Audit;

namespace MedNetPortal.Web.Features.Consent;

/// <summary>How recording a consent ended.</summary>
public enum ConsentRecordOutcome
{
    Recorded,

    /// <summary>Only clinicians of a facility may record a consent.</summary>
    NotAllowed,

    /// <summary>The central base refused or was unreachable; nothing was recorded.</summary>
    Failed,
}

/// <summary>Records 「本日受付で同意を確認」: an outpatient consent, valid 24 hours, written to the central base.</summary>
public interface IConsentRecorder
{
    Task<ConsentRecordOutcome> RecordReceptionConsentAsync(string patientId, CancellationToken cancellationToken);
}

internal sealed class ConsentRecorder(
    CentralFhirClient client,
    ICurrentUserAccessor currentUser,
    IAuditTrail audit,
    IPatientAccessGate gate,
    TimeProvider time) : IConsentRecorder
{
    public async Task<ConsentRecordOutcome> RecordReceptionConsentAsync(string patientId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        var user = await currentUser.GetAsync(cancellationToken).ConfigureAwait(false);
        if (user?.FacilityCode is not { } code || !user.IsInRole(PortalRoles.Clinician))
        {
            return ConsentRecordOutcome.NotAllowed;
        }

        var now = time.GetUtcNow();
        var consent = ConsentFhir.Build("Patient/" + patientId, code, user.FacilityName ?? code, now, now + ConsentFhir.ReceptionWindow,
            reception: true, performerDisplay: user.DisplayName);
        try
        {
            await client.CreateAsync(consent, ifNoneExist: null, cancellationToken).ConfigureAwait(false);
        }
        catch (FhirApiException)
        {
            return ConsentRecordOutcome.Failed;
        }

        gate.Forget(patientId);
        await audit.RecordAsync(
            new AuditRecord(AuditAction.ConsentRecorded) { PatientId = patientId, Detail = ConsentFhir.ReceptionCategoryCode },
            cancellationToken).ConfigureAwait(false);
        return ConsentRecordOutcome.Recorded;
    }
}

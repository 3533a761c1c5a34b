using Microsoft.EntityFrameworkCore;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Host.Data;

namespace MedNetPortal.Web.Features.Consent;

/// <summary>How recording a consent ended.</summary>
public enum ConsentRecordOutcome
{
    Recorded,

    /// <summary>Only clinicians of a facility may record a consent.</summary>
    NotAllowed,

    /// <summary>The central base refused or was unreachable; nothing was recorded.</summary>
    Failed,

    /// <summary>その他 without a text (or a text over <see cref="ReceptionConsentConfirmation.MaxTextLength"/>); nothing was recorded.</summary>
    ReasonTextRequired,
}

/// <summary>How the clinician confirmed the patient's consent at reception (the confirmation's reason).</summary>
public enum ReceptionConsentReason
{
    /// <summary>口頭で本人に確認した.</summary>
    Verbal,

    /// <summary>同意書に署名を得た.</summary>
    WrittenForm,

    /// <summary>受付の資格確認端末（顔認証付きカードリーダー）で同意を得た.</summary>
    CardReader,

    /// <summary>その他 (free text required).</summary>
    Other,
}

/// <summary>The confirmation asked before a consent is recorded at reception.</summary>
public sealed record ReceptionConsentConfirmation(ReceptionConsentReason Reason, string? Text)
{
    public const int MaxTextLength = 200;
}

/// <summary>Records 「本日受付で同意を確認」: an outpatient consent, valid 24 hours, written to the central base.</summary>
public interface IConsentRecorder
{
    /// <summary>
    /// Writes the consent after the clinician confirmed it with a reason; audits it (shown in the record's who-viewed panel)
    /// and notifies the facility's administrators.
    /// </summary>
    Task<ConsentRecordOutcome> RecordReceptionConsentAsync(string patientId, ReceptionConsentConfirmation confirmation, CancellationToken cancellationToken);
}

internal sealed class ConsentRecorder(
    CentralFhirClient client,
    ICurrentUserAccessor currentUser,
    IAuditTrail audit,
    IPatientAccessGate gate,
    IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider time) : IConsentRecorder
{
    public async Task<ConsentRecordOutcome> RecordReceptionConsentAsync(
        string patientId, ReceptionConsentConfirmation confirmation, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        ArgumentNullException.ThrowIfNull(confirmation);
        var user = await currentUser.GetAsync(cancellationToken).ConfigureAwait(false);
        if (user?.ClinicalFacility is not { } code || !FhirSearchValue.IsValidId(patientId) || !Enum.IsDefined(confirmation.Reason))
        {
            return ConsentRecordOutcome.NotAllowed;
        }

        var text = string.IsNullOrWhiteSpace(confirmation.Text) ? null : confirmation.Text.Trim();
        if ((confirmation.Reason == ReceptionConsentReason.Other && text is null) || text?.Length > ReceptionConsentConfirmation.MaxTextLength)
        {
            return ConsentRecordOutcome.ReasonTextRequired;
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
        // The facility's administrators review self-service consents as they review emergency accesses.
        db.Add(new PortalNotification
        {
            Id = Guid.NewGuid(),
            FacilityCode = code,
            Kind = PortalNotificationKinds.ReceptionConsent,
            ActorUserId = user.UserId,
            ActorName = user.DisplayName,
            PatientId = patientId,
            ConsentReason = confirmation.Reason,
            ReasonText = text,
            CreatedUtc = now.UtcDateTime,
            EndsUtc = (now + ConsentFhir.ReceptionWindow).UtcDateTime,
        });
        await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
        await audit.RecordAsync(
            new AuditRecord(AuditAction.ConsentRecorded)
            {
                PatientId = patientId,
                // The reason's code only: the free text may name people and stays with the notification.
                Detail = $"{ConsentFhir.ReceptionCategoryCode};reason={confirmation.Reason.ToString().ToLowerInvariant()}",
            },
            CancellationToken.None).ConfigureAwait(false);
        return ConsentRecordOutcome.Recorded;
    }
}

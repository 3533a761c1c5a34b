namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>Starts a draft for a base patient (the record page's 「紹介状を作成」); implemented by <see cref="ReferralDraftService"/>.</summary>
public interface IReferralDraftStarter
{
    /// <summary>Creates a draft for the patient, prefilled from the shared record; see <see cref="ReferralDraftService.CreateAsync(string?, CancellationToken)"/>.</summary>
    Task<DraftCreateResult> CreateAsync(string? basePatientId, CancellationToken cancellationToken);
}

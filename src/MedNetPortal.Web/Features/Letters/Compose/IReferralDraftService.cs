namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>What the compose page asks of <see cref="ReferralDraftService"/> (the page's seam for its component tests).</summary>
public interface IReferralDraftService
{
    /// <inheritdoc cref="ReferralDraftService.CreateAsync(ReferralForm, CancellationToken)"/>
    Task<DraftCreateResult> CreateAsync(ReferralForm form, CancellationToken cancellationToken);

    /// <inheritdoc cref="ReferralDraftService.GetAsync(Guid, CancellationToken)"/>
    Task<ReferralDraftView?> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <inheritdoc cref="ReferralDraftService.SaveAsync(Guid, ReferralForm, long, bool, CancellationToken)"/>
    Task<DraftSaveResult> SaveAsync(Guid id, ReferralForm form, long expectedVersion, bool overwrite, CancellationToken cancellationToken);

    /// <inheritdoc cref="ReferralDraftService.PreviewAsync(Guid, CancellationToken)"/>
    Task<DraftPreview?> PreviewAsync(Guid id, CancellationToken cancellationToken);

    /// <inheritdoc cref="ReferralDraftService.SendAsync(Guid, CancellationToken)"/>
    Task<DraftSendResult> SendAsync(Guid id, CancellationToken cancellationToken);

    /// <inheritdoc cref="ReferralDraftService.CopySharedAsync(string, SharedResourceKind, string, string, CancellationToken)"/>
    Task<PickedSharedResource> CopySharedAsync(string basePatientId, SharedResourceKind kind, string resourceId, string label, CancellationToken cancellationToken);

    /// <inheritdoc cref="ReferralDraftService.SenderAsync(CancellationToken)"/>
    Task<ReferralSenderInfo> SenderAsync(CancellationToken cancellationToken);
}

namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>How an autosave ended.</summary>
public enum DraftSaveOutcome
{
    Saved,

    /// <summary>Someone (another tab) saved since this copy was loaded; nothing was written. See <see cref="DraftSaveResult.Current"/>.</summary>
    Conflict,

    /// <summary>No such draft for this user (deleted, another facility's, or none at all).</summary>
    NotFound,

    /// <summary>The letter was sent; a sent draft is not edited.</summary>
    AlreadySent,
}

/// <param name="Outcome">What happened.</param>
/// <param name="Version">The draft's version after the save (Saved) or the stored one (Conflict).</param>
/// <param name="SavedAt">When it was saved (UTC).</param>
/// <param name="Current">On a conflict, the stored draft (so the page can offer to overwrite or to load it).</param>
public sealed record DraftSaveResult(DraftSaveOutcome Outcome, long Version, DateTimeOffset? SavedAt, ReferralDraftView? Current = null);

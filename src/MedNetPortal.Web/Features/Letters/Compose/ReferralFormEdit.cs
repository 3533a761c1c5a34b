namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>
/// A change a compose section asks the page to make to the form. <paramref name="AtOnce"/>: a pick or a choice, saved
/// immediately; otherwise typing, saved when it pauses (<see cref="DraftAutosave"/>). The page applies nothing to a sent letter.
/// </summary>
public sealed record ReferralFormEdit(Action Apply, bool AtOnce = false);

using MedNetPortal.Fhir.Letters;

namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>How sending a draft ended.</summary>
public enum DraftSendOutcome
{
    /// <summary>See <see cref="DraftSendResult.Send"/>.</summary>
    Attempted,

    /// <summary>Problems found before sending (form or validator); nothing was sent.</summary>
    Invalid,

    NotFound,

    /// <summary>The destination does not receive letters electronically: print it instead.</summary>
    NotConnected,

    /// <summary>Someone changed the draft while the send was being prepared; nothing was sent. Reload and send again.</summary>
    Conflict,
}

public sealed record DraftSendResult(DraftSendOutcome Outcome, SendResult? Send, IReadOnlyList<ReferralProblem> Problems);

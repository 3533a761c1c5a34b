using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Patients;
using MedNetPortal.Web.Resources;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>What the send bar says after a send that did not go through, localised, and whether sending again is offered.</summary>
public sealed record ReferralSendFeedback(string Message, Severity Severity, bool CanRetry)
{
    /// <summary>
    /// The message for a send that stored nothing: what failed and what to do. Null for a stored letter and for a draft that is
    /// gone (the page says those its own way).
    /// </summary>
    public static ReferralSendFeedback? For(DraftSendResult result, IStringLocalizer<SharedResource> L)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(L);
        return result.Outcome switch
        {
            DraftSendOutcome.Attempted when result.Send is { IsStored: true } => null,
            // Sending again is safe: the base stores the letter once (the message says so).
            DraftSendOutcome.Attempted when result.Send is { } failed =>
                new(L["Referrals.Send.Failed", PatientText.Error(L, failed.FailureReason ?? FhirApiErrorReason.Unexpected)], Severity.Error, CanRetry: true),
            DraftSendOutcome.Invalid => new(L["Referrals.Send.Invalid"], Severity.Warning, CanRetry: false),
            DraftSendOutcome.NotConnected => new(L["Referrals.Destination.NotConnected"], Severity.Warning, CanRetry: false),
            DraftSendOutcome.Conflict => new(L["Referrals.Save.Conflict"], Severity.Warning, CanRetry: false),
            _ => null,
        };
    }
}

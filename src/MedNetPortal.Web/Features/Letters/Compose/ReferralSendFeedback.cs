using MudBlazor;

namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>What the send bar says after a send that did not go through, localised, and whether sending again is offered.</summary>
public sealed record ReferralSendFeedback(string Message, Severity Severity, bool CanRetry);

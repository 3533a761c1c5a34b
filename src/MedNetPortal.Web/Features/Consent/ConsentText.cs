using MedNetPortal.Web.Resources;
using Microsoft.Extensions.Localization;

namespace MedNetPortal.Web.Features.Consent;

/// <summary>Localised words for consent values (one literal key each, so the resource test sees them).</summary>
public static class ConsentText
{
    public static string Reason(IStringLocalizer<SharedResource> l, ReceptionConsentReason reason)
    {
        ArgumentNullException.ThrowIfNull(l);
        return reason switch
        {
            ReceptionConsentReason.Verbal => l["Consent.Confirm.Reason.Verbal"],
            ReceptionConsentReason.WrittenForm => l["Consent.Confirm.Reason.WrittenForm"],
            ReceptionConsentReason.CardReader => l["Consent.Confirm.Reason.CardReader"],
            _ => l["Consent.Confirm.Reason.Other"],
        };
    }
}

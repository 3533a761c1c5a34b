using Microsoft.Extensions.Localization;
using MedNetPortal.Web.Resources;
using MudBlazor;

namespace MedNetPortal.Web.Host.Localization;

/// <summary>
/// MudBlazor's own words (a nav group's expand button, a required field's message) from the portal's resources
/// (<c>MudBlazor.{key}</c>), so a screen reader hears Japanese on a Japanese page; keys the portal does not translate keep
/// MudBlazor's English.
/// </summary>
internal sealed class PortalMudLocalizer(IStringLocalizer<SharedResource> portal) : MudLocalizer
{
    public override LocalizedString this[string key]
    {
        get
        {
            var own = portal["MudBlazor." + key];
            return own.ResourceNotFound ? base[key] : new LocalizedString(key, own.Value);
        }
    }
}

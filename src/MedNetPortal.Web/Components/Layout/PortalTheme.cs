using MudBlazor;

namespace MedNetPortal.Web.Components.Layout;

/// <summary>The portal's colours and type: calm clinical teal, and fonts that render Japanese well on every platform.</summary>
internal static class PortalTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0b6e75",
            Secondary = "#3d5a80",
            AppbarBackground = "#0b6e75",
            Background = "#f6f8f9",
            DrawerBackground = "#ffffff",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["\"Noto Sans JP\"", "\"Hiragino Sans\"", "\"Yu Gothic UI\"", "Meiryo", "system-ui", "sans-serif"],
            },
        },
    };
}

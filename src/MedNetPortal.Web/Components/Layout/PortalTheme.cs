using MudBlazor;

namespace MedNetPortal.Web.Components.Layout;

/// <summary>
/// The portal's colours and type: calm clinical teal, and fonts that render Japanese well on every platform. Every colour
/// that carries text (as text, or behind white text in filled chips, buttons and alerts) is dark enough for WCAG 2.2 AA
/// (4.5:1) on white and on the page background; MudBlazor's defaults (warning #ff9800, info #2196f3, success #00c853,
/// error #f44336, secondary text at 54 % black) are not, and the end-to-end axe audit fails on them.
/// </summary>
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
            TextSecondary = "rgba(0,0,0,0.7)",
            Error = "#c62828",
            Warning = "#8f5600",
            Info = "#1565c0",
            Success = "#2e7d32",
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

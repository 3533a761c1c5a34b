using System.Globalization;

namespace MedNetPortal.Web.Host.Localization;

/// <summary>The UI languages: Japanese first and by default, English second.</summary>
public static class PortalCultures
{
    public const string Japanese = "ja-JP";
    public const string English = "en";
    public const string Default = Japanese;

    public static IReadOnlyList<string> Supported { get; } = [Japanese, English];

    /// <summary>Maps what a user or link asks for (<c>ja</c>, <c>ja-JP</c>, <c>en</c>, <c>en-GB</c>…) to a supported culture, or null.</summary>
    public static string? Normalize(string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested))
        {
            return null;
        }

        CultureInfo culture;
        try
        {
            culture = CultureInfo.GetCultureInfo(requested.Trim(), predefinedOnly: true);
        }
        catch (CultureNotFoundException)
        {
            return null;
        }

        return culture.TwoLetterISOLanguageName switch
        {
            "ja" => Japanese,
            "en" => English,
            _ => null,
        };
    }
}

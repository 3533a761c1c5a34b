using Microsoft.AspNetCore.Localization;

namespace MedNetPortal.Web.Host.Localization;

/// <summary>
/// Japanese by default; English by the culture cookie (set at <c>/culture/set</c>) or the browser's Accept-Language.
/// No query-string provider: nothing about the user belongs in URLs.
/// </summary>
public static class LocalizationExtensions
{
    public const string SetCulturePath = "/culture/set";

    public static IServiceCollection AddPortalLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.SetDefaultCulture(PortalCultures.Default)
                .AddSupportedCultures([.. PortalCultures.Supported])
                .AddSupportedUICultures([.. PortalCultures.Supported]);
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
            options.RequestCultureProviders =
            [
                new CookieRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return services;
    }

    /// <summary>
    /// <c>GET /culture/set?culture=en&amp;redirectUri=/some/page</c>: stores the choice in the culture cookie and returns to a
    /// local page (anything else, including <c>//host</c>, goes to <c>/</c>).
    /// </summary>
    public static IEndpointRouteBuilder MapCultureEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(SetCulturePath, (HttpContext context, string? culture, string? redirectUri) =>
        {
            var chosen = PortalCultures.Normalize(culture);
            if (chosen is null)
            {
                return Results.BadRequest();
            }

            context.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions
                {
                    Expires = DateTimeOffset.UtcNow.AddYears(1),
                    IsEssential = true,
                    HttpOnly = true,
                    SameSite = SameSiteMode.Lax,
                    Secure = context.Request.IsHttps,
                    Path = "/",
                });
            return Results.LocalRedirect(LocalOrHome(redirectUri));
        }).ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>
    /// <paramref name="url"/> when it is a local path, with anything outside printable ASCII percent-encoded (UTF-8) so it
    /// can go into a <c>Location</c> header (a raw non-ASCII character there is a 500); otherwise the home page.
    /// </summary>
    internal static string LocalOrHome(string? url)
    {
        if (!IsLocal(url))
        {
            return "/";
        }

        if (url.All(c => c is > ' ' and < '\u007f'))
        {
            return url;
        }

        var builder = new System.Text.StringBuilder(url.Length * 3);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < url.Length; i++)
        {
            var c = url[i];
            if (c is > ' ' and < '\u007f')
            {
                builder.Append(c);
                continue;
            }

            var length = char.IsHighSurrogate(c) && i + 1 < url.Length && char.IsLowSurrogate(url[i + 1])
                ? System.Text.Encoding.UTF8.GetBytes(url.AsSpan(i++, 2), utf8)
                : System.Text.Encoding.UTF8.GetBytes(url.AsSpan(i, 1), utf8);
            foreach (var b in utf8[..length])
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    internal static bool IsLocal([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? url) =>
        !string.IsNullOrEmpty(url)
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Contains("\\", StringComparison.Ordinal)
        && !url.Any(char.IsControl);
}

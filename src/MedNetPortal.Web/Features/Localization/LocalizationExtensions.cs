using Microsoft.AspNetCore.Localization;

namespace MedNetPortal.Web.Features.Localization;

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
            return Results.LocalRedirect(IsLocal(redirectUri) ? redirectUri! : "/");
        }).ExcludeFromDescription();
        return endpoints;
    }

    internal static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url)
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Contains("\\", StringComparison.Ordinal)
        && !url.Any(char.IsControl);
}

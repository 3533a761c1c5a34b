namespace MedNetPortal.Web.Host.Hosting;

/// <summary>
/// The portal listens on http://localhost:5080 unless <c>--urls</c>, <c>ASPNETCORE_URLS</c> (or the <c>*_HTTP_PORTS</c> /
/// <c>*_HTTPS_PORTS</c> settings) say otherwise. Not set in launchSettings, where it would override <c>ASPNETCORE_URLS</c>.
/// </summary>
internal static class DefaultUrl
{
    public const string Value = "http://localhost:5080";

    /// <summary>True when no configuration source chose where to listen.</summary>
    public static bool Applies(IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(configuration["urls"])
        && string.IsNullOrWhiteSpace(configuration["http_ports"])
        && string.IsNullOrWhiteSpace(configuration["https_ports"]);

    public static WebApplicationBuilder UseDefaultUrlUnlessConfigured(this WebApplicationBuilder builder)
    {
        if (Applies(builder.Configuration))
        {
            builder.WebHost.UseUrls(Value);
        }

        return builder;
    }
}

using System.Security.Cryptography;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.SignalR;

namespace MedNetPortal.Web.Host.Security;

/// <summary>
/// Response headers that keep the portal's pages from being framed, sniffed or fed foreign scripts, and the limits of the
/// Blazor Server circuits. One pair: <see cref="AddPortalSecurityHeaders"/> for the services, <see cref="UsePortalSecurityHeaders"/>
/// for the pipeline.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Where the per-response script nonce is kept in <see cref="HttpContext.Items"/>. Blazor's <c>&lt;ImportMap /&gt;</c> is an
    /// inline <c>&lt;script type="importmap"&gt;</c>; script-src 'self' blocks it unless it carries this nonce.
    /// </summary>
    public const string NonceItem = "MedNetPortal.CspNonce";

    /// <summary>
    /// 128 KB per incoming SignalR message instead of the default 32 KB. The compose page sends each field's whole text with
    /// every change, and Blazor puts that text in the event twice (the event's value and the field's value for the DOM
    /// diff): a 10,000-character Japanese field (3 bytes per character in UTF-8) is ~60 KB per event. With 32 KB such an
    /// event is refused and the text never reaches the server (proven by the end-to-end test before this was raised).
    /// 128 KB leaves room for 4-byte characters; larger would only let one browser make the server buffer more.
    /// </summary>
    public const long MaximumReceiveMessageSize = 128 * 1024;

    public static IServiceCollection AddPortalSecurityHeaders(this IServiceCollection services)
    {
        services.Configure<HubOptions>(o => o.MaximumReceiveMessageSize = MaximumReceiveMessageSize);
        services.Configure<CircuitOptions>(o =>
        {
            // A dropped connection (laptop lid, ward Wi-Fi, a phone call on the tablet) keeps its circuit and the typed,
            // not-yet-saved state for 3 minutes; after that the reconnect UI asks for a reload and drafts come from the database.
            o.DisconnectedCircuitRetentionPeriod = TimeSpan.FromMinutes(3);
            // At most 100 disconnected circuits are kept (oldest evicted first): bounds what abandoned tabs can hold in memory
            // on one small instance sized for about 100 clinicians (issue 7).
            o.DisconnectedCircuitMaxRetained = 100;
        });
        return services;
    }

    /// <summary>
    /// Outside Development: HSTS for a year, subdomains included (a clinic network names its hosts under one domain, and a
    /// first visit to a sibling over plain HTTP is the attack HSTS exists for), and an antiforgery cookie sent only over HTTPS
    /// (the session cookie already is, Features/Account).
    /// </summary>
    public static IServiceCollection AddPortalTransportSecurity(this IServiceCollection services, IHostEnvironment environment, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(configuration);
        // Where plain HTTP is sent: the configured https_port, else 443 (Kestrel here usually listens on plain HTTP behind a
        // TLS-terminating proxy, so the port cannot be discovered, and without one the redirection would silently not happen).
        services.AddHttpsRedirection(o => o.HttpsPort = configuration.GetValue<int?>("https_port") ?? 443);
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = true;
        });
        if (!environment.IsDevelopment())
        {
            services.AddAntiforgery(o => o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.Always);
        }

        return services;
    }

    /// <summary>
    /// Outside Development: HSTS and a redirect of plain HTTP to HTTPS (behind a proxy, list it in Proxy:KnownProxies so its
    /// X-Forwarded-Proto is believed). Not for <c>/health</c> (load balancers probe over plain HTTP and count a redirect as
    /// down) nor for the FHIR base's API, whose clients must not be redirected (they would resend credentials).
    /// </summary>
    public static IApplicationBuilder UsePortalTransportSecurity(this IApplicationBuilder app, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!environment.IsDevelopment())
        {
            app.UseHsts();
            var fhirBase = app.ApplicationServices.GetService<Microsoft.Extensions.Options.IOptions<MedNetPortal.FhirBase.FhirBaseOptions>>()?.Value;
            app.UseWhen(
                context => !context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
                           && !(fhirBase is { Enabled: true } && context.Request.Path.StartsWithSegments(fhirBase.PathBase.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)),
                branch => branch.UseHttpsRedirection());
        }

        return app;
    }

    /// <summary>Adds the headers to every response, pages, static files, the /fhir API and error pages alike.</summary>
    public static IApplicationBuilder UsePortalSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // Hex, not Base64: the value goes into an HTML attribute unchanged ("+" and "/" would be entity-encoded).
            var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceItem] = nonce;
            // Set when the response starts, not now: outside Development the static-asset endpoint replaces the response
            // headers it was given (seen in the integration test), which would drop headers set up front.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce);
                headers.XContentTypeOptions = "nosniff";
                // Patient and letter ids are in our URLs: no address leaves the portal in a Referer.
                headers["Referrer-Policy"] = "no-referrer";
                return Task.CompletedTask;
            });
            return next(context);
        });

    /// <summary>The nonce of this response, for the inline import map (null outside a request through the middleware).</summary>
    public static string? Nonce(HttpContext? context) => context?.Items[NonceItem] as string;

    /// <summary>
    /// Only what Blazor Server and MudBlazor need. Scripts: our own files plus the import map by nonce; blazor.web.js and
    /// MudBlazor need neither 'unsafe-inline' nor 'unsafe-eval' (the WebAssembly runtime, which would need 'wasm-unsafe-eval',
    /// is not used). Styles need 'unsafe-inline': MudBlazor renders style attributes and a &lt;style&gt; element for its theme,
    /// and Blazor sets style attributes when it patches the DOM. connect-src 'self' covers the SignalR WebSocket to the same
    /// host and port (CSP Level 3; Chromium enforces it so). data: for images and fonts: MudBlazor's inline SVG data URIs.
    /// </summary>
    internal static string ContentSecurityPolicy(string nonce) =>
        "default-src 'self'; "
        + $"script-src 'self' 'nonce-{nonce}'; "
        + "style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data:; "
        + "font-src 'self' data:; "
        + "connect-src 'self'; "
        + "frame-ancestors 'none'; "
        + "base-uri 'self'; "
        + "form-action 'self'; "
        + "object-src 'none'";
}

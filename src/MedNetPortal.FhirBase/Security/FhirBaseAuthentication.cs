using System.Security.Claims;
using Hl7.Fhir.Model;
using MedNetPortal.FhirBase.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace MedNetPortal.FhirBase.Security;

/// <summary>
/// Bearer tokens for the base, validated by Microsoft.AspNetCore.Authentication.JwtBearer under its own scheme (the portal's
/// cookie stays the host's default). Embedded: the embedded authority's key, issuer and audience, no metadata fetched.
/// External: the configured authority's published keys and the configured audience.
/// </summary>
internal static class FhirBaseAuthentication
{
    public const string Scheme = "MedNetPortal.FhirBase.Bearer";

    /// <summary>Section <c>FhirBase:Auth</c>, validated at start-up when the base is enabled.</summary>
    public static void AddOptions(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FhirBaseAuthOptions>()
            .Bind(configuration.GetSection(FhirBaseAuthOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<FhirBaseAuthOptions>, FhirBaseAuthOptionsValidator>();
    }

    /// <summary>Registers the bearer scheme and (unless the configuration says External) the embedded authority.</summary>
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<EmbeddedSigningKey>();
        services.AddHostedService<EmbeddedSigningKeyInitializer>();
        services.AddAuthentication().AddJwtBearer(Scheme, _ => { });
        services.AddOptions<JwtBearerOptions>(Scheme)
            .Configure<IOptions<FhirBaseAuthOptions>, IHostEnvironment, IServiceProvider>((jwt, auth, environment, provider) =>
            {
                var options = auth.Value;
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters.ValidAudience = options.Audience;
                jwt.TokenValidationParameters.ClockSkew = TimeSpan.FromMinutes(1);
                jwt.TokenValidationParameters.RequireExpirationTime = true;
                if (options.EffectiveMode(environment) == FhirBaseAuthMode.External)
                {
                    jwt.Authority = options.Authority;
                    jwt.Audience = options.Audience;
                    jwt.RequireHttpsMetadata = !environment.IsDevelopment();
                    return;
                }
                var key = provider.GetRequiredService<EmbeddedSigningKey>().Key;
                jwt.RequireHttpsMetadata = false;
                jwt.TokenValidationParameters.ValidIssuer = options.Issuer;
                jwt.TokenValidationParameters.IssuerSigningKey = key;
                jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.RsaSha256];
                // RFC 9068 access tokens only: an identity token or another JWT signed by the same key is not a key to the base.
                jwt.TokenValidationParameters.ValidTypes = ["at+jwt"];
            });

        // Anything but an explicit External runs the embedded authority; an empty mode outside Development fails validation.
        if (!string.Equals(configuration[$"{FhirBaseAuthOptions.SectionName}:Mode"]?.Trim(), nameof(FhirBaseAuthMode.External), StringComparison.OrdinalIgnoreCase))
        {
            EmbeddedAuthority.Add(services);
        }
    }

    /// <summary>
    /// The access of the request's bearer token. No token: 401 with <c>WWW-Authenticate: Bearer</c>; a token that is expired,
    /// badly signed, for another audience or issuer: 401 with <c>error="invalid_token"</c>.
    /// </summary>
    public static async Task<FhirAccess> AuthenticateAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(Scheme);
        if (result.Succeeded)
        {
            return FhirAccess.From(Scopes(result.Principal), ClientOf(result.Principal));
        }
        if (result.None)
        {
            throw Unauthorized("Bearer realm=\"fhir\"", "This FHIR base needs an OAuth 2.0 bearer token (client credentials; see [base]/.well-known/smart-configuration).");
        }
        var reason = result.Failure is SecurityTokenExpiredException ? "The access token has expired." : "The access token is not valid for this server.";
        throw Unauthorized($"Bearer realm=\"fhir\", error=\"invalid_token\", error_description=\"{reason}\"", reason + " Request a new one from the token endpoint.");
    }

    /// <summary>403 for a token without the scope an interaction needs (RFC 6750 <c>insufficient_scope</c>).</summary>
    public static FhirException Forbidden(string diagnostics, string neededScope, string? expression = null)
    {
        var e = new FhirException(403, OperationOutcome.IssueType.Forbidden, diagnostics, expression);
        e.Data[WwwAuthenticate] = $"Bearer realm=\"fhir\", error=\"insufficient_scope\", scope=\"{neededScope}\"";
        return e;
    }

    public const string WwwAuthenticate = "WWW-Authenticate";

    private static FhirException Unauthorized(string challenge, string diagnostics)
    {
        var e = new FhirException(401, OperationOutcome.IssueType.Login, diagnostics);
        e.Data[WwwAuthenticate] = challenge;
        return e;
    }

    /// <summary>
    /// The token's scopes: <c>scope</c> (RFC 9068, space-separated) and <c>scp</c> (Entra ID delegated), and <c>roles</c>
    /// (Entra ID application permissions: app roles whose values are SMART scopes, e.g. <c>system/Patient.rs</c>).
    /// </summary>
    private static IEnumerable<string> Scopes(ClaimsPrincipal principal) =>
        principal.Claims
            .Where(c => c.Type is "scope" or "scp" or "roles")
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static string ClientOf(ClaimsPrincipal principal) =>
        principal.FindFirst("client_id")?.Value ?? principal.FindFirst("azp")?.Value ?? principal.FindFirst("appid")?.Value
        ?? principal.FindFirst("sub")?.Value ?? "unknown";
}

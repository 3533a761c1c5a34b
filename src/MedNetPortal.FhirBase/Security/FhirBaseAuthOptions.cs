using System.Text.RegularExpressions;
using MedNetPortal.FhirBase.Search;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MedNetPortal.FhirBase.Security;

/// <summary>How the base authenticates its clients (<c>FhirBase:Auth:Mode</c>).</summary>
public enum FhirBaseAuthMode
{
    /// <summary>This host is the OAuth authority: a client-credentials token endpoint at <c>[base]/auth/token</c> for the clients in <c>FhirBase:Auth:Clients</c>.</summary>
    Embedded,

    /// <summary>Tokens come from an outside OpenID Connect issuer (Microsoft Entra ID or any other) named by <c>FhirBase:Auth:Authority</c>.</summary>
    External,
}

/// <summary>
/// Section <c>FhirBase:Auth</c>: who may call the embedded base. Every interaction except <c>GET [base]/metadata</c> and
/// <c>GET [base]/.well-known/smart-configuration</c> needs a bearer token whose SMART system scopes allow it.
/// </summary>
public sealed class FhirBaseAuthOptions
{
    public const string SectionName = "FhirBase:Auth";

    /// <summary>Default issuer of the embedded authority's tokens and the audience they are for.</summary>
    public const string DefaultIssuer = "urn:mednetportal:fhirbase";

    /// <summary><c>Embedded</c> or <c>External</c>. Empty: <c>Embedded</c> in Development; elsewhere start-up stops.</summary>
    public string? Mode { get; set; }

    /// <summary>Embedded: the <c>iss</c> of the tokens issued (fixed, so tokens do not depend on the address the host listens on).</summary>
    public string Issuer { get; set; } = DefaultIssuer;

    /// <summary>The <c>aud</c> a token must carry. Embedded: what the token endpoint puts in. External: the base's App ID URI or client id.</summary>
    public string Audience { get; set; } = DefaultIssuer;

    /// <summary>External: the OpenID Connect authority whose signing keys are trusted (its <c>/.well-known/openid-configuration</c> is read).</summary>
    public string? Authority { get; set; }

    /// <summary>External: the token endpoint outside clients are sent to by <c>[base]/.well-known/smart-configuration</c>.</summary>
    public string? TokenEndpoint { get; set; }

    /// <summary>
    /// Embedded: PEM file with the RSA private key that signs tokens. Empty: <c>fhirbase-signing-key.pem</c> in
    /// <c>Storage:DataDirectory</c>, created (mode 0600) at first start. Instances that share the key accept each other's tokens.
    /// </summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>Embedded: access-token lifetime in seconds, 60–3600. Default 300, as SMART Backend Services recommends.</summary>
    public int AccessTokenLifetimeSeconds { get; set; } = 300;

    /// <summary>Embedded: the registered clients by client id (<c>FhirBase:Auth:Clients:&lt;id&gt;:Secret</c>, <c>…:Scopes</c>).</summary>
    public Dictionary<string, FhirBaseClientOptions> Clients { get; } = new(StringComparer.Ordinal);

    /// <summary>The mode in force: the configured one, or <see cref="FhirBaseAuthMode.Embedded"/> in Development when empty; null when unusable.</summary>
    public FhirBaseAuthMode? EffectiveMode(IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (string.IsNullOrWhiteSpace(Mode))
        {
            return environment.IsDevelopment() ? FhirBaseAuthMode.Embedded : null;
        }
        return Enum.TryParse<FhirBaseAuthMode>(Mode.Trim(), ignoreCase: true, out var mode) && Enum.IsDefined(mode) ? mode : null;
    }
}

/// <summary>One client of the embedded authority.</summary>
public sealed class FhirBaseClientOptions
{
    /// <summary>The client secret (at least 16 characters), sent with HTTP Basic or as <c>client_secret</c>.</summary>
    public string? Secret { get; set; }

    /// <summary>Space-separated SMART system scopes the client may be granted, e.g. <c>system/*.rs system/AuditEvent.c</c>.</summary>
    public string? Scopes { get; set; }

    internal IReadOnlyList<SmartScope> AllowedScopes() =>
        (Scopes ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => SmartScope.TryParse(s, out var scope) ? scope : (SmartScope?)null)
            .Where(s => s is not null)
            .Select(s => s!.Value)
            .ToList();
}

/// <summary>Validates <see cref="FhirBaseAuthOptions"/> when the base is enabled; every message names its key.</summary>
internal sealed partial class FhirBaseAuthOptionsValidator(IHostEnvironment environment, IOptions<FhirBaseOptions> fhirBase)
    : IValidateOptions<FhirBaseAuthOptions>
{
    public const int MinimumSecretLength = 16;

    public ValidateOptionsResult Validate(string? name, FhirBaseAuthOptions options)
    {
        if (!fhirBase.Value.Enabled)
        {
            return ValidateOptionsResult.Success;
        }
        var failures = new List<string>();
        var mode = options.EffectiveMode(environment);
        if (mode is null)
        {
            failures.Add(string.IsNullOrWhiteSpace(options.Mode)
                ? "FhirBase:Auth:Mode must be set (Embedded or External) when FhirBase:Enabled is true: outside Development the base does not run without authentication."
                : $"FhirBase:Auth:Mode must be Embedded or External, not '{options.Mode}'.");
            return ValidateOptionsResult.Fail(failures);
        }
        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add("FhirBase:Auth:Audience must not be empty.");
        }
        if (mode == FhirBaseAuthMode.Embedded)
        {
            ValidateEmbedded(options, failures);
        }
        else
        {
            ValidateExternal(options, failures);
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateEmbedded(FhirBaseAuthOptions options, List<string> failures)
    {
        if (!Uri.TryCreate(options.Issuer, UriKind.Absolute, out _))
        {
            failures.Add("FhirBase:Auth:Issuer must be an absolute URI (e.g. urn:mednetportal:fhirbase).");
        }
        if (options.AccessTokenLifetimeSeconds is < 60 or > 3600)
        {
            failures.Add("FhirBase:Auth:AccessTokenLifetimeSeconds must be between 60 and 3600.");
        }
        if (!string.IsNullOrWhiteSpace(options.SigningKeyFile))
        {
            if (!File.Exists(options.SigningKeyFile))
            {
                failures.Add($"FhirBase:Auth:SigningKeyFile names a file that does not exist ({options.SigningKeyFile}).");
            }
            else if (!EmbeddedSigningKey.IsRsaPrivateKey(options.SigningKeyFile))
            {
                failures.Add("FhirBase:Auth:SigningKeyFile must hold an RSA private key in PEM form (e.g. made with openssl genpkey -algorithm RSA).");
            }
        }
        foreach (var (id, client) in options.Clients)
        {
            var key = $"FhirBase:Auth:Clients:{id}";
            if (!ClientIdPattern().IsMatch(id))
            {
                failures.Add($"{key}: a client id is 1–64 letters, digits, '.', '_' or '-'.");
            }
            if (string.IsNullOrEmpty(client.Secret) || client.Secret.Length < MinimumSecretLength)
            {
                failures.Add($"{key}:Secret must be at least {MinimumSecretLength} characters.");
            }
            var scopes = (client.Scopes ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (scopes.Length == 0)
            {
                failures.Add($"{key}:Scopes must list the SMART system scopes the client may use (e.g. system/*.rs).");
            }
            foreach (var scope in scopes)
            {
                if (!SmartScope.TryParse(scope, out var parsed))
                {
                    failures.Add($"{key}:Scopes: '{scope}' is not a SMART system scope (system/<Type or *>.<cruds>, or v1 .read/.write/.*).");
                }
                else if (parsed.Type != "*" && !SearchParameterRegistry.TryGet(parsed.Type, out _))
                {
                    failures.Add($"{key}:Scopes: '{scope}' names a resource type this base does not serve.");
                }
            }
        }
    }

    private void ValidateExternal(FhirBaseAuthOptions options, List<string> failures)
    {
        var https = !environment.IsDevelopment();
        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority)
            || (authority.Scheme != Uri.UriSchemeHttps && (https || authority.Scheme != Uri.UriSchemeHttp)))
        {
            failures.Add("FhirBase:Auth:Authority must be the https URL of the OpenID Connect issuer when FhirBase:Auth:Mode is External.");
        }
        if (!Uri.TryCreate(options.TokenEndpoint, UriKind.Absolute, out var token)
            || (token.Scheme != Uri.UriSchemeHttps && token.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add("FhirBase:Auth:TokenEndpoint must be the absolute URL of the issuer's token endpoint when FhirBase:Auth:Mode is External.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex ClientIdPattern();
}

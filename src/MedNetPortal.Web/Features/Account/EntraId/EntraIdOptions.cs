using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Features.Account.EntraId;

/// <summary>
/// Section <c>AzureAd</c>, read by Microsoft.Identity.Web (<c>AddMicrosoftIdentityWebApp</c>); this class exists so that the
/// keys the portal needs in Entra ID mode are checked at start-up, each failure naming its key. A client certificate may be
/// given instead of <see cref="ClientSecret"/> in Microsoft.Identity.Web's own shape (<c>AzureAd:ClientCredentials</c> or
/// <c>AzureAd:ClientCertificates</c>).
/// </summary>
public sealed class EntraIdOptions
{
    public const string SectionName = "AzureAd";

    /// <summary>The authority's host, e.g. <c>https://login.microsoftonline.com/</c>.</summary>
    public string Instance { get; set; } = string.Empty;

    /// <summary>The directory (tenant) id or domain.</summary>
    public string TenantId { get; set; } = string.Empty;

    /// <summary>The portal's application (client) id.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The client secret (or use a certificate, see the class summary).</summary>
    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>Where Entra ID returns after sign-in; must be registered as a redirect URI of the app (usually <c>/signin-oidc</c>).</summary>
    public string CallbackPath { get; set; } = string.Empty;

    /// <summary>Where Entra ID returns after sign-out. Default <c>/signout-callback-oidc</c>.</summary>
    public string SignedOutCallbackPath { get; set; } = "/signout-callback-oidc";
}

/// <summary>Validates <see cref="EntraIdOptions"/> in Entra ID mode; every message names the key.</summary>
internal sealed class EntraIdOptionsValidator(IConfigurationSection azureAd) : IValidateOptions<EntraIdOptions>
{
    public ValidateOptionsResult Validate(string? name, EntraIdOptions options)
    {
        var failures = new List<string>();
        var prefix = azureAd.Path;
        if (string.IsNullOrWhiteSpace(options.Instance))
        {
            failures.Add($"{prefix}:Instance is required when Authentication:Mode is EntraId (e.g. https://login.microsoftonline.com/).");
        }
        else if (!Uri.TryCreate(options.Instance, UriKind.Absolute, out var instance) || instance.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"{prefix}:Instance must be an absolute https URL (e.g. https://login.microsoftonline.com/).");
        }

        if (string.IsNullOrWhiteSpace(options.TenantId))
        {
            failures.Add($"{prefix}:TenantId is required when Authentication:Mode is EntraId.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add($"{prefix}:ClientId is required when Authentication:Mode is EntraId.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientSecret)
            && !azureAd.GetSection("ClientCredentials").GetChildren().Any()
            && !azureAd.GetSection("ClientCertificates").GetChildren().Any())
        {
            failures.Add($"{prefix}:ClientSecret is required when Authentication:Mode is EntraId (or a certificate in {prefix}:ClientCredentials).");
        }

        foreach (var (key, value) in new[] { ("CallbackPath", options.CallbackPath), ("SignedOutCallbackPath", options.SignedOutCallbackPath) })
        {
            if (string.IsNullOrWhiteSpace(value) || !value.StartsWith('/') || value.StartsWith("//", StringComparison.Ordinal))
            {
                failures.Add($"{prefix}:{key} is required and must be a path on this site starting with '/'.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

namespace MedNetPortal.Web.Features.Demo;

/// <summary>
/// Section <c>Import</c>: the OAuth client the <c>import</c> command writes to the central base with (its own client, not
/// the portal's). Read by the command only; it stops with exit code 2 naming the key when the secret is missing.
/// </summary>
public sealed class ImportOptions
{
    public const string SectionName = "Import";

    /// <summary>The client id at the base's authority. Default <c>import</c>.</summary>
    public string ClientId { get; set; } = "import";

    /// <summary>Its secret. Empty with the embedded base: <c>FhirBase:Auth:Clients:&lt;ClientId&gt;:Secret</c>.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Space-separated scopes to ask for; empty: the client's registered scopes.</summary>
    public string? Scopes { get; set; }

    /// <summary>The token endpoint; empty: read from the base's <c>.well-known/smart-configuration</c>.</summary>
    public string? TokenEndpoint { get; set; }
}

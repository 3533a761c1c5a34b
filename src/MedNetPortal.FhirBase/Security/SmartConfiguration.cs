using System.Text;
using System.Text.Json;
using MedNetPortal.FhirBase.Search;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MedNetPortal.FhirBase.Security;

/// <summary>
/// <c>GET [base]/.well-known/smart-configuration</c> (SMART App Launch 2, as Backend Services uses it): where to get a token,
/// how to authenticate there, and which scopes exist. Anonymous, like <c>metadata</c>.
/// </summary>
internal static class SmartConfiguration
{
    /// <summary>The token endpoint clients are sent to: <c>[base]/auth/token</c> (Embedded) or <c>FhirBase:Auth:TokenEndpoint</c> (External).</summary>
    public static string TokenEndpoint(IServiceProvider services, string baseUrl)
    {
        var options = services.GetRequiredService<IOptions<FhirBaseAuthOptions>>().Value;
        return IsExternal(services, options) ? options.TokenEndpoint! : $"{baseUrl}/{EmbeddedAuthority.TokenPath}";
    }

    public static string Json(IServiceProvider services, string baseUrl)
    {
        var options = services.GetRequiredService<IOptions<FhirBaseAuthOptions>>().Value;
        var external = IsExternal(services, options);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("token_endpoint", TokenEndpoint(services, baseUrl));
            Array(json, "grant_types_supported", ["client_credentials"]);
            Array(json, "token_endpoint_auth_methods_supported",
                external ? ["client_secret_basic", "client_secret_post", "private_key_jwt"] : ["client_secret_basic", "client_secret_post"]);
            Array(json, "scopes_supported", ScopesSupported());
            Array(json, "capabilities",
                external
                    ? ["client-confidential-symmetric", "client-confidential-asymmetric", "permission-v1", "permission-v2"]
                    : ["client-confidential-symmetric", "permission-v1", "permission-v2"]);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static IEnumerable<string> ScopesSupported() =>
        new[] { "*" }.Concat(SearchParameterRegistry.All.Keys.Order(StringComparer.Ordinal))
            .SelectMany(t => new[] { $"system/{t}.cruds", $"system/{t}.rs" })
            .Concat(["system/*.read", "system/*.write"]);

    private static bool IsExternal(IServiceProvider services, FhirBaseAuthOptions options) =>
        options.EffectiveMode(services.GetRequiredService<IHostEnvironment>()) == FhirBaseAuthMode.External;

    private static void Array(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }
        json.WriteEndArray();
    }
}

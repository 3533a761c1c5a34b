using MedNetPortal.Fhir;
using MedNetPortal.FhirBase;
using MedNetPortal.FhirBase.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Host.Hosting;

/// <summary>
/// Where the typed FHIR client finds the embedded base when <c>CentralFhir:BaseUrl</c> is empty: this server's own listening
/// address plus <c>FhirBase:PathBase</c>. Wildcard hosts (0.0.0.0, *, +, [::]) become loopback addresses.
/// </summary>
public static class EmbeddedBaseAddress
{
    /// <summary>
    /// Resolves the embedded base's address (ending in <c>/</c>, e.g. <c>http://127.0.0.1:5080/fhir/</c>) from the running server.
    /// Call it when a request is made, not at start-up: the addresses are known only once the server listens.
    /// </summary>
    public static Uri Resolve(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var pathBase = services.GetService<IOptions<FhirBaseOptions>>()?.Value.PathBase ?? new FhirBaseOptions().PathBase;
        return Resolve(addresses, pathBase);
    }

    internal static Uri Resolve(IEnumerable<string> serverAddresses, string pathBase)
    {
        var candidates = serverAddresses.Select(BindingAddress.Parse).ToList();
        // Prefer plain HTTP: a loopback call needs no certificate.
        var chosen = candidates.FirstOrDefault(a => a.Scheme == Uri.UriSchemeHttp) ?? candidates.FirstOrDefault()
            ?? throw new InvalidOperationException(
                "The embedded FHIR base's address is not known: the server has no listening address yet. Set CentralFhir:BaseUrl or call the client after start-up.");

        var host = chosen.Host switch
        {
            "0.0.0.0" or "*" or "+" => "127.0.0.1",
            "[::]" or "::" => "localhost",
            var other => other,
        };
        var path = "/" + pathBase.Trim('/');
        var builder = new UriBuilder(chosen.Scheme, host, chosen.Port, path == "/" ? "/" : path + "/");
        return builder.Uri;
    }

    /// <summary>
    /// Without the embedded base there is nothing to fall back to, so <c>CentralFhir:BaseUrl</c> becomes required. Read from
    /// configuration rather than the options classes so the check holds whichever way those are registered.
    /// </summary>
    internal static IServiceCollection AddCentralBaseRequirement(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FhirBaseOptions>()
            .Validate(
                _ => !string.IsNullOrWhiteSpace(configuration["CentralFhir:BaseUrl"])
                     || (bool.TryParse(configuration["FhirBase:Enabled"], out var enabled) && enabled),
                "CentralFhir:BaseUrl is required when FhirBase:Enabled is false (there is no embedded base to use)")
            .ValidateOnStart();
        // The portal calling the embedded base on this same host: its client secret is the one registered at that base, so
        // a deployment sets it once (FhirBase:Auth:Clients:<id>:Secret) rather than twice.
        services.AddOptions<CentralFhirOptions>().PostConfigure<IOptions<FhirBaseAuthOptions>>((client, auth) =>
        {
            if (string.IsNullOrWhiteSpace(client.BaseUrl) && string.IsNullOrEmpty(client.ClientSecret)
                && client.ClientId is { Length: > 0 } id && auth.Value.Clients.TryGetValue(id.Trim(), out var registered))
            {
                client.ClientSecret = registered.Secret;
            }
        });
        return services;
    }
}

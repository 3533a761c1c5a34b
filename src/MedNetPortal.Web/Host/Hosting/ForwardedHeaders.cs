using MedNetPortal.Fhir.Options;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Host.Hosting;

/// <summary>Client address and scheme from a trusted reverse proxy (<see cref="ProxyOptions"/>).</summary>
public static class ForwardedHeadersExtensions
{
    public static IServiceCollection AddPortalForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ProxyOptions>(configuration, ProxyOptions.SectionName);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxy) =>
        {
            var proxies = proxy.Value.Addresses;
            // No proxy listed: read no header at all (with both lists empty the middleware would believe every sender).
            forwarded.ForwardedHeaders = proxies.Count == 0
                ? ForwardedHeaders.None
                : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the configured proxies: the framework's default also trusts loopback, which a same-host process could abuse.
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            foreach (var address in proxies)
            {
                forwarded.KnownProxies.Add(address);
            }
        });
        return services;
    }

    /// <summary>First in the pipeline, so that everything after it (audit, rate limits, HSTS) sees the real client.</summary>
    public static IApplicationBuilder UsePortalForwardedHeaders(this IApplicationBuilder app) => app.UseForwardedHeaders();
}

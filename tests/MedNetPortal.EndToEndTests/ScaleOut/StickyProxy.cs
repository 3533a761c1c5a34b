using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace MedNetPortal.EndToEndTests.ScaleOut;

/// <summary>
/// A real reverse proxy (YARP) on 127.0.0.1 in front of several portal instances, configured as docs/deployment.md
/// describes: sticky sessions by cookie (a Blazor circuit lives in one instance's memory, so the browser's page and its
/// SignalR connection must reach the same one), WebSockets passed through, the browser's Host header kept, X-Forwarded-For and
/// X-Forwarded-Proto added, and health checks
/// (active on <c>/health</c> every second, passive on transport failures) so that a stopped instance's users are
/// redistributed to the others.
/// </summary>
public sealed class StickyProxy : IAsyncDisposable
{
    public const string AffinityCookie = ".MedNetPortal.Instance";

    private readonly WebApplication app;
    private readonly Dictionary<string, string> recorded = new(StringComparer.Ordinal);

    private StickyProxy(WebApplication app) => this.app = app;

    public Uri RootUri { get; private set; } = null!;

    /// <summary>The instance (destination id) that the latest Blazor connection request went to, or null.</summary>
    public string? LastCircuitInstance
    {
        get
        {
            lock (recorded)
            {
                return recorded.GetValueOrDefault("_blazor");
            }
        }
    }

    public static async Task<StickyProxy> StartAsync(IReadOnlyDictionary<string, Uri> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var cluster = new ClusterConfig
        {
            ClusterId = "portal",
            LoadBalancingPolicy = "RoundRobin",
            SessionAffinity = new SessionAffinityConfig
            {
                Enabled = true,
                Policy = "Cookie",
                FailurePolicy = "Redistribute",
                AffinityKeyName = AffinityCookie,
                Cookie = new SessionAffinityCookieConfig { HttpOnly = true, SameSite = SameSiteMode.Lax },
            },
            HealthCheck = new HealthCheckConfig
            {
                AvailableDestinationsPolicy = "HealthyOrPanic",
                Active = new ActiveHealthCheckConfig { Enabled = true, Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(2), Path = "/health", Policy = "ConsecutiveFailures" },
                Passive = new PassiveHealthCheckConfig { Enabled = true, Policy = "TransportFailureRate", ReactivationPeriod = TimeSpan.FromSeconds(30) },
            },
            Destinations = instances.ToDictionary(i => i.Key, i => new DestinationConfig { Address = i.Value.ToString() }),
        };
        var route = new RouteConfig
        {
            RouteId = "all",
            ClusterId = "portal",
            Match = new RouteMatch { Path = "{**rest}" },
            // The browser's Host reaches the portal (nginx: proxy_set_header Host $host): the absolute URLs Blazor builds (the
            // redirect after signing in) must name the proxy, or the browser is sent past it to an instance.
            Transforms = [new Dictionary<string, string> { ["RequestHeaderOriginalHost"] = "true" }],
        };
        builder.Services.AddReverseProxy().LoadFromMemory([route], [cluster]);
        var app = builder.Build();
        var proxy = new StickyProxy(app);
        app.MapReverseProxy(pipeline =>
        {
            pipeline.UseSessionAffinity();
            pipeline.UseLoadBalancing();
            pipeline.Use(async (context, next) =>
            {
                if (context.Request.Path.StartsWithSegments("/_blazor")
                    && context.GetReverseProxyFeature().AvailableDestinations is [var destination])
                {
                    lock (proxy.recorded)
                    {
                        proxy.recorded["_blazor"] = destination.DestinationId;
                    }
                }

                await next();
            });
            pipeline.UsePassiveHealthChecks();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        proxy.RootUri = new Uri(address.TrimEnd('/') + "/");
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

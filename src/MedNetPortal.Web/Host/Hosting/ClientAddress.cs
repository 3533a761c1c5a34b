using System.Net;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MedNetPortal.Web.Host.Hosting;

/// <summary>
/// The client address of the current scope, for the audit trail and the rate limits. A request scope (static rendering,
/// endpoints, the sign-in forms) reads it from the request; a Blazor circuit has no request of its own once open, so
/// <see cref="ClientAddressCircuitHandler"/> captures it from the SignalR connection when the circuit opens and on each reconnect.
/// </summary>
public sealed class ClientAddress(IHttpContextAccessor httpContext)
{
    private IPAddress? circuitAddress;

    /// <summary>The address (IPv4-mapped IPv6 addresses as IPv4), or null when unknown.</summary>
    public IPAddress? Value => Normalise(circuitAddress ?? httpContext.HttpContext?.Connection.RemoteIpAddress);

    /// <summary><see cref="Value"/> as text.</summary>
    public string? Current => Value?.ToString();

    internal void SetFromConnection(HttpContext? context)
    {
        if (context?.Connection.RemoteIpAddress is { } address)
        {
            circuitAddress = address;
        }
    }

    internal static string? Format(HttpContext? context) => Normalise(context?.Connection.RemoteIpAddress)?.ToString();

    private static IPAddress? Normalise(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}

/// <summary>Captures the client address for a circuit's scope while the hub call that opens (or reconnects) it runs.</summary>
internal sealed class ClientAddressCircuitHandler(ClientAddress address, IHttpContextAccessor httpContext) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        address.SetFromConnection(httpContext.HttpContext);
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        address.SetFromConnection(httpContext.HttpContext);
        return Task.CompletedTask;
    }
}

public static class ClientAddressExtensions
{
    /// <summary>Registers <see cref="ClientAddress"/> and its circuit handler once, whichever feature asks first.</summary>
    public static IServiceCollection AddClientAddress(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.TryAddScoped<ClientAddress>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, ClientAddressCircuitHandler>());
        return services;
    }
}

using Microsoft.AspNetCore.Components.Server.Circuits;

namespace MedNetPortal.Web.Features.Audit;

/// <summary>
/// The client address of the current scope. A request scope (static rendering, endpoints, the sign-in forms) reads it from
/// the request; a Blazor circuit has no request of its own, so <see cref="AuditCircuitHandler"/> sets it when the circuit
/// opens (and again on each reconnect), from the SignalR connection's request.
/// </summary>
internal sealed class AuditClientAddress(IHttpContextAccessor httpContext)
{
    private string? circuitAddress;

    public string? Current => circuitAddress ?? Format(httpContext.HttpContext);

    public void SetFromConnection(HttpContext? context)
    {
        if (Format(context) is { } address)
        {
            circuitAddress = address;
        }
    }

    internal static string? Format(HttpContext? context)
    {
        var address = context?.Connection.RemoteIpAddress;
        if (address is null)
        {
            return null;
        }

        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }
}

/// <summary>Captures the client address for a circuit's scope while the hub call that opens (or reconnects) it runs.</summary>
internal sealed class AuditCircuitHandler(AuditClientAddress address, IHttpContextAccessor httpContext) : CircuitHandler
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

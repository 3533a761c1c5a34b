using System.Security.Claims;
using MedNetPortal.Fhir;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Identity.Web;

namespace MedNetPortal.Web.Features.Account.EntraId;

/// <summary>
/// Bearer tokens for the central FHIR base from Microsoft.Identity.Web: on behalf of the signed-in user (the user of the
/// circuit or request that makes the call), or, for work no user started (start-up seeding, background mirroring), the
/// portal's own application token for the same resource (<c>{resource}/.default</c>).
/// </summary>
internal sealed class EntraFhirAccessTokenProvider(
    ITokenAcquisition tokens, IHttpContextAccessor http, CircuitServicesAccessor circuit) : IFhirAccessTokenProvider
{
    public async Task<string> GetAccessTokenAsync(IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var user = await CurrentUserAsync();
        if (user?.Identity?.IsAuthenticated == true)
        {
            return await tokens.GetAccessTokenForUserAsync(scopes, user: user);
        }

        return await tokens.GetAccessTokenForAppAsync(AppScope(scopes));
    }

    /// <summary>The client-credentials scope for the resource of <paramref name="scopes"/>: <c>api://x/read</c> → <c>api://x/.default</c>.</summary>
    internal static string AppScope(IReadOnlyList<string> scopes)
    {
        var first = scopes.FirstOrDefault(s => s.Contains('/', StringComparison.Ordinal))
            ?? throw new InvalidOperationException("CentralFhir:Scopes needs a resource scope (e.g. api://central-fhir/.default) for application tokens.");
        return first.EndsWith("/.default", StringComparison.Ordinal) ? first : first[..first.LastIndexOf('/')] + "/.default";
    }

    // HttpClient handlers live in their own DI scope, so the circuit's user arrives through the circuit accessor.
    private async Task<ClaimsPrincipal?> CurrentUserAsync()
    {
        if (circuit.Services?.GetService<AuthenticationStateProvider>() is { } state)
        {
            return (await state.GetAuthenticationStateAsync()).User;
        }

        return http.HttpContext?.User;
    }
}

/// <summary>The services of the circuit whose inbound activity is running (ASP.NET Core's documented pattern for handlers).</summary>
internal sealed class CircuitServicesAccessor
{
    private static readonly AsyncLocal<IServiceProvider?> Current = new();

    public IServiceProvider? Services
    {
        get => Current.Value;
        set => Current.Value = value;
    }
}

internal sealed class CircuitServicesActivityHandler(IServiceProvider services, CircuitServicesAccessor accessor) : CircuitHandler
{
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            accessor.Services = services;
            try
            {
                await next(context);
            }
            finally
            {
                accessor.Services = null;
            }
        };
}

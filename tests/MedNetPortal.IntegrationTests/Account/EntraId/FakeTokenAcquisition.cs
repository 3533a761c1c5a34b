using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Identity.Client;
using Microsoft.Identity.Web;

namespace MedNetPortal.IntegrationTests.Account.EntraId;

/// <summary>Records what the portal asks Microsoft.Identity.Web's token acquisition for, and answers without a network.</summary>
internal sealed class FakeTokenAcquisition : ITokenAcquisition
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public static void Replace(IServiceCollection services, FakeTokenAcquisition fake)
    {
        services.RemoveAll<ITokenAcquisition>();
        services.AddSingleton<ITokenAcquisition>(fake);
    }

    public Task<string> GetAccessTokenForUserAsync(
        IEnumerable<string> scopes, string? authenticationScheme, string? tenantId = null, string? userFlow = null,
        ClaimsPrincipal? user = null, TokenAcquisitionOptions? tokenAcquisitionOptions = null)
    {
        var who = user?.FindFirst("oid")?.Value ?? "(none)";
        Calls.Enqueue($"user {who} {string.Join(' ', scopes)}");
        return Task.FromResult("user-token-" + who);
    }

    public Task<string> GetAccessTokenForUserAsync(
        IEnumerable<string> scopes, string? tenantId = null, string? userFlow = null, ClaimsPrincipal? user = null,
        TokenAcquisitionOptions? tokenAcquisitionOptions = null) =>
        GetAccessTokenForUserAsync(scopes, null, tenantId, userFlow, user, tokenAcquisitionOptions);

    public Task<string> GetAccessTokenForAppAsync(
        string scope, string? authenticationScheme, string? tenant = null, TokenAcquisitionOptions? tokenAcquisitionOptions = null)
    {
        Calls.Enqueue("app " + scope);
        return Task.FromResult("app-token");
    }

    public Task<string> GetAccessTokenForAppAsync(string scope, string? tenant = null, TokenAcquisitionOptions? tokenAcquisitionOptions = null) =>
        GetAccessTokenForAppAsync(scope, null, tenant, tokenAcquisitionOptions);

    public Task<AuthenticationResult> GetAuthenticationResultForUserAsync(
        IEnumerable<string> scopes, string? authenticationScheme, string? tenantId = null, string? userFlow = null,
        ClaimsPrincipal? user = null, TokenAcquisitionOptions? tokenAcquisitionOptions = null) => throw new NotSupportedException();

    public Task<AuthenticationResult> GetAuthenticationResultForUserAsync(
        IEnumerable<string> scopes, string? tenantId = null, string? userFlow = null, ClaimsPrincipal? user = null,
        TokenAcquisitionOptions? tokenAcquisitionOptions = null) => throw new NotSupportedException();

    public Task<AuthenticationResult> GetAuthenticationResultForAppAsync(
        string scope, string? authenticationScheme, string? tenant = null, TokenAcquisitionOptions? tokenAcquisitionOptions = null) =>
        throw new NotSupportedException();

    public Task<AuthenticationResult> GetAuthenticationResultForAppAsync(
        string scope, string? tenant = null, TokenAcquisitionOptions? tokenAcquisitionOptions = null) => throw new NotSupportedException();

    public void ReplyForbiddenWithWwwAuthenticateHeader(IEnumerable<string> scopes, MsalUiRequiredException msalServiceException, HttpResponse? httpResponse = null) =>
        throw new NotSupportedException();

    public void ReplyForbiddenWithWwwAuthenticateHeader(
        IEnumerable<string> scopes, MsalUiRequiredException msalServiceException, string? authenticationScheme, HttpResponse? httpResponse = null) =>
        throw new NotSupportedException();

    public Task ReplyForbiddenWithWwwAuthenticateHeaderAsync(IEnumerable<string> scopes, MsalUiRequiredException msalServiceException, HttpResponse? httpResponse = null) =>
        throw new NotSupportedException();

    public string GetEffectiveAuthenticationScheme(string? authenticationScheme) => authenticationScheme ?? "OpenIdConnect";
}

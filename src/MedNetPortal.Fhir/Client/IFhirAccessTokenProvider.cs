using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Fhir;

/// <summary>
/// Supplies OAuth access tokens for the central FHIR base: <see cref="ClientCredentialsTokenProvider"/> when
/// <c>CentralFhir:ClientId</c> is set, else (Entra ID sign-in with <c>CentralFhir:Scopes</c>) one backed by
/// Microsoft.Identity.Web; without either the client sends no token.
/// </summary>
public interface IFhirAccessTokenProvider
{
    /// <summary>Returns a bearer token valid for <paramref name="scopes"/>; implementations cache and refresh.</summary>
    Task<string> GetAccessTokenAsync(IReadOnlyList<string> scopes, CancellationToken cancellationToken);
}

/// <summary>
/// Adds <c>Authorization: Bearer</c> to each attempt. It sits inside the resilience pipeline so a retry asks the
/// provider again (and gets a refreshed token if the first expired). A 401 answer to a token from a refreshable provider
/// (client credentials) makes it forget that token and send the request once more with a new one: the base refused the
/// request before doing anything, so sending it again is safe even for a write.
/// </summary>
internal sealed class FhirBearerTokenHandler(IFhirAccessTokenProvider? provider, Func<IReadOnlyList<string>> scopes, bool withoutScopes)
    : DelegatingHandler
{
    /// <summary>The default client's handler: the last registered provider; a token when scopes are configured or a client id is.</summary>
    public FhirBearerTokenHandler(IOptions<CentralFhirOptions> options, IEnumerable<IFhirAccessTokenProvider> providers)
        : this(providers.LastOrDefault(), () => options.Value.ScopeList, !string.IsNullOrWhiteSpace(options.Value.ClientId))
    {
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var wanted = scopes();
        if (provider is null || (wanted.Count == 0 && !withoutScopes))
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var token = await AuthorizeAsync(request, wanted, cancellationToken).ConfigureAwait(false);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || provider is not IRefreshableFhirAccessTokenProvider refreshable || token is null)
        {
            return response;
        }

        response.Dispose();
        refreshable.Invalidate(token);
        await AuthorizeAsync(request, wanted, cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string?> AuthorizeAsync(HttpRequestMessage request, IReadOnlyList<string> wanted, CancellationToken cancellationToken)
    {
        var token = await provider!.GetAccessTokenAsync(wanted, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return token;
    }
}

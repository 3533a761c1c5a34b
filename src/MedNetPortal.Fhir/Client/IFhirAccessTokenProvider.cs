using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Fhir;

/// <summary>
/// Supplies OAuth access tokens for the central FHIR base. Production registers one backed by Microsoft.Identity.Web;
/// without a registration (or without <c>CentralFhir:Scopes</c>) the client sends no token.
/// </summary>
public interface IFhirAccessTokenProvider
{
    /// <summary>Returns a bearer token valid for <paramref name="scopes"/>; implementations cache and refresh.</summary>
    Task<string> GetAccessTokenAsync(IReadOnlyList<string> scopes, CancellationToken cancellationToken);
}

/// <summary>
/// Adds <c>Authorization: Bearer</c> to each attempt. It sits inside the resilience pipeline so a retry asks the
/// provider again (and gets a refreshed token if the first expired).
/// </summary>
internal sealed class FhirBearerTokenHandler(IOptions<CentralFhirOptions> options, IEnumerable<IFhirAccessTokenProvider> providers)
    : DelegatingHandler
{
    private readonly IFhirAccessTokenProvider? _provider = providers.LastOrDefault();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var scopes = options.Value.ScopeList;
        if (_provider is not null && scopes.Count > 0)
        {
            var token = await _provider.GetAccessTokenAsync(scopes, cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(token))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}

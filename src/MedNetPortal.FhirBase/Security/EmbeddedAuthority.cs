using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MedNetPortal.FhirBase.Security;

/// <summary>
/// <c>FhirBase:Auth:Mode = Embedded</c>: this host issues the base's access tokens through OpenIddict, OAuth 2.0 client
/// credentials only (SMART Backend Services with a client secret). Degraded mode: the clients come from
/// <see cref="FhirBaseAuthOptions.Clients"/>, not from a database, so the two handlers below check the secret and the scopes.
/// Tokens are signed JWTs (not encrypted: the bearer handler reads them) with a fixed issuer and audience.
/// </summary>
internal static class EmbeddedAuthority
{
    /// <summary>The token endpoint, relative to the base (<c>[base]/auth/token</c>).</summary>
    public const string TokenPath = "auth/token";

    public static void Add(IServiceCollection services)
    {
        services.AddOpenIddict()
            .AddServer(server =>
            {
                server.EnableDegradedMode();
                server.AllowClientCredentialsFlow();
                server.DisableAccessTokenEncryption();
                // The requested scopes are SMART scopes with resource types in them; ClientCredentialsValidator narrows them.
                server.DisableScopeValidation();
                // No discovery or key-set documents: [base]/.well-known/smart-configuration is the discovery document, and
                // only metadata and that document are anonymous.
                server.SetConfigurationEndpointUris(Array.Empty<Uri>());
                server.SetJsonWebKeySetEndpointUris(Array.Empty<Uri>());
                // Never used (no encrypted tokens are issued) but OpenIddict requires one.
                server.AddEphemeralEncryptionKey();
                // ClientCredentialsValidator demands TLS except on loopback (the portal calling its own base over http).
                server.UseAspNetCore().DisableTransportSecurityRequirement();
                server.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseSingletonHandler<ClientCredentialsValidator>());
                server.AddEventHandler<HandleTokenRequestContext>(handler => handler.UseSingletonHandler<ClientCredentialsIssuer>());
            });
        services.AddSingleton<ClientCredentialsValidator>();
        services.AddSingleton<ClientCredentialsIssuer>();
        services.AddOptions<OpenIddictServerOptions>()
            .Configure<IOptions<FhirBaseOptions>, IOptions<FhirBaseAuthOptions>, EmbeddedSigningKey>((server, fhirBase, auth, key) =>
            {
                server.TokenEndpointUris.Clear();
                server.TokenEndpointUris.Add(new Uri(fhirBase.Value.PathBase.Trim('/') + "/" + TokenPath, UriKind.Relative));
                server.Issuer = Uri.TryCreate(auth.Value.Issuer, UriKind.Absolute, out var issuer) ? issuer : new Uri(FhirBaseAuthOptions.DefaultIssuer);
                server.AccessTokenLifetime = TimeSpan.FromSeconds(auth.Value.AccessTokenLifetimeSeconds);
                server.SigningCredentials.Add(new SigningCredentials(key.Key, SecurityAlgorithms.RsaSha256));
            });
    }

    /// <summary>Known client, right secret (constant-time), TLS or loopback, and at least one grantable scope.</summary>
    internal sealed class ClientCredentialsValidator(IOptionsMonitor<FhirBaseAuthOptions> options) : IOpenIddictServerHandler<ValidateTokenRequestContext>
    {
        // Compared against when the client id is unknown, so a wrong id costs the same as a wrong secret.
        private static readonly byte[] Unknown = SHA256.HashData(RandomNumberGenerator.GetBytes(32));

        public ValueTask HandleAsync(ValidateTokenRequestContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            var http = context.Transaction.GetHttpRequest();
            if (http is not null && !http.IsHttps && !IsLoopback(http.HttpContext.Connection.RemoteIpAddress))
            {
                context.Reject(Errors.InvalidRequest, "The token endpoint takes requests over HTTPS only (plain HTTP only from this machine).");
                return ValueTask.CompletedTask;
            }
            if (!context.Request.IsClientCredentialsGrantType())
            {
                context.Reject(Errors.UnsupportedGrantType, "Only grant_type=client_credentials is supported.");
                return ValueTask.CompletedTask;
            }
            var clientId = context.Request.ClientId ?? string.Empty;
            var known = options.CurrentValue.Clients.TryGetValue(clientId, out var client);
            var expected = known && client!.Secret is { } secret ? Hash(secret) : Unknown;
            var given = Hash(context.Request.ClientSecret ?? string.Empty);
            if (!CryptographicOperations.FixedTimeEquals(expected, given) || !known)
            {
                context.Reject(Errors.InvalidClient, "The client is not registered, or its secret is wrong.");
                return ValueTask.CompletedTask;
            }
            var granted = SmartScopeGrant.Grant(context.Request.GetScopes(), client!.AllowedScopes(), out var unknown);
            if (unknown is not null)
            {
                context.Reject(Errors.InvalidScope, $"'{unknown}' is not a SMART system scope this server grants (system/<Type or *>.<cruds>).");
            }
            else if (granted.Count == 0)
            {
                context.Reject(Errors.InvalidScope, "None of the requested scopes is allowed for this client.");
            }
            else
            {
                context.Transaction.Properties[GrantedScopes] = granted;
            }
            return ValueTask.CompletedTask;
        }

        private static byte[] Hash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));

        private static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address);
    }

    internal const string GrantedScopes = ".mednet.granted_scopes";

    /// <summary>Signs in the client: subject = client id, the granted scopes, the configured audience.</summary>
    internal sealed class ClientCredentialsIssuer(IOptionsMonitor<FhirBaseAuthOptions> options) : IOpenIddictServerHandler<HandleTokenRequestContext>
    {
        public ValueTask HandleAsync(HandleTokenRequestContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            var clientId = context.Request.ClientId!;
            var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, clientId);
            var principal = new ClaimsPrincipal(identity);
            principal.SetScopes((IReadOnlyList<string>)context.Transaction.Properties[GrantedScopes]!);
            principal.SetResources(options.CurrentValue.Audience);
            principal.SetDestinations(_ => [Destinations.AccessToken]);
            context.SignIn(principal);
            return ValueTask.CompletedTask;
        }
    }
}

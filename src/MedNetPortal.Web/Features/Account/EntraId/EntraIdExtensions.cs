using System.Security.Claims;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Options;
using MedNetPortal.Web.Features.Audit;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;

namespace MedNetPortal.Web.Features.Account.EntraId;

/// <summary>
/// <c>Authentication:Mode = EntraId</c>: OpenID Connect sign-in with Microsoft Entra ID through Microsoft.Identity.Web, the
/// portal's own session cookie, the mapping of Entra users to portal users (<see cref="EntraPrincipalMapper"/>), the
/// not-registered page, and bearer tokens for the central FHIR base when <c>CentralFhir:Scopes</c> is set.
/// </summary>
public static class EntraIdExtensions
{
    public const string NotRegisteredPath = "/account/not-registered";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string OpenIdConnectScheme = OpenIdConnectDefaults.AuthenticationScheme;

    private const string CheckedAtItem = ".mednet.checked";

    /// <summary>The configured mode (Local when unset or not understood; validation then names the bad value).</summary>
    public static PortalAuthenticationMode ModeOf(IConfiguration configuration) =>
        Enum.TryParse<PortalAuthenticationMode>(configuration[$"{PortalAuthenticationOptions.SectionName}:Mode"], ignoreCase: true, out var mode)
            ? mode
            : PortalAuthenticationMode.Local;

    /// <summary>True when the app was set up for Entra ID sign-in.</summary>
    public static bool IsEntraId(IServiceProvider services) =>
        services.GetService<IOptions<PortalAuthenticationOptions>>()?.Value.Mode == PortalAuthenticationMode.EntraId;

    internal static void AddEntraIdSignIn(this WebApplicationBuilder builder, bool secureCookies)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        var azureAd = configuration.GetSection(EntraIdOptions.SectionName);
        services.AddValidatedOptions<EntraIdOptions>(configuration, EntraIdOptions.SectionName);
        services.AddSingleton<IValidateOptions<EntraIdOptions>>(new EntraIdOptionsValidator(azureAd));
        services.AddScoped<EntraPrincipalMapper>();
        services.AddScoped<AuthenticationStateProvider, EntraRevalidatingAuthenticationStateProvider>();

        // Sign-in asks for the central base's scopes up front (consent once, refresh token via offline_access).
        var fhirScopes = new CentralFhirOptions { Scopes = configuration[$"{CentralFhirOptions.SectionName}:Scopes"] }.ScopeList;
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieScheme;
                options.DefaultChallengeScheme = OpenIdConnectScheme;
            })
            .AddMicrosoftIdentityWebApp(azureAd, OpenIdConnectScheme, CookieScheme)
            .EnableTokenAcquisitionToCallDownstreamApi([.. fhirScopes])
            .AddInMemoryTokenCaches();

        services.AddOptions<OpenIdConnectOptions>(OpenIdConnectScheme).PostConfigure(oidc =>
        {
            var previous = oidc.Events.OnTokenValidated;
            oidc.Events.OnTokenValidated = async context =>
            {
                await previous(context);
                if (context.Result is null && context.Principal is not null)
                {
                    var mapper = context.HttpContext.RequestServices.GetRequiredService<EntraPrincipalMapper>();
                    var mapped = await mapper.MapAsync(context.Principal, context.HttpContext.RequestAborted);
                    context.Principal = mapped.Principal;
                    var registered = mapped.Outcome == EntraSignInOutcome.Registered;
                    await context.HttpContext.RequestServices.GetRequiredService<IAuditTrail>().RecordAsync(
                        new AuditRecord(registered ? AuditAction.SignIn : AuditAction.SignInFailed, registered ? AuditOutcome.Success : AuditOutcome.Denied)
                        {
                            ActorUserId = registered ? mapped.Principal.FindFirstValue(ClaimTypes.NameIdentifier) : null,
                            Detail = $"method=entra-id;{mapped.Outcome.ToString().ToLowerInvariant()}",
                        },
                        context.HttpContext.RequestAborted);
                }
            };
        });

        services.AddOptions<CookieAuthenticationOptions>(CookieScheme).Configure<IOptions<SecurityOptions>>((cookie, security) =>
        {
            cookie.Cookie.Name = ".MedNetPortal.Session";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SecurePolicy = secureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.LoginPath = AccountExtensions.LoginPath;
            cookie.LogoutPath = AccountExtensions.LogoutPath;
            cookie.AccessDeniedPath = AccountExtensions.AccessDeniedPath;
            cookie.SlidingExpiration = false;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(security.Value.AbsoluteSessionHours);
            var previous = cookie.Events.OnValidatePrincipal;
            cookie.Events.OnValidatePrincipal = async context =>
            {
                await previous(context);
                await RecheckAccountAsync(context);
            };
        });

        if (fhirScopes.Count > 0)
        {
            services.AddHttpContextAccessor();
            services.AddSingleton<CircuitServicesAccessor>();
            services.AddScoped<CircuitHandler, CircuitServicesActivityHandler>();
            services.AddTransient<IFhirAccessTokenProvider, EntraFhirAccessTokenProvider>();
        }
    }

    /// <summary>
    /// Once a minute per session, a principal backed by a portal account is checked against the account table, so a suspended
    /// account's requests stop within a minute (open circuits: <see cref="EntraRevalidatingAuthenticationStateProvider"/>).
    /// </summary>
    private static async Task RecheckAccountAsync(CookieValidatePrincipalContext context)
    {
        var accountId = context.Principal?.FindFirst(EntraPrincipalMapper.AccountClaim)?.Value;
        if (accountId is null)
        {
            return;
        }

        var time = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        var now = time.GetUtcNow();
        if (context.Properties.Items.TryGetValue(CheckedAtItem, out var raw)
            && DateTimeOffset.TryParse(raw, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var checkedAt)
            && now - checkedAt < TimeSpan.FromMinutes(1))
        {
            return;
        }

        var users = context.HttpContext.RequestServices.GetRequiredService<UserManager<PortalUser>>();
        var account = await users.FindByIdAsync(accountId);
        if (account is null || account.IsSuspended)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
            return;
        }

        context.Properties.Items[CheckedAtItem] = now.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        context.ShouldRenew = true;
    }

    /// <summary>
    /// <c>GET /account/login</c> starts the Entra ID sign-in (returning to a local <c>ReturnUrl</c>), and <c>POST /account/logout</c>
    /// ends both the portal session and the Entra ID session. They replace the local sign-in page and sign-out endpoint.
    /// </summary>
    internal static IEndpointRouteBuilder MapEntraIdEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(AccountExtensions.LoginPath, (HttpContext context, [FromQuery(Name = "ReturnUrl")] string? returnUrl) =>
            {
                var target = AccountExtensions.LocalOrHome(returnUrl);
                return context.User.Identity?.IsAuthenticated == true
                    ? Results.LocalRedirect(target)
                    : Results.Challenge(new AuthenticationProperties { RedirectUri = target }, [OpenIdConnectScheme]);
            })
            .AllowAnonymous()
            .WithOrder(-1)
            .ExcludeFromDescription();

        endpoints.MapPost(AccountExtensions.LogoutPath, async (HttpContext context, IAntiforgery antiforgery) =>
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                var signedIn = context.User.Identity?.IsAuthenticated == true;
                if (signedIn && !await antiforgery.IsRequestValidAsync(context))
                {
                    return Results.BadRequest();
                }

                if (signedIn)
                {
                    await context.RequestServices.GetRequiredService<IAuditTrail>().RecordAsync(
                        new AuditRecord(AuditAction.SignOut) { ActorUserId = context.User.FindFirstValue(ClaimTypes.NameIdentifier) }, context.RequestAborted);
                    await context.RequestServices.GetRequiredService<Sessions.PortalSessionStore>()
                        .EndAsync(context.User.FindFirstValue(PortalClaimTypes.SessionId), "signed-out", context.RequestAborted);
                }

                // After Entra ID's sign-out, the sign-in starts again and returns to the page the user was on.
                var after = AccountExtensions.LoginUrl(form["ReturnUrl"]);
                return signedIn
                    ? Results.SignOut(new AuthenticationProperties { RedirectUri = after }, [CookieScheme, OpenIdConnectScheme])
                    : Results.LocalRedirect(after);
            })
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithOrder(-1)
            .ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>
    /// A signed-in Entra user who is not registered (or is suspended) reaches only the not-registered page, sign-out, static
    /// assets and public paths. The local two-factor pages do not exist in this mode (Entra ID does multi-factor sign-in).
    /// </summary>
    internal sealed class NotRegisteredGate(RequestDelegate next)
    {
        private static readonly string[] LocalOnlyPaths =
            [AccountExtensions.LoginTwoFactorPath, AccountExtensions.LoginRecoveryPath, AccountExtensions.TwoFactorPath];

        public Task InvokeAsync(HttpContext context)
        {
            var path = context.Request.Path;
            if (LocalOnlyPaths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            if (context.User.Identity?.IsAuthenticated != true
                || context.User.FindFirst(EntraPrincipalMapper.NotRegisteredClaim) is null
                || path.StartsWithSegments(NotRegisteredPath, StringComparison.OrdinalIgnoreCase)
                || path.StartsWithSegments(AccountExtensions.LogoutPath, StringComparison.OrdinalIgnoreCase)
                || context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null
                || AccountExtensions.IsPublicPath(context))
            {
                return next(context);
            }

            context.Response.Redirect(NotRegisteredPath);
            return Task.CompletedTask;
        }
    }
}

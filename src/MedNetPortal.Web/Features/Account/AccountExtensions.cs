using System.Security.Claims;
using MedNetPortal.Fhir.Options;
using MedNetPortal.FhirBase;
using MedNetPortal.Web.Features.Account.EntraId;
using MedNetPortal.Web.Features.Account.Sessions;
using MedNetPortal.Web.Features.Facilities;
using MedNetPortal.Web.Features.Account.Passwords;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Host.Localization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Features.Account;

/// <summary>
/// Local accounts: ASP.NET Core Identity in the portal database, the cookie session (absolute lifetime, security stamp checked
/// every minute), lockout, TOTP two-factor, and a fallback policy that makes every page require a signed-in user.
/// </summary>
public static class AccountExtensions
{
    public const string LoginPath = "/account/login";
    public const string LoginTwoFactorPath = "/account/login-2fa";
    public const string LoginRecoveryPath = "/account/login-recovery";
    public const string TwoFactorPath = "/account/two-factor";
    public const string LogoutPath = "/account/logout";
    public const string AccessDeniedPath = "/account/access-denied";

    /// <summary><c>POST</c> by idle.js while the user is active, so the server's idle timeout sees activity inside a page.</summary>
    public const string ActivityPath = "/account/activity";

    /// <summary>The header <see cref="ActivityPath"/> requires (a cross-site form cannot send it; a cross-site script must ask first).</summary>
    public const string ActivityHeader = "X-MedNet-Activity";

    /// <summary>Query value of <c>reason</c> on the sign-in page after an idle sign-out.</summary>
    public const string IdleReason = "idle";

    /// <summary>Query value of <c>reason</c> on the sign-in page after a sign-out from the user menu.</summary>
    public const string SignedOutReason = "signed-out";

    public static WebApplicationBuilder AddPortalAccounts(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddValidatedOptions<SecurityOptions>(builder.Configuration, SecurityOptions.SectionName);
        services.AddValidatedOptions<PortalAuthenticationOptions>(builder.Configuration, PortalAuthenticationOptions.SectionName);
        var entraId = EntraIdExtensions.ModeOf(builder.Configuration) == PortalAuthenticationMode.EntraId;

        services.AddCascadingAuthenticationState();
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentUserAccessor, CurrentUserAccessor>();
        services.AddScoped<IPortalDataSeeder, AccountRoleSeeder>();
        services.AddScoped<IAuditAccountDirectory, AuditAccountDirectory>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FacilityStatus>();
        services.AddSingleton<PortalSessionStore>();

        if (entraId)
        {
            builder.AddEntraIdSignIn(secureCookies: !builder.Environment.IsDevelopment());
        }
        else
        {
            services.AddScoped<AuthenticationStateProvider, PortalRevalidatingAuthenticationStateProvider>();
            services.AddAuthentication(options =>
                {
                    options.DefaultScheme = IdentityConstants.ApplicationScheme;
                    options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
                })
                .AddIdentityCookies();
        }

        // The account table serves both modes (Entra ID users are matched to it); the local sign-in uses all of it.
        services.AddIdentityCore<PortalUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.SignIn.RequireConfirmedAccount = false;
                options.Lockout.AllowedForNewUsers = true;
                // NIST SP 800-63B: length, no composition rules; PortalPasswordValidator checks length and the blocklist.
                options.Password.RequiredLength = PortalPasswordValidator.MinimumLength;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 1;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddSignInManager<PortalSignInManager>()
            .AddClaimsPrincipalFactory<PortalClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();
        // Identity's own validator would add English composition messages; ours owns every password rule.
        services.RemoveAll<IPasswordValidator<PortalUser>>();
        services.AddScoped<IPasswordValidator<PortalUser>, PortalPasswordValidator>();

        services.AddOptions<IdentityOptions>().Configure<IOptions<SecurityOptions>>((identity, security) =>
        {
            identity.Lockout.MaxFailedAccessAttempts = security.Value.MaxFailedAccessAttempts;
            identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(security.Value.LockoutMinutes);
        });
        services.AddOptions<SecurityStampValidatorOptions>().Configure<IOptions<SecurityOptions>>((stamp, security) =>
        {
            stamp.ValidationInterval = security.Value.SessionRevalidation;
            stamp.OnRefreshingPrincipal = SessionCookieEvents.KeepSessionOnRefresh;
        });
        // After every other configuration, so the session check wraps the scheme's own validation.
        services.PostConfigure<CookieAuthenticationOptions>(
            entraId ? EntraIdExtensions.CookieScheme : IdentityConstants.ApplicationScheme, SessionCookieEvents.Attach);

        var secure = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        services.ConfigureAll<CookieAuthenticationOptions>(cookie =>
        {
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SecurePolicy = secure;
        });
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<SecurityOptions>>((cookie, security) =>
            {
                cookie.Cookie.Name = ".MedNetPortal.Session";
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.LoginPath = LoginPath;
                cookie.LogoutPath = LogoutPath;
                cookie.AccessDeniedPath = AccessDeniedPath;
                // Absolute lifetime: no sliding. The security-stamp refresh keeps the original expiry (Identity resets
                // IssuedUtc only to preserve the remaining time when SlidingExpiration is off).
                cookie.SlidingExpiration = false;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(security.Value.AbsoluteSessionHours);
            });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder()
                .AddRequirements(new SignedInOrPublicPathRequirement())
                .Build());
        services.AddSingleton<IAuthorizationHandler, SignedInOrPublicPathHandler>();
        return builder;
    }

    /// <summary>Authentication, the two-factor enrolment gate and authorization; call before <c>UseAntiforgery</c>.</summary>
    public static IApplicationBuilder UsePortalAccounts(this IApplicationBuilder app)
    {
        app.UseAuthentication();
        if (EntraIdExtensions.IsEntraId(app.ApplicationServices))
        {
            app.UseMiddleware<EntraIdExtensions.NotRegisteredGate>();
        }
        else
        {
            app.UseMiddleware<TwoFactorEnrolmentGate>();
        }

        app.UseAuthorization();
        return app;
    }

    /// <summary>
    /// <c>POST /account/logout</c> (form fields <c>ReturnUrl</c>, <c>Reason</c>): signs out and shows the sign-in page. The
    /// antiforgery token is checked here rather than by the middleware so that a page whose session has already ended (its token
    /// was made for the signed-in user) still lands on the sign-in page instead of an error.
    /// </summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // Reaching here with a valid session cookie already marked the session seen (SessionCookieEvents).
        endpoints.MapPost(ActivityPath, (HttpContext context) =>
            {
                // A script's answer, not a page: no status page in its place.
                if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
                {
                    pages.Enabled = false;
                }

                return !context.Request.Headers.ContainsKey(ActivityHeader) ? Results.BadRequest()
                    : context.User.Identity?.IsAuthenticated == true ? Results.NoContent()
                    : Results.Unauthorized();
            })
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();
        if (EntraIdExtensions.IsEntraId(endpoints.ServiceProvider))
        {
            return endpoints.MapEntraIdEndpoints();
        }

        endpoints.MapPost(LogoutPath, async (HttpContext context, IAntiforgery antiforgery, SignInManager<PortalUser> signIn, IAuditTrail audit, PortalSessionStore sessions) =>
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                var signedIn = context.User.Identity?.IsAuthenticated == true;
                if (signedIn && !await antiforgery.IsRequestValidAsync(context))
                {
                    return Results.BadRequest();
                }

                if (signedIn)
                {
                    await audit.RecordAsync(new AuditRecord(AuditAction.SignOut) { ActorUserId = context.User.FindFirstValue(ClaimTypes.NameIdentifier) }, context.RequestAborted);
                    // Ended on the server first: the cookie, wherever it was copied, is refused from now on.
                    await sessions.EndAsync(context.User.FindFirstValue(PortalClaimTypes.SessionId), "signed-out", context.RequestAborted);
                    await signIn.SignOutAsync();
                }

                string? returnUrl = form["ReturnUrl"];
                var reason = form["Reason"] == IdleReason ? IdleReason : SignedOutReason;
                return Results.LocalRedirect(LoginUrl(returnUrl, reason));
            })
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>The sign-in page's address returning to <paramref name="returnUrl"/> (when local).</summary>
    public static string LoginUrl(string? returnUrl, string? reason = null)
    {
        var query = new List<string>();
        if (IsLocalUrl(returnUrl) && returnUrl != "/")
        {
            query.Add("ReturnUrl=" + Uri.EscapeDataString(returnUrl!));
        }

        if (!string.IsNullOrEmpty(reason))
        {
            query.Add("reason=" + Uri.EscapeDataString(reason));
        }

        return query.Count == 0 ? LoginPath : LoginPath + "?" + string.Join('&', query);
    }

    /// <summary>True for a path on this site (<c>/x</c>), never <c>//host</c>, <c>/\host</c> or an absolute URL.</summary>
    public static bool IsLocalUrl(string? url) => LocalizationExtensions.IsLocal(url);

    /// <summary><paramref name="url"/> when local (non-ASCII percent-encoded, safe for a redirect), otherwise the home page.</summary>
    public static string LocalOrHome(string? url) => LocalizationExtensions.LocalOrHome(url);

    /// <summary>
    /// Paths that never need a signed-in user: the culture switch, health, the FHIR base (its own security story), and the
    /// re-executed status page of a request that was already authorised (e.g. the 400 page of the culture switch).
    /// </summary>
    internal static bool IsPublicPath(HttpContext context)
    {
        if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null)
        {
            return true;
        }

        var path = context.Request.Path;
        if (path.StartsWithSegments(LocalizationExtensions.SetCulturePath, StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var fhir = context.RequestServices.GetService<IOptions<FhirBaseOptions>>()?.Value;
        return fhir is { Enabled: true } && path.StartsWithSegments(fhir.PathBase.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
    }

    internal sealed class SignedInOrPublicPathRequirement : IAuthorizationRequirement;

    private sealed class SignedInOrPublicPathHandler : AuthorizationHandler<SignedInOrPublicPathRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SignedInOrPublicPathRequirement requirement)
        {
            if (context.User.Identity?.IsAuthenticated == true
                || (context.Resource is HttpContext http && IsPublicPath(http)))
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// With <c>Security:RequireTwoFactor</c>, a signed-in user without an authenticator can reach only the account pages (to
    /// enrol or sign out), anonymous endpoints (static assets) and public paths, until enrolled.
    /// </summary>
    private sealed class TwoFactorEnrolmentGate(RequestDelegate next, IOptionsMonitor<SecurityOptions> security)
    {
        public Task InvokeAsync(HttpContext context)
        {
            if (!security.CurrentValue.RequireTwoFactor
                || context.User.Identity?.IsAuthenticated != true
                || context.User.FindFirst(PortalClaimTypes.TwoFactorEnabled)?.Value == "true"
                || context.Request.Path.StartsWithSegments("/account", StringComparison.OrdinalIgnoreCase)
                || context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null
                || IsPublicPath(context))
            {
                return next(context);
            }

            var here = context.Request.Path.Value;
            context.Response.Redirect(TwoFactorPath + (IsLocalUrl(here) && here != "/" ? "?ReturnUrl=" + Uri.EscapeDataString(here!) : string.Empty));
            return Task.CompletedTask;
        }
    }
}

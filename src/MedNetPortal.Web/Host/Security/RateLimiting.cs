using System.Globalization;
using System.Net;
using System.Security.Claims;
using MedNetPortal.Fhir.Options;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Patients;
using MedNetPortal.Web.Host.Hosting;
using MedNetPortal.Web.Resources;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace MedNetPortal.Web.Host.Security;

/// <summary>Registration and the sign-in middleware.</summary>
public static class RateLimiting
{
    private static readonly string[] SignInPaths =
        [AccountExtensions.LoginPath, AccountExtensions.LoginTwoFactorPath, AccountExtensions.LoginRecoveryPath];

    /// <summary>Registers the limits; call after <c>AddPatients</c> (the patient search is wrapped).</summary>
    public static IServiceCollection AddPortalRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RateLimitOptions>(configuration, RateLimitOptions.SectionName);
        services.AddHttpContextAccessor();
        services.AddSingleton<PortalRateLimits>();
        var store = configuration.GetSection(RateLimitOptions.SectionName).GetValue<RateLimitStore?>(nameof(RateLimitOptions.Store)) ?? RateLimitStore.Auto;
        if (store == RateLimitStore.Database
            || (store == RateLimitStore.Auto && !string.IsNullOrWhiteSpace(configuration.GetConnectionString(Data.PortalDataExtensions.ConnectionStringName))))
        {
            services.AddSingleton<IRateLimitCounter, DatabaseRateLimitCounter>();
        }
        else
        {
            services.AddSingleton<IRateLimitCounter, MemoryRateLimitCounter>();
        }

        services.AddClientAddress();

        var search = services.LastOrDefault(d => d.ServiceType == typeof(IPatientSearchService))
            ?? throw new InvalidOperationException("AddPatients must run before AddPortalRateLimits.");
        services.Remove(search);
        services.Add(ServiceDescriptor.Describe(
            typeof(IPatientSearchService),
            sp => new RateLimitedPatientSearchService(
                (IPatientSearchService)(search.ImplementationFactory?.Invoke(sp)
                    ?? search.ImplementationInstance
                    ?? ActivatorUtilities.CreateInstance(sp, search.ImplementationType!)),
                sp.GetRequiredService<PortalRateLimits>(),
                sp.GetRequiredService<ICurrentUserAccessor>(),
                sp.GetRequiredService<ClientAddress>(),
                sp.GetRequiredService<ILogger<RateLimitedPatientSearchService>>()),
            search.Lifetime));
        return services;
    }

    /// <summary>
    /// Limits the sign-in form posts (password, authenticator code, recovery code) per account and per client address;
    /// a refused post gets 429 with Retry-After and a short page saying to try again later. GETs of the forms are free.
    /// </summary>
    public static IApplicationBuilder UsePortalRateLimits(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (!HttpMethods.IsPost(context.Request.Method)
                || !SignInPaths.Any(p => context.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase)))
            {
                await next(context);
                return;
            }

            var account = await AccountOfAsync(context);
            var limits = context.RequestServices.GetRequiredService<PortalRateLimits>();
            if (await limits.TryAcquireAsync(RateLimitKind.SignIn, account, context.Connection.RemoteIpAddress, context.RequestAborted) is not { } wait)
            {
                await next(context);
                return;
            }

            RateLimitLog.Refused(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimiting)), nameof(RateLimitKind.SignIn));
            await WriteRefusalAsync(context, wait);
        });

    /// <summary>The posted e-mail on the password form; the pending two-factor user on the code forms.</summary>
    private static async Task<string?> AccountOfAsync(HttpContext context)
    {
        if (context.Request.Path.Equals(AccountExtensions.LoginPath, StringComparison.OrdinalIgnoreCase))
        {
            if (!context.Request.HasFormContentType)
            {
                return null;
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var email = form["Input.Email"].ToString().Trim();
            return email.Length == 0 ? null : "email:" + email;
        }

        var pending = await context.AuthenticateAsync(IdentityConstants.TwoFactorUserIdScheme);
        return pending.Principal?.FindFirstValue(ClaimTypes.Name) is { Length: > 0 } userId ? "user:" + userId : null;
    }

    private static async Task WriteRefusalAsync(HttpContext context, TimeSpan wait)
    {
        var l = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        if (wait > TimeSpan.Zero)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        var lang = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? "en" : "ja";
        var html = $"""
            <!DOCTYPE html>
            <html lang="{lang}"><head><meta charset="utf-8"><title>{Encode(l["RateLimit.SignIn.Title"])}</title></head>
            <body><main><h1>{Encode(l["RateLimit.SignIn.Title"])}</h1>
            <p data-testid="rate-limited">{Encode(l["RateLimit.SignIn.Message", minutes])}</p>
            <p><a href="{AccountExtensions.LoginPath}">{Encode(l["RateLimit.SignIn.Back"])}</a></p></main></body></html>
            """;
        await context.Response.WriteAsync(html, context.RequestAborted);
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}

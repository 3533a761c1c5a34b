using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.Fhir.Options;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Hosting;
using MedNetPortal.Web.Features.Patients;
using MedNetPortal.Web.Resources;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Features.Security;

/// <summary>Which budget a request draws from.</summary>
public enum RateLimitKind
{
    SignIn,
    Lookup,

    /// <summary>Emergency access (break-the-glass): per account only.</summary>
    Emergency,
}

/// <summary>A refused attempt: the caller shows "try again later" with <see cref="RetryAfter"/> when known.</summary>
public sealed class RateLimitExceededException : Exception
{
    public RateLimitExceededException(RateLimitKind kind, TimeSpan? retryAfter)
        : base($"Too many {kind} attempts; try again later.")
    {
        Kind = kind;
        RetryAfter = retryAfter;
    }

    public RateLimitExceededException()
        : this(RateLimitKind.Lookup, null)
    {
    }

    public RateLimitExceededException(string message)
        : base(message)
    {
    }

    public RateLimitExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RateLimitKind Kind { get; }

    public TimeSpan? RetryAfter { get; }
}

/// <summary>
/// The portal's fixed-window limiters (System.Threading.RateLimiting), one partition per account and one per client address.
/// Account keys are keyed hashes (HMAC with a per-process key): an e-mail address typed into the sign-in form is never kept
/// or logged in clear, and the hashes mean nothing outside this process.
/// </summary>
public sealed class PortalRateLimits : IDisposable
{
    private readonly byte[] key = RandomNumberGenerator.GetBytes(32);
    private readonly PartitionedRateLimiter<string> signInByAccount;
    private readonly PartitionedRateLimiter<string> signInByAddress;
    private readonly PartitionedRateLimiter<string> lookupByAccount;
    private readonly PartitionedRateLimiter<string> lookupByAddress;
    private readonly PartitionedRateLimiter<string> emergencyByAccount;
    private readonly PartitionedRateLimiter<string> unlimited = PartitionedRateLimiter.Create<string, string>(_ => RateLimitPartition.GetNoLimiter(string.Empty));

    public PortalRateLimits(IOptions<RateLimitOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        signInByAccount = Create(o.SignInPerAccount, TimeSpan.FromSeconds(o.SignInWindowSeconds));
        signInByAddress = Create(o.SignInPerAddress, TimeSpan.FromSeconds(o.SignInWindowSeconds));
        lookupByAccount = Create(o.LookupPerAccount, TimeSpan.FromSeconds(o.LookupWindowSeconds));
        lookupByAddress = Create(o.LookupPerAddress, TimeSpan.FromSeconds(o.LookupWindowSeconds));
        emergencyByAccount = Create(o.EmergencyPerAccount, TimeSpan.FromSeconds(o.EmergencyWindowSeconds));
    }

    /// <summary>
    /// Takes one permit from the account's and the address's budget of <paramref name="kind"/>; null or empty parts are not
    /// limited (an unknown address is not one shared bucket). Returns null when allowed, else how long to wait (may be zero
    /// when unknown).
    /// </summary>
    public TimeSpan? TryAcquire(RateLimitKind kind, string? account, IPAddress? address)
    {
        var (byAccount, byAddress) = kind switch
        {
            RateLimitKind.SignIn => (signInByAccount, signInByAddress),
            RateLimitKind.Emergency => (emergencyByAccount, unlimited),
            _ => (lookupByAccount, lookupByAddress),
        };
        if (!string.IsNullOrEmpty(account))
        {
            using var lease = byAccount.AttemptAcquire(Hash(account));
            if (!lease.IsAcquired)
            {
                return RetryAfter(lease);
            }
        }

        if (address is not null)
        {
            var mapped = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            using var lease = byAddress.AttemptAcquire(mapped.ToString());
            if (!lease.IsAcquired)
            {
                return RetryAfter(lease);
            }
        }

        return null;
    }

    public void Dispose()
    {
        signInByAccount.Dispose();
        signInByAddress.Dispose();
        lookupByAccount.Dispose();
        lookupByAddress.Dispose();
        emergencyByAccount.Dispose();
        unlimited.Dispose();
    }

    private string Hash(string account) =>
        Convert.ToHexString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(account.Trim().ToUpperInvariant())));

    private static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.Zero;

    private static PartitionedRateLimiter<string> Create(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}

/// <summary>
/// The lookup runs inside the Blazor circuit, not as an HTTP request, so its limit sits in the service path: every search
/// takes a permit from the user's and the address's budget first, and a refusal is a <see cref="RateLimitExceededException"/>
/// that the page turns into "try again later". No request reaches the FHIR base when refused.
/// </summary>
internal sealed class RateLimitedPatientSearchService(
    IPatientSearchService inner,
    PortalRateLimits limits,
    ICurrentUserAccessor currentUser,
    ClientAddress address,
    ILogger<RateLimitedPatientSearchService> logger) : IPatientSearchService
{
    public async Task<PatientSearchResult> SearchAsync(InsuranceMemberId memberId, CancellationToken cancellationToken)
    {
        var user = await currentUser.GetAsync(cancellationToken).ConfigureAwait(false);
        if (limits.TryAcquire(RateLimitKind.Lookup, user?.UserId, address.Value) is { } wait)
        {
            RateLimitLog.Refused(logger, nameof(RateLimitKind.Lookup));
            throw new RateLimitExceededException(RateLimitKind.Lookup, wait);
        }

        return await inner.SearchAsync(memberId, cancellationToken).ConfigureAwait(false);
    }
}

internal static partial class RateLimitLog
{
    // Never the account, its hash or the address: the kind is enough to see an attack in the logs.
    [LoggerMessage(EventId = 7601, Level = LogLevel.Warning, Message = "{Kind} rate limit reached; attempt refused.")]
    public static partial void Refused(ILogger logger, string kind);
}

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
            if (limits.TryAcquire(RateLimitKind.SignIn, account, context.Connection.RemoteIpAddress) is not { } wait)
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

using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.Fhir.Options;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Host.Hosting;
using MedNetPortal.Web.Features.Patients;
using MedNetPortal.Web.Resources;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Host.Security;

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
/// The portal's fixed windows (aligned to the clock, so every instance agrees where one starts), one budget per account and
/// one per client address. Counts live in an <see cref="IRateLimitCounter"/>: this instance's memory, or the portal database
/// so that several instances share them (<see cref="RateLimitOptions.Store"/>). Budgets are named by a keyed hash (HMAC with
/// a key derived from <c>Audit:HashKey</c>, the same on every instance): an e-mail address typed into the sign-in form or a
/// client address is never kept or logged in clear, and the names mean nothing without the key.
/// </summary>
internal sealed class PortalRateLimits(IOptions<RateLimitOptions> options, IRateLimitCounter counter, Features.Audit.AuditKeys keys, TimeProvider time)
{
    /// <summary>
    /// Takes one permit from the account's and the address's budget of <paramref name="kind"/>; null or empty parts are not
    /// limited (an unknown address is not one shared bucket). Returns null when allowed, else how long to wait.
    /// </summary>
    public async ValueTask<TimeSpan?> TryAcquireAsync(RateLimitKind kind, string? account, IPAddress? address, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var (perAccount, perAddress, windowSeconds) = kind switch
        {
            RateLimitKind.SignIn => (o.SignInPerAccount, (int?)o.SignInPerAddress, o.SignInWindowSeconds),
            RateLimitKind.Emergency => (o.EmergencyPerAccount, null, o.EmergencyWindowSeconds),
            _ => (o.LookupPerAccount, o.LookupPerAddress, o.LookupWindowSeconds),
        };
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var windowStart = now - (now % windowSeconds);
        var retryAfter = TimeSpan.FromSeconds(windowStart + windowSeconds - now);
        if (!string.IsNullOrEmpty(account)
            && await counter.IncrementAsync(Key(kind, "account", account.Trim().ToUpperInvariant()), windowStart, cancellationToken).ConfigureAwait(false) > perAccount)
        {
            return retryAfter;
        }

        if (address is not null && perAddress is { } limit)
        {
            var mapped = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            if (await counter.IncrementAsync(Key(kind, "address", mapped.ToString()), windowStart, cancellationToken).ConfigureAwait(false) > limit)
            {
                return retryAfter;
            }
        }

        return null;
    }

    private string Key(RateLimitKind kind, string scope, string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(keys.RateLimitKey, Encoding.UTF8.GetBytes($"{kind}|{scope}|{value}")));
}

/// <summary>Where the counts of the fixed windows live.</summary>
internal interface IRateLimitCounter
{
    /// <summary>Adds one to <paramref name="key"/>'s count in the window starting at <paramref name="windowStart"/> (Unix seconds) and returns the new count.</summary>
    ValueTask<long> IncrementAsync(string key, long windowStart, CancellationToken cancellationToken);
}

/// <summary>Counts in this instance's memory: several instances each allow the full numbers.</summary>
internal sealed class MemoryRateLimitCounter : IRateLimitCounter
{
    private readonly ConcurrentDictionary<string, (long WindowStart, long Count)> counts = new(StringComparer.Ordinal);
    private long calls;

    public ValueTask<long> IncrementAsync(string key, long windowStart, CancellationToken cancellationToken)
    {
        var updated = counts.AddOrUpdate(key, (windowStart, 1), (_, c) => c.WindowStart == windowStart ? (windowStart, c.Count + 1) : (windowStart, 1));
        if (Interlocked.Increment(ref calls) % 1000 == 0)
        {
            // Windows are at most a day: older counts are of no further use.
            foreach (var old in counts.Where(c => c.Value.WindowStart < windowStart - (24 * 60 * 60)).Select(c => c.Key).ToList())
            {
                counts.TryRemove(old, out _);
            }
        }

        return ValueTask.FromResult(updated.Count);
    }
}

/// <summary>
/// Counts in the portal database (table <c>RateLimitCounters</c>), shared by every instance on it: one atomic upsert per
/// budget (<c>INSERT … ON CONFLICT DO UPDATE … RETURNING</c>, the same statement on PostgreSQL and SQLite), so two instances
/// counting at the same moment both count. Rows of windows over a day old are deleted now and then.
/// </summary>
internal sealed class DatabaseRateLimitCounter(IServiceScopeFactory scopes, TimeProvider time) : IRateLimitCounter
{
    private const string Upsert = """
        INSERT INTO "RateLimitCounters" ("Key", "WindowStart", "Count") VALUES (@key, @window, 1)
        ON CONFLICT ("Key") DO UPDATE SET
            "Count" = CASE WHEN "RateLimitCounters"."WindowStart" = excluded."WindowStart" THEN "RateLimitCounters"."Count" + 1 ELSE 1 END,
            "WindowStart" = excluded."WindowStart"
        RETURNING "Count"
        """;

    private long nextSweep;

    public async ValueTask<long> IncrementAsync(string key, long windowStart, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.PortalDbContext>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Upsert;
            Add(command, "@key", key);
            Add(command, "@window", windowStart);
            var count = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            var now = time.GetUtcNow().ToUnixTimeSeconds();
            if (now >= Interlocked.Read(ref nextSweep))
            {
                Interlocked.Exchange(ref nextSweep, now + (60 * 60));
                await using var sweep = connection.CreateCommand();
                sweep.CommandText = "DELETE FROM \"RateLimitCounters\" WHERE \"WindowStart\" < @before";
                Add(sweep, "@before", now - (2 * 24 * 60 * 60));
                await sweep.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return count;
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    private static void Add(System.Data.Common.DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>One fixed-window count (table <c>RateLimitCounters</c>); the key is a keyed hash, never an account or address.</summary>
public sealed class RateLimitCounter
{
    /// <summary>HMAC-SHA256 (hex) of the budget: kind, account or address, value.</summary>
    public required string Key { get; set; }

    /// <summary>The window's start, Unix seconds.</summary>
    public long WindowStart { get; set; }

    public long Count { get; set; }
}

internal sealed class RateLimitCounterConfiguration : IEntityTypeConfiguration<RateLimitCounter>
{
    public void Configure(EntityTypeBuilder<RateLimitCounter> builder)
    {
        builder.ToTable("RateLimitCounters");
        builder.HasKey(c => c.Key);
        builder.Property(c => c.Key).HasMaxLength(64);
        builder.HasIndex(c => c.WindowStart);
    }
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
        if (await limits.TryAcquireAsync(RateLimitKind.Lookup, user?.UserId, address.Value, cancellationToken).ConfigureAwait(false) is { } wait)
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

using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Host.Security;

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

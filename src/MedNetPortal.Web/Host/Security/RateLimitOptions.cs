using System.ComponentModel.DataAnnotations;

namespace MedNetPortal.Web.Host.Security;

/// <summary>
/// Section <c>RateLimits</c>: how many sign-in attempts and patient lookups one account and one client address may make
/// per window. Reasons for the defaults are in docs/configuration.md.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>
    /// Where the counts live: <see cref="RateLimitStore.Auto"/> (the portal database when it is PostgreSQL, the
    /// configuration for several instances; otherwise memory), <see cref="RateLimitStore.Memory"/> or
    /// <see cref="RateLimitStore.Database"/>.
    /// </summary>
    [EnumDataType(typeof(RateLimitStore))]
    public RateLimitStore Store { get; set; } = RateLimitStore.Auto;

    /// <summary>Sign-in form posts (password, authenticator code, recovery code) per account per window.</summary>
    [Range(1, 100_000)]
    public int SignInPerAccount { get; set; } = 10;

    /// <summary>Sign-in form posts per client address per window (a whole clinic behind one NAT shares it).</summary>
    [Range(1, 1_000_000)]
    public int SignInPerAddress { get; set; } = 300;

    /// <summary>The sign-in window in seconds.</summary>
    [Range(10, 24 * 60 * 60)]
    public int SignInWindowSeconds { get; set; } = 300;

    /// <summary>Patient lookups per account per window.</summary>
    [Range(1, 100_000)]
    public int LookupPerAccount { get; set; } = 60;

    /// <summary>Patient lookups per client address per window.</summary>
    [Range(1, 1_000_000)]
    public int LookupPerAddress { get; set; } = 600;

    /// <summary>The lookup window in seconds.</summary>
    [Range(1, 60 * 60)]
    public int LookupWindowSeconds { get; set; } = 60;

    /// <summary>Emergency-access requests (each checks the password or a code) per account per window.</summary>
    [Range(1, 10_000)]
    public int EmergencyPerAccount { get; set; } = 5;

    /// <summary>The emergency-access window in seconds.</summary>
    [Range(10, 24 * 60 * 60)]
    public int EmergencyWindowSeconds { get; set; } = 300;
}

/// <summary>Where the rate-limit counts live (<see cref="RateLimitOptions.Store"/>).</summary>
public enum RateLimitStore
{
    /// <summary>The portal database when it is PostgreSQL (<c>ConnectionStrings:Portal</c> set), otherwise memory.</summary>
    Auto,

    /// <summary>This instance's memory: several instances each allow the full numbers.</summary>
    Memory,

    /// <summary>The portal database (table <c>RateLimitCounters</c>), shared by every instance on it.</summary>
    Database,
}

using System.ComponentModel.DataAnnotations;

namespace MedNetPortal.Web.Features.Account;

/// <summary>Section <c>Security</c>: sign-in, lockout and session rules.</summary>
public sealed class SecurityOptions : IValidatableObject
{
    public const string SectionName = "Security";

    /// <summary>Every account must use an authenticator app (TOTP); accounts without one are sent to enrolment after sign-in.</summary>
    public bool RequireTwoFactor { get; set; } = true;

    /// <summary>Minutes without any activity after which the browser signs the user out.</summary>
    [Range(1, 24 * 60)]
    public int IdleTimeoutMinutes { get; set; } = 30;

    /// <summary>When set (&gt; 0), overrides <see cref="IdleTimeoutMinutes"/> in seconds (for tests and demonstrations).</summary>
    [Range(0, 24 * 60 * 60)]
    public int IdleTimeoutSeconds { get; set; }

    /// <summary>How long before the idle sign-out the warning with its countdown appears.</summary>
    [Range(1, 60 * 60)]
    public int IdleWarningSeconds { get; set; } = 60;

    /// <summary>A session ends this long after sign-in, whatever the activity.</summary>
    [Range(1, 7 * 24)]
    public int AbsoluteSessionHours { get; set; } = 12;

    [Range(1, 100)]
    public int MaxFailedAccessAttempts { get; set; } = 5;

    [Range(1, 24 * 60)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>
    /// How often an open session (the cookie on each request, a live Blazor circuit on a timer) is checked against the account:
    /// a suspended account, a new password or a reset two-factor ends it within this time.
    /// </summary>
    [Range(1, 60 * 60)]
    public int SessionRevalidationSeconds { get; set; } = 60;

    public TimeSpan SessionRevalidation => TimeSpan.FromSeconds(SessionRevalidationSeconds);

    public TimeSpan IdleTimeout => IdleTimeoutSeconds > 0 ? TimeSpan.FromSeconds(IdleTimeoutSeconds) : TimeSpan.FromMinutes(IdleTimeoutMinutes);

    public TimeSpan IdleWarning => TimeSpan.FromSeconds(IdleWarningSeconds);

    /// <summary>
    /// How often the browser tells the server it is in use (while it is) and how often the server records a session as seen:
    /// a quarter of the idle timeout, at most a minute.
    /// </summary>
    public TimeSpan ServerIdleGrace => TimeSpan.FromSeconds(Math.Min(60, IdleTimeout.TotalSeconds / 4));

    /// <summary>
    /// The server ends a session after this long without a request or a sign of activity from the browser: the idle timeout
    /// plus two signalling intervals, so the browser's own sign-out (at the idle timeout) always comes first.
    /// </summary>
    public TimeSpan ServerIdleTimeout => IdleTimeout + (2 * ServerIdleGrace);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IdleWarning >= IdleTimeout)
        {
            yield return new ValidationResult("must be shorter than the idle timeout", [nameof(IdleWarningSeconds)]);
        }
    }
}

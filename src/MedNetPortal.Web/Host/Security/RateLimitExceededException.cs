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

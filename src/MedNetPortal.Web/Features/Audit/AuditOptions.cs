using System.ComponentModel.DataAnnotations;

namespace MedNetPortal.Web.Features.Audit;

/// <summary>Section <c>Audit</c>: the audit trail's key, retention and forwarding to the central base.</summary>
public sealed class AuditOptions : IValidatableObject
{
    public const string SectionName = "Audit";

    /// <summary>
    /// Base64 key (at least 32 bytes) from which the chain's HMAC key and the identifier-hash key are derived. Empty: a key
    /// is generated once and kept in <c>audit-hash.key</c> in <c>Storage:DataDirectory</c>.
    /// </summary>
    public string HashKey { get; set; } = string.Empty;

    /// <summary>Send every entry to the central FHIR base as an AuditEvent (queued, retried, never blocking the user).</summary>
    public bool ForwardToCentralBase { get; set; } = true;

    /// <summary>Entries older than this many years are removed by the daily purge (which is itself audited).</summary>
    [Range(1, 100)]
    public int RetentionYears { get; set; } = 5;

    /// <summary>How often the forwarder looks for queued entries when nothing woke it (a new entry wakes it at once).</summary>
    [Range(1, 3600)]
    public int ForwardIntervalSeconds { get; set; } = 30;

    /// <summary>Longest wait between two forwarding attempts while the central base keeps failing (exponential backoff).</summary>
    [Range(1, 24 * 3600)]
    public int ForwardMaxBackoffSeconds { get; set; } = 300;

    /// <summary>
    /// <c>/health</c> reports <c>audit-forwarding</c> Degraded when the oldest entry not yet in the central base (queued or set
    /// aside after a refusal) is older than this many minutes.
    /// </summary>
    [Range(1, 7 * 24 * 60)]
    public int ForwardAlertMinutes { get; set; } = 60;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(HashKey) && DecodeKey(HashKey) is null)
        {
            yield return new ValidationResult("must be base64 of at least 32 bytes", [nameof(HashKey)]);
        }
    }

    internal static byte[]? DecodeKey(string value)
    {
        try
        {
            var bytes = Convert.FromBase64String(value.Trim());
            return bytes.Length >= 32 ? bytes : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

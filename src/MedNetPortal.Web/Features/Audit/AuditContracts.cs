using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedNetPortal.Web.Features.Audit;

/// <summary>What a user did. Stored by name; never renumber or rename a member (old rows keep their name).</summary>
public enum AuditAction
{
    SignIn,
    SignInFailed,
    SignOut,
    PatientLookup,
    RecordViewed,
    DocumentOpened,
    LetterSent,
    LetterRead,
    LetterPrinted,
    AdminChange,
    ConsentRecorded,
    EmergencyAccessStarted,

    /// <summary>A clinical view refused for want of consent (or emergency access).</summary>
    AccessDenied,

    /// <summary>The retention job removed entries older than the retention period.</summary>
    AuditPurged,

    /// <summary>An administrator exported the trail.</summary>
    AuditExported,

    /// <summary>The user turned two-factor sign-in on or off or regenerated recovery codes (or failed to re-authenticate for it).</summary>
    TwoFactorChanged,

    /// <summary>A request for emergency access was refused (wrong password or code, locked out, too many attempts).</summary>
    EmergencyAccessRefused,
}

/// <summary>How the action ended.</summary>
public enum AuditOutcome
{
    Success,
    Failure,
    Denied,
}

/// <summary>
/// One user action, as a feature reports it. Who (account, facility, roles), when and from which client address are added
/// by <see cref="IAuditTrail"/> from the signed-in user and the connection.
/// </summary>
/// <param name="Action">What was done.</param>
/// <param name="Outcome">How it ended.</param>
public sealed record AuditRecord(AuditAction Action, AuditOutcome Outcome = AuditOutcome.Success)
{
    /// <summary>The central base's Patient id the action concerned (never the insurance identifier).</summary>
    public string? PatientId { get; init; }

    /// <summary>
    /// What exactly, without personal data: the sections viewed ("diagnoses,allergies,letters"), a document id, the changed
    /// entity ("facility 1310123455: deactivated"), a reason code.
    /// </summary>
    public string? Detail { get; init; }

    /// <summary>For lookups: <see cref="IAuditTrail.HashIdentifier"/> of the identifier typed, never the identifier itself.</summary>
    public string? LookupKeyHash { get; init; }

    /// <summary>The action was done under emergency access (break-the-glass).</summary>
    public bool Emergency { get; init; }

    /// <summary>
    /// The account, when there is no signed-in user yet (sign-in, a failed sign-in of a known account). Null otherwise:
    /// the trail takes the signed-in user.
    /// </summary>
    public string? ActorUserId { get; init; }
}

/// <summary>The append-only, hash-chained audit trail (Features/Audit).</summary>
public interface IAuditTrail
{
    /// <summary>Appends one entry. Call once per user action, from the service that performs it (never from a render).</summary>
    Task RecordAsync(AuditRecord record, CancellationToken cancellationToken);

    /// <summary>A keyed hash of an identifier (e.g. the insurance identifier typed at lookup): equal inputs give equal hashes,
    /// and the input cannot be recovered without the portal's key.</summary>
    string HashIdentifier(string value);
}

/// <summary>
/// A stored audit entry (portal database, table AuditEntries). Append-only: rows are never updated except the forwarding
/// columns, which are outside the hash. <see cref="Hash"/> covers every other column and <see cref="PreviousHash"/>.
/// </summary>
public sealed class AuditEntry
{
    /// <summary>Increasing; the chain order.</summary>
    public long Id { get; set; }

    public DateTime RecordedAtUtc { get; set; }

    public string? ActorUserId { get; set; }

    /// <summary>The account's display name at the time (staff, for reading the trail).</summary>
    public string? ActorName { get; set; }

    public string? FacilityCode { get; set; }

    /// <summary>Comma-separated portal roles at the time.</summary>
    public string? Roles { get; set; }

    public AuditAction Action { get; set; }

    public AuditOutcome Outcome { get; set; }

    public string? PatientId { get; set; }

    public string? LookupKeyHash { get; set; }

    public string? Detail { get; set; }

    public bool Emergency { get; set; }

    public string? ClientAddress { get; set; }

    /// <summary>Hex SHA-256 (keyed) of the previous entry; the anchor after a purge.</summary>
    public string PreviousHash { get; set; } = string.Empty;

    public string Hash { get; set; } = string.Empty;

    /// <summary>When the matching FHIR AuditEvent reached the central base; null while queued. Not hashed.</summary>
    public DateTime? ForwardedAtUtc { get; set; }

    /// <summary>Failed forwarding attempts so far. Not hashed.</summary>
    public int ForwardAttempts { get; set; }

    /// <summary>
    /// When the central base refused this entry (a 4xx about the entry itself): it is set aside, later entries go on, and
    /// <c>audit-retry</c> queues it again. Not hashed.
    /// </summary>
    public DateTime? ForwardRejectedAtUtc { get; set; }

    /// <summary>The base's answer to the set-aside entry (status and reason, no personal data). Not hashed.</summary>
    public string? ForwardError { get; set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Action).HasConversion<string>().HasMaxLength(40);
        builder.Property(e => e.Outcome).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.ActorUserId).HasMaxLength(450);
        builder.Property(e => e.ActorName).HasMaxLength(200);
        builder.Property(e => e.FacilityCode).HasMaxLength(10);
        builder.Property(e => e.Roles).HasMaxLength(200);
        builder.Property(e => e.PatientId).HasMaxLength(64);
        builder.Property(e => e.LookupKeyHash).HasMaxLength(64);
        builder.Property(e => e.Detail).HasMaxLength(1000);
        builder.Property(e => e.ClientAddress).HasMaxLength(64);
        builder.Property(e => e.PreviousHash).HasMaxLength(64);
        builder.Property(e => e.Hash).HasMaxLength(64);
        builder.Property(e => e.ForwardError).HasMaxLength(200);
        builder.HasIndex(e => e.RecordedAtUtc);
        builder.HasIndex(e => new { e.PatientId, e.RecordedAtUtc });
        builder.HasIndex(e => e.ForwardedAtUtc);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedNetPortal.Web.Features.Consent;

// The gate (PatientAccessGate) reads emergency grants and the recorder (ConsentRecorder) writes notifications: both tables
// are the consent gate's contract. Features/Emergency grants access and shows notifications through them.

/// <summary>Why emergency access is used (the choice on the form).</summary>
public enum EmergencyReason
{
    /// <summary>意識障害.</summary>
    Unconscious,

    /// <summary>救急搬送.</summary>
    EmergencyTransport,

    /// <summary>生命の危険.</summary>
    LifeThreatening,

    /// <summary>その他 (free text required).</summary>
    Other,
}

/// <summary>An emergency access granted to one user of one facility for one patient, until <see cref="EndUtc"/> (table EmergencyAccessGrants).</summary>
public sealed class EmergencyAccessGrant
{
    public Guid Id { get; set; }

    public required string UserId { get; set; }

    public required string FacilityCode { get; set; }

    /// <summary>The central base's Patient id (not personal data).</summary>
    public required string PatientId { get; set; }

    public EmergencyReason Reason { get; set; }

    public string? ReasonText { get; set; }

    public DateTime StartUtc { get; set; }

    public DateTime EndUtc { get; set; }
}

/// <summary>A message to a facility's administrators in the portal (table PortalNotifications); one row per facility.</summary>
public sealed class PortalNotification
{
    public Guid Id { get; set; }

    /// <summary>The facility whose administrators see it.</summary>
    public required string FacilityCode { get; set; }

    /// <summary>What happened (e.g. "EmergencyAccess").</summary>
    public required string Kind { get; set; }

    /// <summary>The account that caused it.</summary>
    public string? ActorUserId { get; set; }

    public string? ActorName { get; set; }

    public string? PatientId { get; set; }

    public EmergencyReason? Reason { get; set; }

    /// <summary>For a consent recorded at reception: how it was confirmed.</summary>
    public Consent.ReceptionConsentReason? ConsentReason { get; set; }

    public string? ReasonText { get; set; }

    public DateTime CreatedUtc { get; set; }

    public DateTime? EndsUtc { get; set; }

    /// <summary>When an administrator marked it read; null while unread.</summary>
    public DateTime? ReadUtc { get; set; }
}

internal sealed class EmergencyAccessGrantConfiguration : IEntityTypeConfiguration<EmergencyAccessGrant>
{
    public void Configure(EntityTypeBuilder<EmergencyAccessGrant> builder)
    {
        builder.ToTable("EmergencyAccessGrants");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.UserId).HasMaxLength(450);
        builder.Property(g => g.FacilityCode).HasMaxLength(10);
        builder.Property(g => g.PatientId).HasMaxLength(64);
        builder.Property(g => g.Reason).HasConversion<string>().HasMaxLength(30);
        builder.Property(g => g.ReasonText).HasMaxLength(500);
        builder.HasIndex(g => new { g.UserId, g.PatientId, g.EndUtc });
    }
}

internal sealed class PortalNotificationConfiguration : IEntityTypeConfiguration<PortalNotification>
{
    public void Configure(EntityTypeBuilder<PortalNotification> builder)
    {
        builder.ToTable("PortalNotifications");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.FacilityCode).HasMaxLength(10);
        builder.Property(n => n.Kind).HasMaxLength(40);
        builder.Property(n => n.ActorUserId).HasMaxLength(450);
        builder.Property(n => n.ActorName).HasMaxLength(200);
        builder.Property(n => n.PatientId).HasMaxLength(64);
        builder.Property(n => n.Reason).HasConversion<string>().HasMaxLength(30);
        builder.Property(n => n.ConsentReason).HasConversion<string>().HasMaxLength(30);
        builder.Property(n => n.ReasonText).HasMaxLength(500);
        builder.HasIndex(n => new { n.FacilityCode, n.CreatedUtc });
    }
}

/// <summary>Kinds of <see cref="PortalNotification"/>.</summary>
public static class PortalNotificationKinds
{
    public const string EmergencyAccess = "EmergencyAccess";

    /// <summary>A clinician recorded a patient's consent at reception (self-service).</summary>
    public const string ReceptionConsent = "ReceptionConsent";
}

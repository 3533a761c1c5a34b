using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>Where a draft stands.</summary>
public enum ReferralDraftStatus
{
    /// <summary>Being written.</summary>
    Draft,

    /// <summary>Stored in the central base (<see cref="ReferralDraft.SentBundleId"/>); no longer listed as a draft.</summary>
    Sent,
}

/// <summary>
/// A referral letter being written, in the portal database (the letter itself goes to the central base only when sent).
/// Never handed to components: <see cref="ReferralDraftService"/> returns records.
/// </summary>
public sealed class ReferralDraft
{
    public Guid Id { get; set; }

    /// <summary>The 医療機関コード of the facility the draft belongs to (who may see and edit it).</summary>
    public string FacilityCode { get; set; } = string.Empty;

    public string AuthorUserId { get; set; } = string.Empty;

    public string AuthorName { get; set; } = string.Empty;

    public ReferralDraftStatus Status { get; set; }

    /// <summary>The <see cref="ReferralForm"/> as System.Text.Json.</summary>
    public string FormJson { get; set; } = "{}";

    /// <summary>For the lists only (the form is the truth).</summary>
    public string? PatientDisplayName { get; set; }

    /// <summary>For the lists only.</summary>
    public string? DestinationName { get; set; }

    /// <summary>施設内ID, the third part of the Bundle identifier; fixed at creation.</summary>
    public string LocalId { get; set; } = string.Empty;

    /// <summary>Set (and saved) before the first send attempt and never changed, so every retry has the same Bundle identifier.</summary>
    public DateTimeOffset? IssuedAt { get; set; }

    public string? SentBundleId { get; set; }

    public string? BundleIdentifier { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Optimistic concurrency: incremented by every write (two tabs editing one draft).</summary>
    public long Version { get; set; }
}

internal sealed class ReferralDraftConfiguration : IEntityTypeConfiguration<ReferralDraft>
{
    public void Configure(EntityTypeBuilder<ReferralDraft> draft)
    {
        draft.ToTable("ReferralDrafts");
        draft.HasKey(d => d.Id);
        draft.Property(d => d.FacilityCode).HasMaxLength(10).IsRequired();
        draft.Property(d => d.AuthorUserId).HasMaxLength(450).IsRequired();
        draft.Property(d => d.AuthorName).HasMaxLength(200).IsRequired();
        draft.Property(d => d.Status).HasConversion<string>().HasMaxLength(10);
        draft.Property(d => d.FormJson).IsRequired();
        draft.Property(d => d.PatientDisplayName).HasMaxLength(200);
        draft.Property(d => d.DestinationName).HasMaxLength(200);
        draft.Property(d => d.LocalId).HasMaxLength(40).IsRequired();
        draft.Property(d => d.SentBundleId).HasMaxLength(64);
        draft.Property(d => d.BundleIdentifier).HasMaxLength(100);
        draft.Property(d => d.Version).IsConcurrencyToken();

        // SQLite cannot order by DateTimeOffset: store UTC ticks (sortable on every provider).
        draft.Property(d => d.CreatedAt).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        draft.Property(d => d.UpdatedAt).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        draft.HasIndex(d => new { d.FacilityCode, d.Status, d.UpdatedAt });
        draft.HasIndex(d => d.LocalId).IsUnique();
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedNetPortal.Web.Features.Account.Sessions;

/// <summary>
/// One signed-in session on the server (table PortalSessions). The session cookie names it (claim
/// <see cref="PortalClaimTypes.SessionId"/>); a cookie whose session has ended, or has been idle longer than the idle timeout,
/// is refused, so signing out, or walking away, ends it for a copied cookie too.
/// </summary>
public sealed class PortalSession
{
    /// <summary>Random, 256 bits, base64url.</summary>
    public required string Id { get; set; }

    public required string UserId { get; set; }

    public DateTime CreatedUtc { get; set; }

    /// <summary>The last request or browser activity the server saw (updated at most every few seconds).</summary>
    public DateTime LastSeenUtc { get; set; }

    /// <summary>When the session ended; null while it lasts.</summary>
    public DateTime? EndedUtc { get; set; }

    /// <summary>Why it ended: <c>signed-out</c>, <c>idle</c>.</summary>
    public string? EndReason { get; set; }
}

internal sealed class PortalSessionConfiguration : IEntityTypeConfiguration<PortalSession>
{
    public void Configure(EntityTypeBuilder<PortalSession> builder)
    {
        builder.ToTable("PortalSessions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasMaxLength(64);
        builder.Property(s => s.UserId).HasMaxLength(450);
        builder.Property(s => s.EndReason).HasMaxLength(20);
        builder.HasIndex(s => s.UserId);
        builder.HasIndex(s => s.LastSeenUtc);
    }
}

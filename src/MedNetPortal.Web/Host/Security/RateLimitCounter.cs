using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedNetPortal.Web.Host.Security;

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

using Microsoft.EntityFrameworkCore;

namespace MedNetPortal.FhirBase.Storage;

/// <summary>
/// The base's schema: current resources, every version, and one table per search index kind. The application always uses it
/// through one of the provider's subclasses (<see cref="SqliteFhirBaseDbContext"/>, <see cref="PostgresFhirBaseDbContext"/>),
/// which only give each provider its own set of migrations (<c>Storage/Migrations/&lt;provider&gt;</c>).
/// </summary>
internal class FhirBaseDbContext : DbContext
{
    public FhirBaseDbContext(DbContextOptions<FhirBaseDbContext> options)
        : base(options)
    {
    }

    protected FhirBaseDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<ResourceRow> Resources => Set<ResourceRow>();
    public DbSet<VersionRow> Versions => Set<VersionRow>();
    public DbSet<TokenIndexRow> Tokens => Set<TokenIndexRow>();
    public DbSet<StringIndexRow> Strings => Set<StringIndexRow>();
    public DbSet<DateIndexRow> Dates => Set<DateIndexRow>();
    public DbSet<ReferenceIndexRow> References => Set<ReferenceIndexRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ResourceRow>(e =>
        {
            e.ToTable("resources");
            e.HasKey(r => r.Seq);
            e.Property(r => r.Seq).ValueGeneratedOnAdd();
            e.Property(r => r.Type).HasMaxLength(64);
            e.Property(r => r.Id).HasMaxLength(64);
            e.Property(r => r.VersionId).IsConcurrencyToken();
            e.HasIndex(r => new { r.Type, r.Id }).IsUnique();
            e.HasIndex(r => new { r.Type, r.LastUpdated });
        });
        modelBuilder.Entity<VersionRow>(e =>
        {
            e.ToTable("resource_versions");
            e.HasKey(v => new { v.ResourceSeq, v.VersionId });
            e.Property(v => v.Type).HasMaxLength(64);
            e.Property(v => v.Id).HasMaxLength(64);
            e.Property(v => v.Method).HasMaxLength(8);
            e.HasIndex(v => new { v.Type, v.LastUpdated });
            e.HasIndex(v => v.LastUpdated);
        });
        modelBuilder.Entity<TokenIndexRow>(e =>
        {
            e.ToTable("index_token");
            e.HasKey(t => t.Key);
            e.Property(t => t.Key).ValueGeneratedOnAdd();
            e.HasIndex(t => new { t.ResourceType, t.Param, t.Code, t.System });
            e.HasIndex(t => t.ResourceSeq);
        });
        modelBuilder.Entity<StringIndexRow>(e =>
        {
            e.ToTable("index_string");
            e.HasKey(t => t.Key);
            e.Property(t => t.Key).ValueGeneratedOnAdd();
            e.HasIndex(t => new { t.ResourceType, t.Param, t.Value });
            e.HasIndex(t => t.ResourceSeq);
        });
        modelBuilder.Entity<DateIndexRow>(e =>
        {
            e.ToTable("index_date");
            e.HasKey(t => t.Key);
            e.Property(t => t.Key).ValueGeneratedOnAdd();
            e.HasIndex(t => new { t.ResourceType, t.Param, t.Start });
            e.HasIndex(t => new { t.ResourceSeq, t.Param });
        });
        modelBuilder.Entity<ReferenceIndexRow>(e =>
        {
            e.ToTable("index_reference");
            e.HasKey(t => t.Key);
            e.Property(t => t.Key).ValueGeneratedOnAdd();
            e.HasIndex(t => new { t.ResourceType, t.Param, t.TargetId, t.TargetType });
            e.HasIndex(t => new { t.ResourceSeq, t.Param });
        });
    }
}

/// <summary>The current version of a resource (deleted ones keep a row with <see cref="Deleted"/> set and no JSON).</summary>
internal sealed class ResourceRow
{
    public long Seq { get; set; }
    public required string Type { get; set; }
    public required string Id { get; set; }
    public int VersionId { get; set; }
    /// <summary>UTC ticks; ticks rather than DateTimeOffset so both SQLite and PostgreSQL compare and sort them natively.</summary>
    public long LastUpdated { get; set; }
    public bool Deleted { get; set; }
    public string? Json { get; set; }
}

internal sealed class VersionRow
{
    public long ResourceSeq { get; set; }
    public int VersionId { get; set; }
    public required string Type { get; set; }
    public required string Id { get; set; }
    public long LastUpdated { get; set; }
    public bool Deleted { get; set; }
    public required string Method { get; set; }
    public string? Json { get; set; }
}

internal sealed class TokenIndexRow
{
    public long Key { get; set; }
    public long ResourceSeq { get; set; }
    public required string ResourceType { get; set; }
    public required string Param { get; set; }
    /// <summary>Empty when the value has no system.</summary>
    public required string System { get; set; }
    public required string Code { get; set; }
}

internal sealed class StringIndexRow
{
    public long Key { get; set; }
    public long ResourceSeq { get; set; }
    public required string ResourceType { get; set; }
    public required string Param { get; set; }
    /// <summary>Normalised (NFKC, lower case) for case-insensitive prefix matching.</summary>
    public required string Value { get; set; }
}

internal sealed class DateIndexRow
{
    public long Key { get; set; }
    public long ResourceSeq { get; set; }
    public required string ResourceType { get; set; }
    public required string Param { get; set; }
    /// <summary>Inclusive start, UTC ticks.</summary>
    public long Start { get; set; }
    /// <summary>Exclusive end, UTC ticks.</summary>
    public long End { get; set; }
}

internal sealed class ReferenceIndexRow
{
    public long Key { get; set; }
    public long ResourceSeq { get; set; }
    public required string ResourceType { get; set; }
    public required string Param { get; set; }
    public required string TargetType { get; set; }
    public required string TargetId { get; set; }
}

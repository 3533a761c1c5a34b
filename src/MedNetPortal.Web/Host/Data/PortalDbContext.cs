using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Features.Consent;
using MedNetPortal.Web.Features.Emergency;
using MedNetPortal.Web.Features.Facilities;
using MedNetPortal.Web.Features.Letters.Compose;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace MedNetPortal.Web.Host.Data;

/// <summary>
/// The portal's own database: accounts (ASP.NET Core Identity), facility records, and referral letters while they are
/// being written (drafts). Clinical data that is shared lives in the central FHIR base; a draft moves there when sent.
/// The application uses it through one of the provider's subclasses (<see cref="SqlitePortalDbContext"/>,
/// <see cref="PostgresPortalDbContext"/>), which only give each provider its own migrations (<c>Data/Migrations/&lt;provider&gt;</c>).
/// </summary>
public class PortalDbContext : IdentityDbContext<PortalUser>, IDataProtectionKeyContext
{
    public PortalDbContext(DbContextOptions<PortalDbContext> options)
        : base(options)
    {
    }

    protected PortalDbContext(DbContextOptions options)
        : base(options)
    {
    }

    /// <summary>
    /// The keys that protect sign-in cookies and antiforgery tokens, kept with the accounts so that a restart, a new container or
    /// a second instance on the same database keeps everyone signed in.
    /// </summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>The portal's facility records (connection flags); see <see cref="PortalFacility"/>.</summary>
    public DbSet<PortalFacility> Facilities => Set<PortalFacility>();

    /// <summary>Referral letters being written (Features/Letters/Compose).</summary>
    public DbSet<ReferralDraft> ReferralDrafts => Set<ReferralDraft>();

    /// <summary>The audit trail (Features/Audit): append-only, hash-chained.</summary>
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    /// <summary>Emergency access grants (Features/Emergency).</summary>
    public DbSet<EmergencyAccessGrant> EmergencyAccessGrants => Set<EmergencyAccessGrant>();

    /// <summary>Signed-in sessions on the server (Features/Account/Sessions).</summary>
    public DbSet<MedNetPortal.Web.Features.Account.Sessions.PortalSession> Sessions => Set<MedNetPortal.Web.Features.Account.Sessions.PortalSession>();

    /// <summary>Notifications to facility administrators (Features/Emergency).</summary>
    public DbSet<PortalNotification> Notifications => Set<PortalNotification>();

    /// <summary>Rate-limit counts shared by several instances (Host/Security, <c>RateLimits:Store</c>).</summary>
    public DbSet<MedNetPortal.Web.Host.Security.RateLimitCounter> RateLimitCounters => Set<MedNetPortal.Web.Host.Security.RateLimitCounter>();

    /// <summary>
    /// Identity's model first, then every <see cref="IEntityTypeConfiguration{TEntity}"/> in this assembly: each feature keeps the
    /// configuration of its own tables next to its entity (Features/X, Host/Security, Host/Data). The embedded base's context
    /// lives in another assembly, so nothing of it is picked up here.
    /// </summary>
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
    }
}

/// <summary>Seeds data into the portal database at start-up, after the schema exists. Must be idempotent.</summary>
public interface IPortalDataSeeder
{
    Task SeedAsync(CancellationToken cancellationToken);
}

using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Referrals;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace MedNetPortal.Web.Features.Data;

/// <summary>
/// The portal's own database: accounts (ASP.NET Core Identity), later sessions and settings. Clinical data lives in the
/// central FHIR base, never here.
/// </summary>
public class PortalDbContext(DbContextOptions<PortalDbContext> options) : IdentityDbContext<PortalUser>(options)
{
    /// <summary>Referral letters being written (Features/Referrals).</summary>
    public DbSet<ReferralDraft> ReferralDrafts => Set<ReferralDraft>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfiguration(new ReferralDraftConfiguration());
        builder.Entity<PortalUser>(user =>
        {
            user.Property(u => u.Profession).HasConversion<string>().HasMaxLength(20);
            user.HasIndex(u => u.FacilityCode);
        });
    }
}

/// <summary>Seeds data into the portal database at start-up, after the schema exists. Must be idempotent.</summary>
public interface IPortalDataSeeder
{
    Task SeedAsync(CancellationToken cancellationToken);
}

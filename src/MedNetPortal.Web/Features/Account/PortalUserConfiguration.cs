using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedNetPortal.Web.Features.Account;

/// <summary>What the portal adds to Identity's user table: the profession as text, and lookups by facility and by Entra ID object id.</summary>
internal sealed class PortalUserConfiguration : IEntityTypeConfiguration<PortalUser>
{
    public void Configure(EntityTypeBuilder<PortalUser> builder)
    {
        builder.Property(u => u.Profession).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(u => u.FacilityCode);
        builder.HasIndex(u => u.EntraObjectId).IsUnique();
    }
}

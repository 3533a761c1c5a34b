using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedNetPortal.Web.Features.Facilities;

/// <summary>
/// The portal's own record of a facility on the network: what the central base's Organization does not say, namely whether
/// the facility is connected (receives letters electronically). Keyed by 医療機関コード. This is the start of the facility
/// registry; issue 5 (administration) adds editing and more fields. Until then the demo seeder fills it from
/// <c>DemoFacilities</c>.
/// </summary>
public sealed class PortalFacility
{
    /// <summary>医療機関コード (10 digits), the key.</summary>
    public required string Code { get; set; }

    /// <summary>医療機関名.</summary>
    public required string Name { get; set; }

    /// <summary>The name in katakana.</summary>
    public string? NameKana { get; set; }

    /// <summary>Has an electronic health record system of its own (else it writes letters in the portal, or on paper).</summary>
    public bool HasEhr { get; set; }

    /// <summary>Receives referral letters electronically (inbox in the portal or its EHR). False: send the printed letter.</summary>
    public bool AcceptsElectronicLetters { get; set; }

    /// <summary>救急告示病院.</summary>
    public bool IsEmergencyHospital { get; set; }

    /// <summary>False when the facility has left the network (closed, suspended): treated as not connected.</summary>
    public bool Active { get; set; } = true;

    /// <summary>When the record last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Whether letters to this facility can go electronically: registered, active and accepting.</summary>
    public bool IsConnected => Active && AcceptsElectronicLetters;
}

/// <summary>Table <c>PortalFacilities</c>.</summary>
internal sealed class PortalFacilityConfiguration : IEntityTypeConfiguration<PortalFacility>
{
    public void Configure(EntityTypeBuilder<PortalFacility> builder)
    {
        builder.ToTable("PortalFacilities");
        builder.HasKey(f => f.Code);
        builder.Property(f => f.Code).HasMaxLength(10);
        builder.Property(f => f.Name).HasMaxLength(200);
        builder.Property(f => f.NameKana).HasMaxLength(200);
        builder.Ignore(f => f.IsConnected);
    }
}

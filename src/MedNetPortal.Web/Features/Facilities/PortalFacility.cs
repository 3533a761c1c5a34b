using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedNetPortal.Web.Features.Facilities;

/// <summary>
/// The portal's own record of a facility on the network: what the central base's Organization does not say, namely whether
/// the facility is connected (receives letters electronically), plus the details administrators edit (address, phone,
/// departments), which <c>Admin.Facilities.FacilityAdminService</c> mirrors to the base as an Organization. Keyed by 医療機関コード.
/// The demo seeder fills it from <c>DemoFacilities</c>.
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

    /// <summary>郵便番号 (e.g. 176-0099).</summary>
    public string? PostalCode { get; set; }

    /// <summary>所在地, one line (都道府県 onwards).</summary>
    public string? Address { get; set; }

    /// <summary>電話番号.</summary>
    public string? Phone { get; set; }

    /// <summary>診療科 as JSON <c>[{"Code":"01","Name":"内科"}]</c> (SS-MIX2 codes); read through <see cref="FacilityDepartments"/>.</summary>
    public string? DepartmentsJson { get; set; }

    /// <summary>
    /// True when the last change has not reached the central base's Organization (the base failed); the next save or the
    /// 再送 button tries again.
    /// </summary>
    public bool MirrorPending { get; set; }

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
        builder.Property(f => f.PostalCode).HasMaxLength(10);
        builder.Property(f => f.Address).HasMaxLength(300);
        builder.Property(f => f.Phone).HasMaxLength(30);
        builder.Ignore(f => f.IsConnected);
    }
}

using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Features.Facilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Features.Demo;

/// <summary>
/// Registers the demo facilities in the portal database when demo data is on. Idempotent: a facility already registered is
/// left as it is (an administrator's later change wins over the demo defaults).
/// </summary>
internal sealed class DemoFacilityRecordSeeder(IDbContextFactory<PortalDbContext> dbFactory, IOptions<DemoOptions> demo, TimeProvider time) : IPortalDataSeeder
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (!demo.Value.Enabled)
        {
            return;
        }

        var codes = DemoFacilities.All.Select(f => f.Code).ToList();
        var existing = await db.Set<PortalFacility>().Where(f => codes.Contains(f.Code)).Select(f => f.Code).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var facility in DemoFacilities.All.Where(f => !existing.Contains(f.Code)))
        {
            db.Add(ToRecord(facility, now));
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    internal static PortalFacility ToRecord(DemoFacility facility, DateTimeOffset now) => new()
    {
        Code = facility.Code,
        Name = facility.Name,
        NameKana = facility.NameKana,
        HasEhr = facility.HasEhr,
        AcceptsElectronicLetters = facility.AcceptsElectronicLetters,
        IsEmergencyHospital = facility.IsEmergencyHospital,
        PostalCode = facility.PostalCode,
        Address = facility.AddressText,
        Phone = facility.Phone,
        DepartmentsJson = FacilityDepartments.Write([.. facility.Departments.Select(d => new FacilityDepartment(d.Code, d.Name))]),
        Active = true,
        UpdatedAt = now,
    };
}

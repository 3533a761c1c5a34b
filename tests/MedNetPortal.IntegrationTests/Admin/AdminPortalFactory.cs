using MedNetPortal.IntegrationTests.Account;
using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Admin.Accounts;
using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Facilities;
using MedNetPortal.Web.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using MedNetPortal.TestSupport;

namespace MedNetPortal.IntegrationTests.Admin;

/// <summary>
/// The portal with facility A (みどり台総合病院) and facility B (さくら内科クリニック) registered, and the session checked against
/// its account every second (Security:SessionRevalidationSeconds) so that a suspension shows at once.
/// </summary>
public sealed class AdminPortalFactory() : PortalFactory(new Dictionary<string, string?> { ["Security:SessionRevalidationSeconds"] = "1" })
{
    public static readonly DemoFacility A = DemoFacilities.Hospital;
    public static readonly DemoFacility B = DemoFacilities.Clinic;

    private readonly SemaphoreSlim gate = new(1, 1);
    private bool registered;

    /// <summary>Registers A and B in the portal's facility table (once).</summary>
    public async Task EnsureFacilitiesAsync()
    {
        await gate.WaitAsync();
        try
        {
            if (registered)
            {
                return;
            }

            await using var scope = Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            foreach (var facility in new[] { A, B })
            {
                if (await db.Facilities.FindAsync(facility.Code) is null)
                {
                    db.Facilities.Add(new PortalFacility { Code = facility.Code, Name = facility.Name, Active = true, UpdatedAt = DateTimeOffset.UtcNow });
                }
            }

            await db.SaveChangesAsync();
            registered = true;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>A fresh account (unique email) in <paramref name="facility"/> (null: none, for a SystemAdmin).</summary>
    public async Task<(string Id, string Email)> NewAccountAsync(string role, DemoFacility? facility, string prefix = "acct")
    {
        await EnsureFacilitiesAsync();
        var email = $"{prefix}-{Guid.NewGuid():N}@test.example";
        var id = await TestAccounts.CreateAsync(Services, email, role, facility, configure: u =>
        {
            u.FacilityCode = facility?.Code;
            u.FacilityName = facility?.Name;
        });
        return (id, email);
    }

    /// <summary>The service as <paramref name="actor"/> sees it (null: nobody signed in).</summary>
    public IAccountAdminService ServiceAs(CurrentUser? actor) => new AccountAdminService(
        new TestUser(actor),
        Services.GetRequiredService<IServiceScopeFactory>(),
        Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<MedNetPortal.Web.Host.Data.PortalDbContext>>(),
        Services.GetRequiredService<IStringLocalizer<SharedResource>>(),
        new MedNetPortal.Web.Features.Audit.AuditTrail(
            Services.GetRequiredService<MedNetPortal.Web.Features.Audit.AuditWriter>(),
            Services.GetRequiredService<MedNetPortal.Web.Features.Audit.AuditKeys>(),
            new TestUser(actor),
            new MedNetPortal.Web.Host.Hosting.ClientAddress(new Microsoft.AspNetCore.Http.HttpContextAccessor()),
            new MedNetPortal.Web.Features.Account.AuditAccountDirectory(Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<MedNetPortal.Web.Host.Data.PortalDbContext>>())),
        NullLogger<AccountAdminService>.Instance);
}

/// <summary>The roles a matrix tries.</summary>
public enum Actor
{
    Anonymous,
    ClinicianOfA,
    FacilityAdminOfA,
    SystemAdmin,
}

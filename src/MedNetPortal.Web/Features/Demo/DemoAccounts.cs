using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Features.Account;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Features.Demo;

/// <summary>A demo account (fictional people; password <c>Demo:Password</c>).</summary>
public sealed record DemoAccount(string Email, string Role, string DisplayName, string DisplayNameKana, Profession Profession, DemoFacility? Facility);

/// <summary>The demo accounts, created only when <c>Demo:Enabled</c> is true.</summary>
public static class DemoAccounts
{
    public const string HospitalDoctor = "doctor@hospital.example";
    public const string ClinicDoctor = "doctor@clinic.example";
    public const string HospitalAdmin = "admin@hospital.example";
    public const string SystemAdmin = "sysadmin@mednet.example";

    public static IReadOnlyList<DemoAccount> All { get; } =
    [
        Doctor(HospitalDoctor, DemoFacilities.Hospital, DemoFacilities.Hospital.Doctor("hospital-cardiology")),
        Doctor(ClinicDoctor, DemoFacilities.Clinic, DemoFacilities.Clinic.Doctor("clinic-director")),
        new(HospitalAdmin, PortalRoles.FacilityAdmin, "高橋 美咲", "タカハシ ミサキ", Profession.Clerk, DemoFacilities.Hospital),
        new(SystemAdmin, PortalRoles.SystemAdmin, "システム管理者", "システムカンリシャ", Profession.Clerk, null),
    ];

    private static DemoAccount Doctor(string email, DemoFacility facility, DemoDoctor doctor) =>
        new(email, PortalRoles.Clinician, doctor.NameKanji, doctor.NameKana, Profession.Doctor, facility);
}

/// <summary>
/// Creates the demo accounts when demo data is on; idempotent (runs at every start, after Account's role seeder, which
/// <c>AddPortalAccounts</c> registers before <c>AddDemoData</c>).
/// </summary>
internal sealed partial class DemoAccountSeeder(UserManager<PortalUser> users, IOptions<DemoOptions> demo, ILogger<DemoAccountSeeder> logger)
    : IPortalDataSeeder
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!demo.Value.Enabled)
        {
            return;
        }

        foreach (var account in DemoAccounts.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await EnsureAsync(account, demo.Value.Password);
        }

        Log.DemoAccountsReady(logger, DemoAccounts.All.Count);
    }

    private async Task EnsureAsync(DemoAccount account, string password)
    {
        var user = await users.FindByEmailAsync(account.Email);
        if (user is null)
        {
            user = new PortalUser
            {
                UserName = account.Email,
                Email = account.Email,
                EmailConfirmed = true,
                DisplayName = account.DisplayName,
                DisplayNameKana = account.DisplayNameKana,
                FacilityCode = account.Facility?.Code,
                FacilityName = account.Facility?.Name,
                Profession = account.Profession,
            };
            Check(await users.CreateAsync(user, password), account.Email);
        }
        else if (!await users.CheckPasswordAsync(user, password))
        {
            // Demo:Password changed since the account was made: the README's password must work.
            Check(await users.RemovePasswordAsync(user), account.Email);
            Check(await users.AddPasswordAsync(user, password), account.Email);
        }

        if (!await users.IsInRoleAsync(user, account.Role))
        {
            Check(await users.AddToRoleAsync(user, account.Role), account.Email);
        }
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Could not create {what}: {string.Join(" ", result.Errors.Select(e => e.Description))} (check Demo:Password)");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Demo accounts ready ({Count})")]
        public static partial void DemoAccountsReady(ILogger logger, int count);
    }
}

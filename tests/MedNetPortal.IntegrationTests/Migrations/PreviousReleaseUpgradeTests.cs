using System.Net;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using MedNetPortal.FhirBase.Storage;
using MedNetPortal.IntegrationTests.Account;
using MedNetPortal.IntegrationTests.FhirBase;
using MedNetPortal.IntegrationTests.Infrastructure;
using MedNetPortal.Tests.Shared;
using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Account.Sessions;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Consent;
using MedNetPortal.Web.Features.Emergency;
using MedNetPortal.Web.Features.Facilities;
using MedNetPortal.Web.Features.Letters.Compose;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Task = System.Threading.Tasks.Task;

namespace MedNetPortal.IntegrationTests.Migrations;

/// <summary>
/// The upgrade from the previous release (commit 9717127, the last before migrations), whose databases were made by
/// <c>EnsureCreated</c>: its schema scripts (TestData/PreviousRelease, generated from that commit's model) create the
/// databases, data goes in as that release wrote it, <c>migrate</c> upgrades them in place, and the portal then starts with
/// nothing pending and has lost nothing: the account signs in, the draft opens, the patient is read and found by identifier,
/// and the audit chain (old entries and the new sign-in's) verifies.
/// </summary>
public sealed class PreviousReleaseUpgradeTests
{
    private const string HashKey = "bWVkbmV0LXVwZ3JhZGUtdGVzdC1hdWRpdC1rZXktMzItYnl0ZXMhIQ==";
    private const string Email = "upgrade@test.example";
    private const string DraftPurpose = "前回のリリースで書いた紹介目的（消えないこと）";

    [Fact]
    public async Task A_SQLite_database_of_the_previous_release_is_upgraded_by_the_migrate_command_and_loses_nothing()
    {
        var folder = Directory.CreateTempSubdirectory("mednet-upgrade-").FullName;
        try
        {
            var portal = $"Data Source={Path.Combine(folder, "portal.db")};Pooling=False";
            var fhirBase = $"Data Source={Path.Combine(folder, "fhirbase.db")};Pooling=False";
            await UpgradeAsync(
                new Dictionary<string, string?> { ["Storage:DataDirectory"] = folder },
                () => new PreviousReleasePortalContext(new DbContextOptionsBuilder<PreviousReleasePortalContext>().UseSqlite(portal).Options),
                () => new FhirBaseDbContext(new DbContextOptionsBuilder<FhirBaseDbContext>().UseSqlite(fhirBase).Options),
                "sqlite");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [PostgresFact]
    public async Task A_PostgreSQL_database_of_the_previous_release_is_upgraded_by_the_migrate_command_and_loses_nothing()
    {
        await using var portal = await TestPostgresDatabase.CreateAsync("upgrade_portal");
        await using var fhirBase = await TestPostgresDatabase.CreateAsync("upgrade_base");
        var folder = Directory.CreateTempSubdirectory("mednet-upgrade-pg-").FullName;
        try
        {
            await UpgradeAsync(
                new Dictionary<string, string?>
                {
                    ["Storage:DataDirectory"] = folder,
                    ["ConnectionStrings:Portal"] = portal.ConnectionString,
                    ["ConnectionStrings:FhirBase"] = fhirBase.ConnectionString,
                },
                () => new PreviousReleasePortalContext(new DbContextOptionsBuilder<PreviousReleasePortalContext>().UseNpgsql(portal.ConnectionString).Options),
                () => new FhirBaseDbContext(new DbContextOptionsBuilder<FhirBaseDbContext>().UseNpgsql(fhirBase.ConnectionString).Options),
                "postgres");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_fixture_is_the_schema_the_previous_release_model_makes()
    {
        // The context that writes the old data must be the old schema exactly, or the test would write what that release could not.
        using var db = new PreviousReleasePortalContext(new DbContextOptionsBuilder<PreviousReleasePortalContext>().UseSqlite("Data Source=:memory:").Options);

        Assert.Equal(Script("portal.sqlite"), db.Database.GenerateCreateScript());
    }

    private static async Task UpgradeAsync(
        Dictionary<string, string?> storage, Func<PreviousReleasePortalContext> openPortal, Func<FhirBaseDbContext> openBase, string provider)
    {
        // 1. The previous release's databases, with data.
        Seeded seeded;
        await using (var db = openPortal())
        {
            Assert.Equal(Script($"portal.{provider}"), db.Database.GenerateCreateScript());
            await db.Database.ExecuteSqlRawAsync(Script($"portal.{provider}"));
            seeded = await SeedPortalAsync(db);
        }

        string patientId;
        await using (var db = openBase())
        {
            Assert.Equal(Script($"fhirbase.{provider}"), db.Database.GenerateCreateScript());
            await db.Database.ExecuteSqlRawAsync(Script($"fhirbase.{provider}"));
            patientId = await SeedBaseAsync(db);
        }

        var settings = new Dictionary<string, string?>(storage)
        {
            ["FhirBase:Enabled"] = "true",
            ["Audit:HashKey"] = HashKey,
        };
        var args = settings.Select(s => $"--{s.Key}={s.Value}").ToArray();

        // 2. The migrate command upgrades both in place.
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await MigrateCommand.RunAsync(["migrate", .. args], output, error, CancellationToken.None);
        Assert.True(code == 0, $"migrate exited {code}: {error}{output}");
        Assert.Contains("migrate: portal database: made without migrations; recognised as 20261203000000_InitialSchema", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("migrate: portal database: applied 20261203000100_ServerSessionsAndForwardingState, 20261203000200_SharedRateLimitCounters", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("migrate: embedded FHIR base database: made without migrations; recognised as 20261203000000_InitialSchema", output.ToString(), StringComparison.Ordinal);

        // 3. The portal starts on them with nothing pending (start-up would stop otherwise) and has everything.
        await using var factory = new PortalFactory(new Dictionary<string, string?>(settings) { ["Database:MigrateOnStartup"] = "false" });
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var counts = await CountsAsync(db);
            // Start-up may add (the role seeder adds the other roles); nothing may go.
            Assert.All(seeded.Counts, c => Assert.True(counts[c.Key] >= c.Value, $"{c.Key}: {counts[c.Key]} rows after, {c.Value} before"));
            Assert.Equal(seeded.AuditHashes, await db.AuditEntries.Where(e => e.Id <= seeded.AuditHashes.Count).OrderBy(e => e.Id).Select(e => e.Hash).ToListAsync());
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }

        using var browser = await PortalBrowser.SignedInAsync(factory, Email);
        var (status, _) = await browser.GetAsync($"referrals/drafts/{seeded.DraftId}");
        Assert.Equal(HttpStatusCode.OK, status);
        await using (var scope = SignedInScope.Create(factory.Services, new CurrentUser(seeded.UserId, "移行 太郎", DemoFacilities.Hospital.Code, DemoFacilities.Hospital.Name, [PortalRoles.Clinician])))
        {
            var draft = await scope.ServiceProvider.GetRequiredService<ReferralDraftService>().GetAsync(seeded.DraftId, CancellationToken.None);
            Assert.NotNull(draft);
            Assert.Equal(DraftPurpose, draft.Form.Purpose);
            Assert.Equal("移行 花子", draft.Form.Patient.NameKanji);
            Assert.Equal(3, draft.Version);
        }

        using var fhir = factory.CreateBaseClient();
        using var read = await fhir.GetAsync(new Uri($"Patient/{patientId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Contains("移行", await read.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var search = await fhir.GetAsync(new Uri("Condition?patient=Patient/" + patientId, UriKind.Relative));
        Assert.Contains("\"total\":1", await search.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // 4. The chain verifies: the old entries and the sign-in's, appended after them.
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var last = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditEntries.MaxAsync(e => e.Id);
            Assert.True(last > seeded.Counts["AuditEntries"], "the sign-in appended to the upgraded chain");
        }

        using var verifyOutput = new StringWriter();
        using var verifyError = new StringWriter();
        Assert.Equal(0, await AuditVerifyCommand.RunAsync(["audit-verify", .. args], verifyOutput, verifyError, CancellationToken.None));
        Assert.Matches(new Regex("intact, [0-9]+ entries checked"), verifyOutput.ToString());
    }

    /// <summary>What the previous release wrote: an account with its role and facility, a draft, a hash-chained trail, an emergency grant and a notification.</summary>
    private static async Task<Seeded> SeedPortalAsync(PreviousReleasePortalContext db)
    {
        var facility = DemoFacilities.Hospital;
        var role = new IdentityRole(PortalRoles.Clinician) { NormalizedName = PortalRoles.Clinician.ToUpperInvariant() };
        var user = new PortalUser
        {
            UserName = Email,
            NormalizedUserName = Email.ToUpperInvariant(),
            Email = Email,
            NormalizedEmail = Email.ToUpperInvariant(),
            EmailConfirmed = true,
            DisplayName = "移行 太郎",
            FacilityCode = facility.Code,
            FacilityName = facility.Name,
            Profession = Profession.Doctor,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            LockoutEnabled = true,
        };
        user.PasswordHash = new PasswordHasher<PortalUser>().HashPassword(user, TestAccounts.Password);
        db.Roles.Add(role);
        db.Users.Add(user);
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = role.Id });
        db.Facilities.Add(new PortalFacility
        {
            Code = facility.Code,
            Name = facility.Name,
            HasEhr = true,
            AcceptsElectronicLetters = true,
            IsEmergencyHospital = true,
            Active = true,
            UpdatedAt = DateTimeOffset.UtcNow,
        });
        var form = new ReferralForm { Purpose = DraftPurpose, Diagnoses = "高血圧症" };
        form.Patient.NameKanji = "移行 花子";
        var draft = new ReferralDraft
        {
            Id = Guid.NewGuid(),
            FacilityCode = facility.Code,
            AuthorUserId = user.Id,
            AuthorName = user.DisplayName,
            Status = ReferralDraftStatus.Draft,
            FormJson = form.ToJson(),
            LocalId = "R20261201-0a1b2c3d",
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
            Version = 3,
        };
        db.ReferralDrafts.Add(draft);
        db.EmergencyAccessGrants.Add(new EmergencyAccessGrant
        {
            Id = Guid.NewGuid(),
            UserId = user.Id,
            FacilityCode = facility.Code,
            PatientId = "old-patient",
            Reason = EmergencyReason.Unconscious,
            StartUtc = DateTime.UtcNow.AddHours(-2),
            EndUtc = DateTime.UtcNow.AddHours(-1),
        });
        db.Notifications.Add(new PortalNotification
        {
            Id = Guid.NewGuid(),
            FacilityCode = facility.Code,
            Kind = "EmergencyAccess",
            ActorUserId = user.Id,
            ActorName = user.DisplayName,
            PatientId = "old-patient",
            Reason = EmergencyReason.Unconscious,
            CreatedUtc = DateTime.UtcNow.AddHours(-2),
        });
        var chainKey = new AuditKeys(Convert.FromBase64String(HashKey)).ChainKey;
        var previous = string.Empty;
        var hashes = new List<string>();
        var actions = new[] { AuditAction.SignIn, AuditAction.PatientLookup, AuditAction.RecordViewed, AuditAction.EmergencyAccessStarted, AuditAction.SignOut };
        for (var i = 0; i < actions.Length; i++)
        {
            var entry = new AuditEntry
            {
                Id = i + 1,
                RecordedAtUtc = AuditChain.Normalise(DateTime.UtcNow.AddMinutes(-60 + i)),
                ActorUserId = user.Id,
                ActorName = user.DisplayName,
                FacilityCode = facility.Code,
                Roles = PortalRoles.Clinician,
                Action = actions[i],
                Outcome = AuditOutcome.Success,
                PatientId = i is 2 or 3 ? "old-patient" : null,
                Emergency = i == 3,
                ClientAddress = "192.0.2.1",
                PreviousHash = previous,
                ForwardedAtUtc = i < 2 ? DateTime.UtcNow : null,
            };
            entry.Hash = AuditChain.ComputeHash(entry, chainKey);
            previous = entry.Hash;
            hashes.Add(entry.Hash);
            db.AuditEntries.Add(entry);
        }

        await db.SaveChangesAsync();
        return new Seeded(user.Id, draft.Id, await CountsAsync(db), hashes);
    }

    /// <summary>A patient and a condition, stored by the base's own store (the base's schema has not changed since), indexes included.</summary>
    private static async Task<string> SeedBaseAsync(FhirBaseDbContext db)
    {
        var store = new ResourceStore(db, TimeProvider.System);
        var patient = new Patient
        {
            Identifier = [new Identifier("urn:example:upgrade", "U-0001")],
            Name = [new HumanName { Family = "移行", Given = ["花子"] }],
            Gender = AdministrativeGender.Female,
        };
        var stored = await store.CreateAsync(patient, CancellationToken.None);
        await store.CreateAsync(
            new Condition { Subject = new ResourceReference("Patient/" + stored.Id), Code = new CodeableConcept { Text = "高血圧症" } },
            CancellationToken.None);
        return stored.Id;
    }

    private static async Task<Dictionary<string, long>> CountsAsync(PortalDbContext db) => new()
    {
        ["AspNetUsers"] = await db.Users.LongCountAsync(),
        ["AspNetRoles"] = await db.Roles.LongCountAsync(),
        ["AspNetUserRoles"] = await db.UserRoles.LongCountAsync(),
        ["PortalFacilities"] = await db.Facilities.LongCountAsync(),
        ["ReferralDrafts"] = await db.ReferralDrafts.LongCountAsync(),
        ["EmergencyAccessGrants"] = await db.EmergencyAccessGrants.LongCountAsync(),
        ["PortalNotifications"] = await db.Notifications.LongCountAsync(),
        ["AuditEntries"] = await db.AuditEntries.LongCountAsync(),
    };

    private static string Script(string name) =>
        string.Join('\n', File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "PreviousRelease", name + ".sql"))
            .SkipWhile(l => l.StartsWith("--", StringComparison.Ordinal) || l.Length == 0)) + "\n";

    private sealed record Seeded(string UserId, Guid DraftId, Dictionary<string, long> Counts, IReadOnlyList<string> AuditHashes);
}

/// <summary>
/// The portal database's model as the previous release had it: today's model without what issue 11 added (the sessions table,
/// the audit forwarding state, the consent reason) and the shared rate-limit counts (issue 15). <see cref="PreviousReleaseUpgradeTests.The_fixture_is_the_schema_the_previous_release_model_makes"/>
/// proves it equal to the release's schema script.
/// </summary>
internal sealed class PreviousReleasePortalContext(DbContextOptions<PreviousReleasePortalContext> options) : PortalDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Ignore<PortalSession>();
        builder.Ignore<MedNetPortal.Web.Host.Security.RateLimitCounter>();
        builder.Entity<AuditEntry>().Ignore(e => e.ForwardRejectedAtUtc).Ignore(e => e.ForwardError);
        builder.Entity<PortalNotification>().Ignore(n => n.ConsentReason);
    }
}

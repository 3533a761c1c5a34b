using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Features.Audit.Views;
using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Features.Facilities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MedNetPortal.Web.Resources;
using MedNetPortal.TestSupport;
using MedNetPortal.Web.Features.Patients;
using MedNetPortal.Web.Features.Admin.Audit;

namespace MedNetPortal.IntegrationTests.Audit;

/// <summary>
/// A portal database (SQLite in memory) with two facilities, a few accounts and the audit views' services, as a chosen user sees
/// them. Entries are inserted directly: this branch has no audit writer.
/// </summary>
public sealed class AuditViewsDatabase : IAsyncDisposable
{
    public const string A = "1310123455";
    public const string B = "1310267898";

    public static readonly CurrentUser SystemAdmin = new("u-sys", "システム管理者", null, null, [PortalRoles.SystemAdmin]);
    public static readonly CurrentUser AdminOfA = new("u-admin-a", "病院 管理者", A, "みどり台総合病院", [PortalRoles.FacilityAdmin]);
    public static readonly CurrentUser ClinicianOfA = new("u-doc-a", "病院 医師", A, "みどり台総合病院", [PortalRoles.Clinician]);
    public static readonly CurrentUser ClinicianOfB = new("u-doc-b", "診療所 医師", B, "さくら内科クリニック", [PortalRoles.Clinician]);

    private readonly SqliteConnection connection = new("Data Source=:memory:");
    private readonly ServiceProvider provider;

    public AuditViewsDatabase(bool withTrail = true, IAuditChainVerifier? chain = null)
    {
        connection.Open();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddLocalization();
        services.AddDbContextFactory<PortalDbContext>(o => o.UseSqlite(connection));
        if (withTrail)
        {
            services.AddSingleton<IAuditTrail>(Trail);
        }

        if (chain is not null)
        {
            services.AddSingleton(chain);
        }

        services.AddAuditViews();
        provider = services.BuildServiceProvider();

        using var scope = provider.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        db.Database.EnsureCreated();
        db.Facilities.Add(new PortalFacility { Code = A, Name = "みどり台総合病院", Active = true, IsEmergencyHospital = true, UpdatedAt = DateTimeOffset.UtcNow });
        db.Facilities.Add(new PortalFacility { Code = B, Name = "さくら内科クリニック", Active = true, UpdatedAt = DateTimeOffset.UtcNow });
        foreach (var (u, email, profession) in new[]
        {
            (SystemAdmin, "sysadmin@mednet.example", Profession.Clerk),
            (AdminOfA, "admin@hospital.example", Profession.Clerk),
            (ClinicianOfA, "doctor@hospital.example", Profession.Doctor),
            (ClinicianOfB, "nurse@clinic.example", Profession.Nurse),
        })
        {
            db.Users.Add(new PortalUser
            {
                Id = u.UserId, UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email,
                NormalizedEmail = email.ToUpperInvariant(), DisplayName = u.DisplayName, FacilityCode = u.FacilityCode, Profession = profession,
            });
        }

        db.SaveChanges();
    }

    public RecordingAuditTrail Trail { get; } = new();

    /// <summary>The admin trail service as <paramref name="actor"/> sees it (null: nobody signed in).</summary>
    public IAuditLogService LogAs(CurrentUser? actor) => new AuditLogService(
        new TestUser(actor),
        provider.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<MedNetPortal.Web.Host.Data.PortalDbContext>>(),
        provider,
        provider.GetRequiredService<IStringLocalizer<SharedResource>>(),
        NullLogger<AuditLogService>.Instance);

    /// <summary>The "who viewed" service as <paramref name="actor"/> sees it.</summary>
    public IRecordAccessHistory HistoryAs(CurrentUser? actor) =>
        new RecordAccessHistory(new TestUser(actor), provider.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<MedNetPortal.Web.Host.Data.PortalDbContext>>(), new AllowingGate());

    /// <summary>A gate that lets every patient through: these tests are about the history, not about consent.</summary>
    private sealed class AllowingGate : MedNetPortal.Web.Features.Consent.IPatientAccessGate
    {
        public Task<MedNetPortal.Web.Features.Consent.PatientAccess> CheckAsync(string patientId, CancellationToken cancellationToken) =>
            Task.FromResult(new MedNetPortal.Web.Features.Consent.PatientAccess(MedNetPortal.Web.Features.Consent.PatientAccessKind.Consent, null, null));

        public Task<MedNetPortal.Web.Features.Consent.PatientAccess> EnsureAsync(string patientId, CancellationToken cancellationToken) => CheckAsync(patientId, cancellationToken);

        public void Forget(string patientId)
        {
        }
    }

    /// <summary>Appends an entry by <paramref name="actor"/> at <paramref name="atUtc"/>.</summary>
    public async Task<long> AddAsync(CurrentUser actor, AuditAction action, DateTime atUtc, Action<AuditEntry>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var entry = new AuditEntry
        {
            RecordedAtUtc = atUtc, ActorUserId = actor.UserId, ActorName = actor.DisplayName, FacilityCode = actor.FacilityCode,
            Roles = string.Join(',', actor.Roles), Action = action, Outcome = AuditOutcome.Success, ClientAddress = "127.0.0.1",
            PreviousHash = new string('0', 64), Hash = new string('1', 64),
        };
        configure?.Invoke(entry);
        db.AuditEntries.Add(entry);
        await db.SaveChangesAsync();
        return entry.Id;
    }

    public async ValueTask DisposeAsync()
    {
        await provider.DisposeAsync();
        await connection.DisposeAsync();
    }
}

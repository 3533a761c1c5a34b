using System.Net;
using Hl7.Fhir.Model;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Host.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Task = System.Threading.Tasks.Task;
using MedNetPortal.TestSupport;

namespace MedNetPortal.IntegrationTests.Audit;

/// <summary>A clock the test moves.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>The audit core over a real SQLite portal database in a temporary folder, without the web host.</summary>
internal sealed class AuditHarness : IAsyncDisposable
{
    public static readonly string Key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private readonly ServiceProvider provider;

    private AuditHarness(string folder, ManualClock clock, ServiceProvider provider, FakePublisher publisher)
    {
        Folder = folder;
        Clock = clock;
        this.provider = provider;
        Publisher = publisher;
    }

    public string Folder { get; }

    public string DbPath => Path.Combine(Folder, PortalDataExtensions.SqliteFileName);

    public ManualClock Clock { get; }

    public FakePublisher Publisher { get; }

    public IServiceProvider Services => provider;

    public TestUser User { get; } = new(new CurrentUser("user-1", "佐藤 花子", "1310123455", "みどり台総合病院", ["Clinician"]));

    public DefaultHttpContext Http { get; } = new();

    public static async Task<AuditHarness> CreateAsync(int retentionYears = 5)
    {
        var folder = Directory.CreateTempSubdirectory("mednet-audit-").FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = folder,
            ["Audit:HashKey"] = Key,
            ["Audit:RetentionYears"] = retentionYears.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var clock = new ManualClock(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero));
        var publisher = new FakePublisher();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { ContentRootPath = folder, EnvironmentName = "Development" });
        services.AddSingleton<TimeProvider>(clock);
        services.AddPortalDatabase(configuration);
        AuditExtensions.AddAuditCore(services, configuration);
        services.AddSingleton<IAuditEventPublisher>(publisher);
        var harness = new AuditHarness(folder, clock, services.BuildServiceProvider(), publisher);
        await using (var scope = harness.provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Database.EnsureCreatedAsync();
        }

        return harness;
    }

    /// <summary>An <see cref="IAuditTrail"/> as a request scope would have it (user, request with a client address).</summary>
    public IAuditTrail Trail(IServiceScope scope)
    {
        var accessor = new HttpContextAccessor { HttpContext = Http };
        return new AuditTrail(
            Services.GetRequiredService<AuditWriter>(),
            Services.GetRequiredService<AuditKeys>(),
            User,
            new MedNetPortal.Web.Host.Hosting.ClientAddress(accessor),
            new MedNetPortal.Web.Features.Account.AuditAccountDirectory(Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<MedNetPortal.Web.Host.Data.PortalDbContext>>()));
    }

    public async Task RecordAsync(AuditRecord record)
    {
        await using var scope = provider.CreateAsyncScope();
        await Trail(scope).RecordAsync(record, CancellationToken.None);
    }

    public async Task<AuditChainReport> VerifyAsync()
    {
        await using var scope = provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IAuditChainVerifier>().VerifyAsync(CancellationToken.None);
    }

    public async Task<List<AuditEntry>> EntriesAsync()
    {
        await using var scope = provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
    }

    /// <summary>Runs SQL on the database file with a connection of its own, as someone with file access would.</summary>
    public async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public AuditForwarder Forwarder() => new(
        Services.GetRequiredService<IServiceScopeFactory>(),
        Services.GetRequiredService<IOptions<AuditOptions>>(),
        Services.GetRequiredService<AuditForwardSignal>(),
        Clock,
        new NoLifetime(),
        NullLogger<AuditForwarder>.Instance);

    public AuditRetentionService Retention() => new(
        Services.GetRequiredService<AuditWriter>(),
        Services.GetRequiredService<IOptions<AuditOptions>>(),
        Clock,
        NullLogger<AuditRetentionService>.Instance);

    public async ValueTask DisposeAsync()
    {
        await provider.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Cleaned by the OS.
        }
    }

    /// <summary>The central base: down (503) or up; records every AuditEvent it stored.</summary>
    internal sealed class FakePublisher : IAuditEventPublisher
    {
        public bool Down { get; set; }

        public List<string> Stored { get; } = [];

        public int Refused { get; private set; }

        /// <summary>AuditEvent ids (entry hashes) the base refuses with 422, as it would refuse an entry it finds invalid.</summary>
        public HashSet<string> Invalid { get; } = [];

        public Task PublishAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
        {
            if (Invalid.Contains(auditEvent.Id!))
            {
                Refused++;
                throw new MedNetPortal.Fhir.FhirApiException(MedNetPortal.Fhir.FhirApiErrorReason.Unprocessable, "invalid", HttpStatusCode.UnprocessableEntity);
            }

            if (Down)
            {
                Refused++;
                throw new MedNetPortal.Fhir.FhirApiException(MedNetPortal.Fhir.FhirApiErrorReason.ServerUnavailable, "down", HttpStatusCode.ServiceUnavailable);
            }

            Stored.Add(auditEvent.Id!);
            return Task.CompletedTask;
        }
    }

    private sealed class NoLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => new(true);

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}

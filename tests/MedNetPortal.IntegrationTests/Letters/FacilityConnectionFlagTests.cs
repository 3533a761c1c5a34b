using MedNetPortal.IntegrationTests.Infrastructure;
using System.Data.Common;
using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Facilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MedNetPortal.IntegrationTests.Letters;

/// <summary>
/// The facility directory's connection flag from the portal's facility records (a real SQLite portal database seeded by the
/// demo seeder) over the real embedded base with the demo facilities.
/// </summary>
public sealed class FacilityConnectionFlagTests(FacilityDirectoryIntegrationTests.SeededBase seeded)
    : IClassFixture<FacilityDirectoryIntegrationTests.SeededBase>, IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("mednet-facilities-").FullName;
    private readonly QueryCounter counter = new();
    private PortalDbContext db = null!;
    private PortalDbContexts contexts = null!;

    public async Task InitializeAsync()
    {
        contexts = new PortalDbContexts(new DbContextOptionsBuilder<PortalDbContext>()
            .UseSqlite($"Data Source={Path.Combine(folder, "portal.db")};Pooling=False")
            .AddInterceptors(counter)
            .Options);
        db = contexts.CreateDbContext();
        await db.Database.EnsureCreatedAsync();
        var seeder = new DemoFacilityRecordSeeder(contexts, Options.Create(new DemoOptions { Enabled = true }), TimeProvider.System);
        await seeder.SeedAsync(CancellationToken.None);
        await seeder.SeedAsync(CancellationToken.None); // idempotent
        db.ChangeTracker.Clear();
    }

    [Fact]
    public async Task The_demo_seeder_registers_every_demo_facility_once_and_only_the_dental_clinic_does_not_accept_letters()
    {
        var records = await db.Facilities.AsNoTracking().ToListAsync();

        Assert.Equal(DemoFacilities.All.Select(f => f.Code).Order(StringComparer.Ordinal), records.Select(r => r.Code).Order(StringComparer.Ordinal));
        Assert.Equal([DemoFacilities.DentalClinicCode], records.Where(r => !r.AcceptsElectronicLetters).Select(r => r.Code));
        Assert.All(records, r => Assert.True(r.Active));
        Assert.Equal(DemoFacilities.Hospital.Name, records.Single(r => r.Code == DemoFacilities.HospitalCode).Name);
        Assert.True(records.Single(r => r.Code == DemoFacilities.HospitalCode).IsEmergencyHospital);
    }

    [Fact]
    public async Task Registered_and_accepting_is_true_not_accepting_or_inactive_is_false_unregistered_is_null_in_one_query()
    {
        var regional = await db.Facilities.SingleAsync(f => f.Code == DemoFacilities.RegionalHospitalCode);
        regional.Active = false;
        db.Facilities.Remove(await db.Facilities.SingleAsync(f => f.Code == DemoFacilities.ClinicCode));
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        var (directory, handler) = seeded.Directory(new FacilityRegistry(contexts));
        counter.Reset();

        var all = await directory.SearchAsync(string.Empty, CancellationToken.None);

        var flags = all.Facilities.ToDictionary(f => f.Code!, f => f.AcceptsElectronicLetters);
        Assert.Equal(4, flags.Count);
        Assert.True(flags[DemoFacilities.HospitalCode]);
        Assert.False(flags[DemoFacilities.DentalClinicCode]);        // registered, not accepting
        Assert.False(flags[DemoFacilities.RegionalHospitalCode]);    // registered and accepting, but inactive
        Assert.Null(flags[DemoFacilities.ClinicCode]);               // not registered: unknown
        Assert.Equal(1, counter.Queries);
        Assert.Equal(1, handler.Requests);
    }

    [Theory]
    [InlineData("あおば", DemoFacilities.DentalClinicCode, false)]
    [InlineData("03-5550-0100", DemoFacilities.HospitalCode, true)]
    [InlineData("〒176-0097", DemoFacilities.DentalClinicCode, false)]
    [InlineData(DemoFacilities.ClinicCode, DemoFacilities.ClinicCode, true)]
    public async Task Every_kind_of_search_fills_the_flag_with_one_query(string query, string code, bool accepts)
    {
        var (directory, _) = seeded.Directory(new FacilityRegistry(contexts));
        counter.Reset();

        var facility = Assert.Single((await directory.SearchAsync(query, CancellationToken.None)).Facilities);

        Assert.Equal(code, facility.Code);
        Assert.Equal(accepts, facility.AcceptsElectronicLetters);
        Assert.Equal(1, counter.Queries);
    }

    [Fact]
    public async Task A_search_that_finds_nothing_asks_the_database_nothing()
    {
        var (directory, _) = seeded.Directory(new FacilityRegistry(contexts));
        counter.Reset();

        var result = await directory.SearchAsync("存在しない病院", CancellationToken.None);

        Assert.Empty(result.Facilities);
        Assert.Equal(0, counter.Queries);
    }

    public async Task DisposeAsync()
    {
        await db.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>Counts the SQL commands that read (a query per search is what the directory promises).</summary>
    private sealed class QueryCounter : DbCommandInterceptor
    {
        private int queries;

        public int Queries => queries;

        public void Reset() => Interlocked.Exchange(ref queries, 0);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref queries);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Interlocked.Increment(ref queries);
            return base.ReaderExecuting(command, eventData, result);
        }
    }
}

/// <summary>The running demo portal: its start-up registers the demo facilities and the directory it serves reports them.</summary>
public sealed class DemoPortalFacilityFlagTests : IAsyncLifetime
{
    private readonly MedNetPortal.IntegrationTests.Web.PortalFactory portal = new(new Dictionary<string, string?> { ["Demo:Enabled"] = "true" });

    public Task InitializeAsync()
    {
        _ = portal.RootUri;
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_demo_directory_says_the_dental_clinic_is_not_connected_and_the_others_are()
    {
        IReadOnlyDictionary<string, bool?> flags = new Dictionary<string, bool?>();
        // The demo facilities reach the base in the background after start-up.
        for (var attempt = 0; attempt < 240 && flags.Count < DemoFacilities.All.Count; attempt++)
        {
            await using var scope = portal.Services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<MedNetPortal.Web.Features.Letters.Compose.FacilityDirectory>()
                .SearchAsync(string.Empty, CancellationToken.None);
            flags = result.Facilities.Where(f => f.Code is not null).ToDictionary(f => f.Code!, f => f.AcceptsElectronicLetters);
            if (flags.Count < DemoFacilities.All.Count)
            {
                await Task.Delay(250);
            }
        }

        Assert.Equal(DemoFacilities.All.ToDictionary(f => f.Code, f => (bool?)(f != DemoFacilities.DentalClinic)), flags);
    }

    public async Task DisposeAsync() => await portal.DisposeAsync();
}

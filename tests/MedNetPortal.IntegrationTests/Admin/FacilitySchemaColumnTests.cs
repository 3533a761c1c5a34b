using MedNetPortal.Web.Host.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MedNetPortal.IntegrationTests.Admin;

/// <summary>The start-up schema check notices a table that exists but lacks a column added later (the registry's address).</summary>
public sealed class FacilitySchemaColumnTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("mednet-columns-").FullName;

    private SqlitePortalDbContext Open() => new(new DbContextOptionsBuilder<SqlitePortalDbContext>()
        .UseSqlite($"Data Source={Path.Combine(folder, "portal.db")};Pooling=False").Options);

    [Fact]
    public async Task A_facility_table_without_the_new_columns_is_reported_refused_outside_the_demo_and_recreated_in_it()
    {
        await using (var db = Open())
        {
            await db.Database.EnsureCreatedAsync();
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"PortalFacilities\" DROP COLUMN \"Address\"");
        }

        await using var old = Open();
        var missing = await PortalDataExtensions.PortalDatabaseInitializer.MissingTablesAsync(old, CancellationToken.None);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => PortalDataExtensions.PortalDatabaseInitializer.MigrateAsync(old, mayRecreate: false, CancellationToken.None));
        await PortalDataExtensions.PortalDatabaseInitializer.MigrateAsync(old, mayRecreate: true, CancellationToken.None);

        Assert.Equal(["PortalFacilities (columns)"], missing);
        Assert.Contains("PortalFacilities (columns)", error.Message, StringComparison.Ordinal);
        Assert.Empty(await PortalDataExtensions.PortalDatabaseInitializer.MissingTablesAsync(old, CancellationToken.None));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}

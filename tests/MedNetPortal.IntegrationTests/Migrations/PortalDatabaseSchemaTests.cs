using MedNetPortal.Web.Host.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace MedNetPortal.IntegrationTests.Migrations;

/// <summary>The SQLite path of the start-up schema rule (PortalDataExtensions.PortalDatabaseInitializer.MigrateAsync).</summary>
public sealed class PortalDatabaseSchemaTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("mednet-schema-").FullName;

    private string DbPath => Path.Combine(folder, "portal.db");

    [Fact]
    public async Task A_fresh_database_gets_every_migration_and_a_second_run_keeps_its_data()
    {
        await using (var db = Open())
        {
            var first = await PortalDataExtensions.PortalDatabaseInitializer.MigrateAsync(db, mayRecreate: false, CancellationToken.None);
            Assert.Equal(db.Database.GetMigrations(), first.Applied);
            Assert.Null(first.Adopted);
            db.Users.Add(new() { UserName = "keep@test.example", DisplayName = "残す" });
            await db.SaveChangesAsync();
        }

        await using var again = Open();
        var second = await PortalDataExtensions.PortalDatabaseInitializer.MigrateAsync(again, mayRecreate: true, CancellationToken.None);

        Assert.Empty(second.Applied);
        Assert.Equal(1, await again.Users.CountAsync());
        Assert.Empty(await PortalDataExtensions.PortalDatabaseInitializer.MissingTablesAsync(again, CancellationToken.None));
    }

    [Fact]
    public async Task A_database_made_by_EnsureCreated_before_migrations_is_adopted_and_keeps_its_data()
    {
        // The schema main had just before migrations (what EnsureCreated made then), without the migrations' history.
        await using (var db = Open())
        {
            await db.GetService<IMigrator>().MigrateAsync(PortalMigrations.LastEnsureCreated);
            await db.Database.ExecuteSqlRawAsync("DROP TABLE \"__EFMigrationsHistory\"");
            db.Users.Add(new() { UserName = "keep@test.example", DisplayName = "残す" });
            await db.SaveChangesAsync();
        }

        await using var old = Open();
        var result = await PortalDataExtensions.PortalDatabaseInitializer.MigrateAsync(old, mayRecreate: false, CancellationToken.None);

        Assert.Equal(PortalMigrations.LastEnsureCreated, result.Adopted);
        Assert.Equal(old.Database.GetMigrations().Where(m => string.CompareOrdinal(m, PortalMigrations.LastEnsureCreated) > 0), result.Applied);
        Assert.Equal(old.Database.GetMigrations(), await old.Database.GetAppliedMigrationsAsync());
        Assert.Equal(1, await old.Users.CountAsync());
    }

    [Fact]
    public async Task A_database_with_none_of_the_portal_tables_gets_them_all()
    {
        CreateOldDatabase();
        await using var db = Open();

        await PortalDataExtensions.PortalDatabaseInitializer.MigrateAsync(db, mayRecreate: false, CancellationToken.None);

        Assert.Empty(await PortalDataExtensions.PortalDatabaseInitializer.MissingTablesAsync(db, CancellationToken.None));
        Assert.Equal(0, await db.Users.CountAsync());
    }

    [Fact]
    public async Task A_database_from_before_the_referral_drafts_stops_start_up_outside_the_demo_naming_the_missing_table()
    {
        await CreateWithoutDraftsAsync();
        await using var db = Open();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => PortalDataExtensions.PortalDatabaseInitializer.MigrateAsync(db, mayRecreate: false, CancellationToken.None));

        Assert.Contains("ReferralDrafts", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AspNetUsers", error.Message, StringComparison.Ordinal);
        Assert.Contains("portal.db", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, await db.Users.CountAsync()); // nothing deleted
        Assert.Empty(await db.Database.GetAppliedMigrationsAsync()); // nothing recorded
    }

    [Fact]
    public async Task A_database_from_before_the_referral_drafts_is_recreated_in_the_demo_and_then_has_every_table()
    {
        await CreateWithoutDraftsAsync();
        await using var db = Open();

        await PortalDataExtensions.PortalDatabaseInitializer.MigrateAsync(db, mayRecreate: true, CancellationToken.None);

        Assert.Empty(await PortalDataExtensions.PortalDatabaseInitializer.MissingTablesAsync(db, CancellationToken.None));
        Assert.Equal(0, await db.ReferralDrafts.CountAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task A_database_from_before_the_Entra_object_id_column_stops_start_up_outside_the_demo_naming_the_table()
    {
        await using (var db = Open())
        {
            await db.Database.EnsureCreatedAsync();
        }

        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP INDEX IX_AspNetUsers_EntraObjectId; ALTER TABLE AspNetUsers DROP COLUMN EntraObjectId";
            command.ExecuteNonQuery();
        }

        await using var old = Open();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => PortalDataExtensions.PortalDatabaseInitializer.MigrateAsync(old, mayRecreate: false, CancellationToken.None));

        Assert.Contains("AspNetUsers (columns)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ReferralDrafts", error.Message, StringComparison.Ordinal);
    }

    private async Task CreateWithoutDraftsAsync()
    {
        await using (var db = Open())
        {
            await db.Database.EnsureCreatedAsync();
            db.Users.Add(new() { UserName = "keep@test.example", DisplayName = "残す" });
            await db.SaveChangesAsync();
        }

        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DROP TABLE ReferralDrafts";
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private SqlitePortalDbContext Open() =>
        new(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite($"Data Source={DbPath}").Options);

    private void CreateOldDatabase()
    {
        // A database with a table but none of the portal's (the foundation left an empty file).
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE Old (Id INTEGER PRIMARY KEY)";
        command.ExecuteNonQuery();
    }
}

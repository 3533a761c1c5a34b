using MedNetPortal.Web.Features.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MedNetPortal.IntegrationTests.Account;

/// <summary>The SQLite path of the start-up schema rule (see PortalDataExtensions.PortalDatabaseInitializer).</summary>
public sealed class PortalDatabaseSchemaTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("mednet-schema-").FullName;

    private string DbPath => Path.Combine(folder, "portal.db");

    [Fact]
    public async Task A_fresh_database_gets_every_table_and_a_second_start_keeps_them()
    {
        await using (var db = Open())
        {
            await PortalDataExtensions.PortalDatabaseInitializer.EnsureSchemaAsync(db, mayRecreate: false, CancellationToken.None);
            db.Users.Add(new() { UserName = "keep@test.example", DisplayName = "残す" });
            await db.SaveChangesAsync();
        }

        await using var again = Open();
        await PortalDataExtensions.PortalDatabaseInitializer.EnsureSchemaAsync(again, mayRecreate: true, CancellationToken.None);

        Assert.Equal(1, await again.Users.CountAsync());
        Assert.Empty(await PortalDataExtensions.PortalDatabaseInitializer.MissingTablesAsync(again, CancellationToken.None));
    }

    [Fact]
    public async Task A_database_from_before_accounts_stops_start_up_outside_the_demo_with_what_to_do()
    {
        CreateOldDatabase();
        await using var db = Open();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => PortalDataExtensions.PortalDatabaseInitializer.EnsureSchemaAsync(db, mayRecreate: false, CancellationToken.None));

        Assert.Contains("AspNetUsers", error.Message, StringComparison.Ordinal);
        Assert.Contains("ReferralDrafts", error.Message, StringComparison.Ordinal);
        Assert.Contains("portal.db", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(DbPath));
    }

    [Fact]
    public async Task A_database_from_before_accounts_is_recreated_in_the_demo()
    {
        CreateOldDatabase();
        await using var db = Open();

        await PortalDataExtensions.PortalDatabaseInitializer.EnsureSchemaAsync(db, mayRecreate: true, CancellationToken.None);

        Assert.Equal(0, await db.Users.CountAsync());
    }

    [Fact]
    public async Task A_database_from_before_the_referral_drafts_stops_start_up_outside_the_demo_naming_the_missing_table()
    {
        await CreateWithoutDraftsAsync();
        await using var db = Open();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => PortalDataExtensions.PortalDatabaseInitializer.EnsureSchemaAsync(db, mayRecreate: false, CancellationToken.None));

        Assert.Contains("ReferralDrafts", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AspNetUsers", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, await db.Users.CountAsync()); // nothing deleted
    }

    [Fact]
    public async Task A_database_from_before_the_referral_drafts_is_recreated_in_the_demo_and_then_has_every_table()
    {
        await CreateWithoutDraftsAsync();
        await using var db = Open();

        await PortalDataExtensions.PortalDatabaseInitializer.EnsureSchemaAsync(db, mayRecreate: true, CancellationToken.None);

        Assert.Empty(await PortalDataExtensions.PortalDatabaseInitializer.MissingTablesAsync(db, CancellationToken.None));
        Assert.Equal(0, await db.ReferralDrafts.CountAsync());
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
            () => PortalDataExtensions.PortalDatabaseInitializer.EnsureSchemaAsync(old, mayRecreate: false, CancellationToken.None));

        Assert.Contains("AspNetUsers", error.Message, StringComparison.Ordinal);
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

    private PortalDbContext Open() =>
        new(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite($"Data Source={DbPath}").Options);

    private void CreateOldDatabase()
    {
        // A database with tables but not the account tables (an empty file, as the foundation left it, just gets them).
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE Old (Id INTEGER PRIMARY KEY)";
        command.ExecuteNonQuery();
    }
}

using MedNetPortal.FhirBase.Storage;
using MedNetPortal.IntegrationTests.FhirBase;
using MedNetPortal.Tests.Shared;
using MedNetPortal.Web.Host.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace MedNetPortal.IntegrationTests.Migrations;

/// <summary>
/// Several instances started together with <c>Database:MigrateOnStartup</c> migrate one PostgreSQL database at the same
/// moment: every one of them succeeds and each migration is applied once (EF Core's migration lock, and the adoption's own).
/// </summary>
public sealed class ConcurrentMigrationTests
{
    [PostgresFact]
    public async Task Three_instances_migrating_an_empty_database_at_once_all_succeed()
    {
        await using var database = await TestPostgresDatabase.CreateAsync("concurrent_empty");

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => MigrateAsync(database.ConnectionString)));

        await using var db = Open(database.ConnectionString);
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        // Each migration applied by exactly one of them: the others found it applied when their turn came.
        Assert.Equal(db.Database.GetMigrations().Order(StringComparer.Ordinal), results.SelectMany(r => r.Applied).Order(StringComparer.Ordinal));
    }

    [PostgresFact]
    public async Task Three_instances_upgrading_a_database_made_without_migrations_at_once_adopt_it_once()
    {
        await using var database = await TestPostgresDatabase.CreateAsync("concurrent_adopt");
        await using (var db = Open(database.ConnectionString))
        {
            await db.GetService<IMigrator>().MigrateAsync(PortalMigrations.LastEnsureCreated);
            await db.Database.ExecuteSqlRawAsync("DROP TABLE \"__EFMigrationsHistory\"");
            db.Users.Add(new() { UserName = "keep@test.example", DisplayName = "残す" });
            await db.SaveChangesAsync();
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => MigrateAsync(database.ConnectionString)));

        await using var check = Open(database.ConnectionString);
        Assert.Equal(check.Database.GetMigrations(), await check.Database.GetAppliedMigrationsAsync());
        Assert.Single(results, r => r.Adopted is not null);
        Assert.Equal(1, await check.Users.CountAsync());
    }

    private static async Task<SchemaMigrationResult> MigrateAsync(string connectionString)
    {
        await using var db = Open(connectionString);
        return await PortalDataExtensions.PortalDatabaseInitializer.MigrateAsync(db, mayRecreate: false, CancellationToken.None);
    }

    private static PostgresPortalDbContext Open(string connectionString) =>
        new(new DbContextOptionsBuilder<PostgresPortalDbContext>().UseNpgsql(connectionString).Options);
}

using MedNetPortal.FhirBase.Storage;
using MedNetPortal.Web.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace MedNetPortal.IntegrationTests.Migrations;

/// <summary>
/// Every provider's migrations describe the current model: a model change without its migration (for both providers) fails
/// here, not at an operator's upgrade. Add one with `dotnet ef migrations add` as docs/deployment.md shows.
/// </summary>
public sealed class MigrationSetTests
{
    public static TheoryData<string> Contexts => ["portal-sqlite", "portal-postgres", "base-sqlite", "base-postgres"];

    [Theory]
    [MemberData(nameof(Contexts))]
    public void The_migrations_of_each_provider_match_the_model(string name)
    {
        using var db = Create(name);

        Assert.False(db.Database.HasPendingModelChanges(), $"{name}: the model has changes no migration describes.");
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public void Both_providers_have_the_same_migrations_so_a_later_migration_is_added_to_both()
    {
        using var portalSqlite = Create("portal-sqlite");
        using var portalPostgres = Create("portal-postgres");
        using var baseSqlite = Create("base-sqlite");
        using var basePostgres = Create("base-postgres");

        Assert.Equal(portalSqlite.Database.GetMigrations(), portalPostgres.Database.GetMigrations());
        Assert.Equal(baseSqlite.Database.GetMigrations(), basePostgres.Database.GetMigrations());
        Assert.Contains(PortalMigrations.LastEnsureCreated, portalSqlite.Database.GetMigrations());
        Assert.Contains(FhirBaseMigrations.LastEnsureCreated, baseSqlite.Database.GetMigrations());
    }

    internal static DbContext Create(string name) => name switch
    {
        "portal-sqlite" => new SqlitePortalDbContext(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite("Data Source=:memory:").Options),
        "portal-postgres" => new PostgresPortalDbContext(new DbContextOptionsBuilder<PostgresPortalDbContext>().UseNpgsql("Host=unused").Options),
        "base-sqlite" => new SqliteFhirBaseDbContext(new DbContextOptionsBuilder<SqliteFhirBaseDbContext>().UseSqlite("Data Source=:memory:").Options),
        "base-postgres" => new PostgresFhirBaseDbContext(new DbContextOptionsBuilder<PostgresFhirBaseDbContext>().UseNpgsql("Host=unused").Options),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}

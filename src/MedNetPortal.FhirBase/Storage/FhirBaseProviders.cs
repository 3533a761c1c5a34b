using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MedNetPortal.FhirBase.Storage;

/// <summary>The base on SQLite, with the migrations in <c>Storage/Migrations/Sqlite</c>.</summary>
internal sealed class SqliteFhirBaseDbContext(DbContextOptions<SqliteFhirBaseDbContext> options) : FhirBaseDbContext(options);

/// <summary>The base on PostgreSQL, with the migrations in <c>Storage/Migrations/Postgres</c>.</summary>
internal sealed class PostgresFhirBaseDbContext(DbContextOptions<PostgresFhirBaseDbContext> options) : FhirBaseDbContext(options);

/// <summary>
/// The migrations of each provider; <see cref="LastEnsureCreated"/> is the last one whose schema a release without migrations
/// made with <c>EnsureCreated</c> (see <see cref="SchemaMigrations"/>).
/// </summary>
internal static class FhirBaseMigrations
{
    public const string LastEnsureCreated = "20261203000000_InitialSchema";
}

/// <summary>For <c>dotnet ef migrations add … --context SqliteFhirBaseDbContext</c> (docs/deployment.md); opens no database.</summary>
internal sealed class SqliteFhirBaseDesignTimeFactory : IDesignTimeDbContextFactory<SqliteFhirBaseDbContext>
{
    public SqliteFhirBaseDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteFhirBaseDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>For <c>dotnet ef migrations add … --context PostgresFhirBaseDbContext</c>; opens no database.</summary>
internal sealed class PostgresFhirBaseDesignTimeFactory : IDesignTimeDbContextFactory<PostgresFhirBaseDbContext>
{
    public PostgresFhirBaseDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresFhirBaseDbContext>().UseNpgsql("Host=design-time").Options);
}

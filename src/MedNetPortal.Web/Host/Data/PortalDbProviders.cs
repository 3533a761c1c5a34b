using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MedNetPortal.Web.Host.Data;

/// <summary>The portal database on SQLite, with the migrations in <c>Host/Data/Migrations/Sqlite</c>.</summary>
public sealed class SqlitePortalDbContext(DbContextOptions<SqlitePortalDbContext> options) : PortalDbContext(options);

/// <summary>The portal database on PostgreSQL, with the migrations in <c>Host/Data/Migrations/Postgres</c>.</summary>
public sealed class PostgresPortalDbContext(DbContextOptions<PostgresPortalDbContext> options) : PortalDbContext(options);

/// <summary>
/// <see cref="LastEnsureCreated"/>: the last migration whose schema a release without migrations could have made with
/// <c>EnsureCreated</c> (the release before migrations and main up to them); see <c>SchemaMigrations</c>.
/// </summary>
internal static class PortalMigrations
{
    public const string LastEnsureCreated = "20261203000100_ServerSessionsAndForwardingState";
}

/// <summary>For <c>dotnet ef migrations add … --context SqlitePortalDbContext</c> (docs/deployment.md); opens no database.</summary>
internal sealed class SqlitePortalDesignTimeFactory : IDesignTimeDbContextFactory<SqlitePortalDbContext>
{
    public SqlitePortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>For <c>dotnet ef migrations add … --context PostgresPortalDbContext</c>; opens no database.</summary>
internal sealed class PostgresPortalDesignTimeFactory : IDesignTimeDbContextFactory<PostgresPortalDbContext>
{
    public PostgresPortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresPortalDbContext>().UseNpgsql("Host=design-time").Options);
}

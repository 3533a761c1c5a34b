using MedNetPortal.Fhir.Options;
using MedNetPortal.FhirBase;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Features.Data;

/// <summary>
/// Registers <see cref="PortalDbContext"/>: PostgreSQL when <c>ConnectionStrings:Portal</c> is set, otherwise the SQLite file
/// <c>portal.db</c> in <c>Storage:DataDirectory</c>.
/// </summary>
public static class PortalDataExtensions
{
    public const string ConnectionStringName = "Portal";
    public const string SqliteFileName = "portal.db";

    public static IServiceCollection AddPortalDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddValidatedOptions<StorageOptions>(configuration, StorageOptions.SectionName);
        services.AddDbContext<PortalDbContext>((provider, options) =>
        {
            var connectionString = configuration.GetConnectionString(ConnectionStringName);
            if (!string.IsNullOrWhiteSpace(connectionString))
            {
                options.UseNpgsql(connectionString);
                return;
            }

            var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            var folder = storage.ResolveDataDirectory(provider.GetRequiredService<IHostEnvironment>().ContentRootPath);
            options.UseSqlite($"Data Source={Path.Combine(folder, SqliteFileName)}");
        });
        services.AddHostedService<PortalDatabaseInitializer>();
        return services;
    }

    /// <summary>
    /// Creates the schema at start-up with <c>EnsureCreated</c> (no EF migrations yet: one model for SQLite and PostgreSQL).
    /// A database made before the accounts tables existed (the foundation's empty portal.db) is recreated when demo data is on
    /// (it held nothing); otherwise start-up stops with a message saying what to do, rather than deleting an operator's data.
    /// Then every <see cref="IPortalDataSeeder"/> runs.
    /// </summary>
    internal sealed class PortalDatabaseInitializer(IServiceScopeFactory scopes, IConfiguration configuration) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            await EnsureSchemaAsync(db, configuration.GetValue<bool>("Demo:Enabled"), cancellationToken);
            foreach (var seeder in scope.ServiceProvider.GetServices<IPortalDataSeeder>())
            {
                await seeder.SeedAsync(cancellationToken);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        internal static async Task EnsureSchemaAsync(PortalDbContext db, bool mayRecreate, CancellationToken cancellationToken)
        {
            if (await db.Database.EnsureCreatedAsync(cancellationToken) || await HasAccountTablesAsync(db, cancellationToken))
            {
                return;
            }

            if (!mayRecreate)
            {
                throw new InvalidOperationException(
                    "The portal database exists but has no account tables (it was created by an earlier version). "
                    + "Back it up and delete it (SQLite: portal.db in Storage:DataDirectory; PostgreSQL: the database in ConnectionStrings:Portal) "
                    + "so the portal can create it, or start with Demo:Enabled=true to have it recreated.");
            }

            await db.Database.EnsureDeletedAsync(cancellationToken);
            await db.Database.EnsureCreatedAsync(cancellationToken);
        }

        private static async Task<bool> HasAccountTablesAsync(PortalDbContext db, CancellationToken cancellationToken)
        {
            try
            {
                _ = await db.Users.AsNoTracking().AnyAsync(cancellationToken);
                return true;
            }
            catch (System.Data.Common.DbException)
            {
                return false;
            }
        }
    }
}

using MedNetPortal.Fhir.Options;
using MedNetPortal.FhirBase;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
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
        // First of all hosted services: Data Protection's own hosted service reads the key ring from this database at start-up,
        // so the tables must exist before it (and before Kestrel, the demo seeding and the audit forwarder) runs.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, PortalDatabaseInitializer>());
        // Default key storage is the user profile, which a container loses at every restart (everyone signed out).
        // Encrypted at rest (DataProtection section): a copy of the database alone holds no usable keys.
        DataProtectionAtRest.Configure(
            services.AddDataProtection().SetApplicationName("MedNetPortal").PersistKeysToDbContext<PortalDbContext>(), configuration);
        return services;
    }

    /// <summary>
    /// Creates the schema at start-up with <c>EnsureCreated</c> (no EF migrations yet: one model for SQLite and PostgreSQL).
    /// <c>EnsureCreated</c> does nothing to a database that already has tables, so a database made by an earlier version that
    /// lacks a table or a column of the current model (the foundation's empty portal.db, or one from before the referral drafts or
    /// the facility registry's address columns) is
    /// recreated when demo data is on (it held only demo data); otherwise start-up stops with a message naming the missing
    /// tables and saying what to do, rather than deleting an operator's data. Then every <see cref="IPortalDataSeeder"/> runs.
    /// </summary>
    internal sealed class PortalDatabaseInitializer(IServiceScopeFactory scopes, IConfiguration configuration) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await using var scope = scopes.CreateAsyncScope();
            // Before SQLite creates them: the portal's and the embedded base's database files are the portal account's only.
            var folder = scope.ServiceProvider.GetRequiredService<IOptions<StorageOptions>>().Value
                .ResolveDataDirectory(scope.ServiceProvider.GetRequiredService<IHostEnvironment>().ContentRootPath);
            if (string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionStringName)))
            {
                DataFiles.Secure(Path.Combine(folder, SqliteFileName));
            }

            if (configuration.GetValue<bool>("FhirBase:Enabled") && string.IsNullOrWhiteSpace(configuration.GetConnectionString(FhirBaseExtensions.ConnectionStringName)))
            {
                DataFiles.Secure(Path.Combine(folder, FhirBaseExtensions.SqliteFileName));
            }

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
            if (await db.Database.EnsureCreatedAsync(cancellationToken))
            {
                return;
            }

            var missing = await MissingTablesAsync(db, cancellationToken);
            if (missing.Count == 0)
            {
                return;
            }

            if (!mayRecreate)
            {
                throw new InvalidOperationException(
                    $"The portal database exists but lacks the tables or columns {string.Join(", ", missing)} (it was created by an earlier version). "
                    + "Back it up and delete it (SQLite: portal.db in Storage:DataDirectory; PostgreSQL: the database in ConnectionStrings:Portal) "
                    + "so the portal can create it, or start with Demo:Enabled=true to have it recreated.");
            }

            await db.Database.EnsureDeletedAsync(cancellationToken);
            await db.Database.EnsureCreatedAsync(cancellationToken);
        }

        /// <summary>
        /// The model's tables the database does not have, and tables lacking a column of the model (reported as
        /// <c>Table (columns)</c>): probed with queries that read no rows, on any provider.
        /// </summary>
        internal static async Task<IReadOnlyList<string>> MissingTablesAsync(PortalDbContext db, CancellationToken cancellationToken)
        {
            var sql = db.GetService<ISqlGenerationHelper>();
            var tables = db.Model.GetRelationalModel().Tables
                .Select(t => (t.Name, t.Schema, Columns: t.Columns.Select(c => c.Name).Order(StringComparer.Ordinal).ToList()))
                .OrderBy(t => t.Name, StringComparer.Ordinal)
                .ToList();
            var missing = new List<string>();
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                foreach (var (name, schema, columns) in tables)
                {
                    var table = sql.DelimitIdentifier(name, schema);
                    if (!await ProbeAsync(connection, $"SELECT 1 FROM {table} WHERE 1 = 0", cancellationToken))
                    {
                        missing.Add(name);
                    }
                    else if (!await ProbeAsync(connection, $"SELECT {string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c)))} FROM {table} WHERE 1 = 0", cancellationToken))
                    {
                        missing.Add($"{name} (columns)");
                    }
                }
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }

            return missing;
        }

        private static async Task<bool> ProbeAsync(System.Data.Common.DbConnection connection, string query, CancellationToken cancellationToken)
        {
            await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Table and column names come from the EF model, delimited by the provider; no user input.
            command.CommandText = query;
#pragma warning restore CA2100
            try
            {
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                return true;
            }
            catch (System.Data.Common.DbException)
            {
                return false;
            }
        }
    }
}

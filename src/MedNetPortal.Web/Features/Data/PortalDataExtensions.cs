using MedNetPortal.Fhir.Options;
using MedNetPortal.FhirBase;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
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
        services.AddHostedService<PortalDatabaseInitializer>();
        return services;
    }

    /// <summary>
    /// Creates the schema at start-up with <c>EnsureCreated</c> (no EF migrations yet: one model for SQLite and PostgreSQL).
    /// <c>EnsureCreated</c> does nothing to a database that already has tables, so a database made by an earlier version that
    /// lacks a table of the current model (the foundation's empty portal.db, or one from before the referral drafts) is
    /// recreated when demo data is on (it held only demo data); otherwise start-up stops with a message naming the missing
    /// tables and saying what to do, rather than deleting an operator's data. Then every <see cref="IPortalDataSeeder"/> runs.
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
                    $"The portal database exists but lacks the tables (or some of their columns) {string.Join(", ", missing)} (it was created by an earlier version). "
                    + "Back it up and delete it (SQLite: portal.db in Storage:DataDirectory; PostgreSQL: the database in ConnectionStrings:Portal) "
                    + "so the portal can create it, or start with Demo:Enabled=true to have it recreated.");
            }

            await db.Database.EnsureDeletedAsync(cancellationToken);
            await db.Database.EnsureCreatedAsync(cancellationToken);
        }

        /// <summary>The model's tables the database does not have (probed with a query that reads no rows, on any provider).</summary>
        internal static async Task<IReadOnlyList<string>> MissingTablesAsync(PortalDbContext db, CancellationToken cancellationToken)
        {
            var sql = db.GetService<ISqlGenerationHelper>();
            // Every column of the model is selected, so a table made before a column was added counts as missing too.
            var tables = db.Model.GetEntityTypes()
                .Where(t => t.GetTableName() is not null && t.GetViewName() is null)
                .GroupBy(t => (Name: t.GetTableName()!, Schema: t.GetSchema()))
                .Select(g => (g.Key.Name, g.Key.Schema, Columns: g
                    .SelectMany(t => t.GetProperties().Select(p => p.GetColumnName(StoreObjectIdentifier.Table(g.Key.Name, g.Key.Schema))))
                    .OfType<string>().Distinct(StringComparer.Ordinal).Select(c => sql.DelimitIdentifier(c)).ToList()))
                .OrderBy(t => t.Name, StringComparer.Ordinal)
                .ToList();
            var missing = new List<string>();
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                foreach (var (name, schema, columns) in tables)
                {
                    await using var command = connection.CreateCommand();
                    var selected = columns.Count == 0 ? "1" : string.Join(", ", columns);
#pragma warning disable CA2100 // Table and column names come from the EF model, delimited by the provider; no user input.
                    command.CommandText = $"SELECT {selected} FROM {sql.DelimitIdentifier(name, schema)} WHERE 1 = 0";
#pragma warning restore CA2100
                    try
                    {
                        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    }
                    catch (System.Data.Common.DbException)
                    {
                        missing.Add(name);
                    }
                }
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }

            return missing;
        }
    }
}

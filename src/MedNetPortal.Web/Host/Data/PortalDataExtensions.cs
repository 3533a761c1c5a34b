using MedNetPortal.Fhir.Options;
using MedNetPortal.FhirBase;
using MedNetPortal.FhirBase.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Host.Data;

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
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.SectionName)).ValidateOnStart();
        // One context type per provider, each with its own migrations; everything else asks for
        // IDbContextFactory<PortalDbContext> and makes one context per operation (docs/architecture.md, "Database contexts").
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            AddProvider<PostgresPortalDbContext>(services, (_, options) => options.UseNpgsql(connectionString));
        }
        else
        {
            AddProvider<SqlitePortalDbContext>(services, (provider, options) =>
            {
                var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
                var folder = storage.ResolveDataDirectory(provider.GetRequiredService<IHostEnvironment>().ContentRootPath);
                options.UseSqlite($"Data Source={Path.Combine(folder, SqliteFileName)}");
            });
        }

        // First of all hosted services: Data Protection's own hosted service reads the key ring from this database at start-up,
        // so the tables must exist before it (and before Kestrel, the demo seeding and the audit forwarder) runs.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, PortalDatabaseInitializer>());
        services.Insert(1, ServiceDescriptor.Singleton<IHostedService, DataProtectionKeyCheck>());
        // Default key storage is the user profile, which a container loses at every restart (everyone signed out).
        // Encrypted at rest (DataProtection section): a copy of the database alone holds no usable keys.
        DataProtectionAtRest.Configure(
            services.AddDataProtection().SetApplicationName("MedNetPortal").PersistKeysToDbContext<PortalDbContext>(), configuration);
        return services;
    }

    private static void AddProvider<TContext>(IServiceCollection services, Action<IServiceProvider, DbContextOptionsBuilder> configure)
        where TContext : PortalDbContext
    {
        services.AddDbContextFactory<TContext>(configure);
        services.AddSingleton<IDbContextFactory<PortalDbContext>, PortalDbContextFactory<TContext>>();
        // The scoped context exists only for what the framework resolves by type: ASP.NET Core Identity's EF stores
        // (UserManager, RoleManager, SignInManager) and Data Protection's key store. Portal code uses the factory.
        services.AddScoped<PortalDbContext>(provider => provider.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext());
    }

    /// <summary>
    /// Applies the portal database's pending migrations (the <c>migrate</c> command); see <see cref="PortalDatabaseInitializer.MigrateAsync"/>.
    /// </summary>
    public static async Task<SchemaMigrationResult> MigratePortalDatabaseAsync(this IServiceProvider services, bool mayRecreate, CancellationToken cancellationToken)
    {
        SecureDataFiles(services, services.GetRequiredService<IConfiguration>());
        await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(cancellationToken);
        return await PortalDatabaseInitializer.MigrateAsync(db, mayRecreate, cancellationToken);
    }

    /// <summary>The portal database's migrations not yet applied, oldest first.</summary>
    public static async Task<IReadOnlyList<string>> PendingPortalMigrationsAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(cancellationToken);
        return await SchemaMigrations.PendingAsync(db, cancellationToken);
    }

    /// <summary>Before SQLite creates them: the portal's and the embedded base's database files are the portal account's only.</summary>
    internal static void SecureDataFiles(IServiceProvider services, IConfiguration configuration)
    {
        var folder = services.GetRequiredService<IOptions<StorageOptions>>().Value
            .ResolveDataDirectory(services.GetRequiredService<IHostEnvironment>().ContentRootPath);
        if (string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionStringName)))
        {
            DataFiles.Secure(Path.Combine(folder, SqliteFileName));
        }

        if (configuration.GetValue<bool>("FhirBase:Enabled") && string.IsNullOrWhiteSpace(configuration.GetConnectionString(FhirBaseExtensions.ConnectionStringName)))
        {
            DataFiles.Secure(Path.Combine(folder, FhirBaseExtensions.SqliteFileName));
        }
    }

    /// <summary>
    /// At start-up, first of all hosted services: applies pending migrations when <c>Database:MigrateOnStartup</c> is on, and
    /// otherwise stops start-up when any are pending, naming the <c>migrate</c> command and the setting. Then every
    /// <see cref="IPortalDataSeeder"/> runs.
    /// </summary>
    internal sealed class PortalDatabaseInitializer(IServiceScopeFactory scopes, IConfiguration configuration, IOptions<DatabaseOptions> database) : IHostedService
    {
        public const string DatabaseName = "portal database";

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await using var scope = scopes.CreateAsyncScope();
            SecureDataFiles(scope.ServiceProvider, configuration);
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(cancellationToken);
            if (database.Value.MigrateOnStartup)
            {
                await MigrateAsync(db, configuration.GetValue<bool>("Demo:Enabled"), cancellationToken);
            }
            else if (await SchemaMigrations.PendingAsync(db, cancellationToken) is { Count: > 0 } pending)
            {
                throw new InvalidOperationException(SchemaMigrations.PendingMessage(DatabaseName, pending));
            }

            foreach (var seeder in scope.ServiceProvider.GetServices<IPortalDataSeeder>())
            {
                await seeder.SeedAsync(cancellationToken);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        /// <summary>
        /// Applies the pending migrations. A database made by a release without migrations is adopted (its schema recognised
        /// and recorded, see <c>SchemaMigrations</c>); one whose schema is older than any release with migrations can upgrade
        /// (the foundation's, or one from before the referral drafts) is recreated when <paramref name="mayRecreate"/> (demo
        /// data only), and otherwise stops with a message naming what it lacks, rather than deleting an operator's data.
        /// </summary>
        internal static async Task<SchemaMigrationResult> MigrateAsync(PortalDbContext db, bool mayRecreate, CancellationToken cancellationToken)
        {
            try
            {
                return await SchemaMigrations.MigrateAsync(db, PortalMigrations.LastEnsureCreated, cancellationToken);
            }
            catch (UnrecognisedSchemaException ex) when (!mayRecreate)
            {
                throw new InvalidOperationException(
                    $"The portal database exists but lacks the tables or columns {string.Join(", ", ex.Missing)} (it was created by an earlier version than any this one can upgrade). "
                    + "Back it up and delete it (SQLite: portal.db in Storage:DataDirectory; PostgreSQL: the database in ConnectionStrings:Portal) "
                    + "so the portal can create it, or start with Demo:Enabled=true to have it recreated.", ex);
            }
            catch (UnrecognisedSchemaException)
            {
                await db.Database.EnsureDeletedAsync(cancellationToken);
                return await SchemaMigrations.MigrateAsync(db, PortalMigrations.LastEnsureCreated, cancellationToken);
            }
        }

        /// <summary>The model's tables the database does not have, and tables lacking a column of the model (<c>Table (columns)</c>).</summary>
        internal static Task<IReadOnlyList<string>> MissingTablesAsync(PortalDbContext db, CancellationToken cancellationToken) =>
            SchemaMigrations.MissingTablesAsync(db, db.Model.GetRelationalModel(), cancellationToken);
    }
}

using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace MedNetPortal.FhirBase.Storage;

/// <summary>What <see cref="SchemaMigrations.MigrateAsync"/> did.</summary>
/// <param name="Applied">The migrations applied now, oldest first.</param>
/// <param name="Adopted">
/// When the database had been created by <c>EnsureCreated</c> before there were migrations: the newest migration whose schema
/// it already had, recorded as applied without running it.
/// </param>
public sealed record SchemaMigrationResult(IReadOnlyList<string> Applied, string? Adopted);

/// <summary>A database made without migrations whose schema is none that a migration describes: nothing was changed.</summary>
public sealed class UnrecognisedSchemaException : InvalidOperationException
{
    public UnrecognisedSchemaException(IReadOnlyList<string> missing)
        : base($"The database was made by a release without migrations, but its schema is none this release can upgrade: it lacks {string.Join(", ", missing ?? [])}. "
               + "Back it up and start from an empty database.")
    {
        Missing = missing ?? [];
    }

    public UnrecognisedSchemaException()
        : this([])
    {
    }

    public UnrecognisedSchemaException(string message)
        : base(message)
    {
        Missing = [];
    }

    public UnrecognisedSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
        Missing = [];
    }

    /// <summary>The tables (or <c>Table (columns)</c>) the oldest known schema has and the database lacks.</summary>
    public IReadOnlyList<string> Missing { get; }
}

/// <summary>
/// EF Core migrations for the portal database and the embedded base, shared by both (the <c>migrate</c> command and start-up).
/// Releases before migrations created their databases with <c>EnsureCreated</c>: such a database has the tables but no
/// <c>__EFMigrationsHistory</c>. It is adopted: the newest of the migrations up to <c>lastEnsureCreated</c> whose tables and
/// columns it has in full is recorded as applied (with every earlier one), under EF's migration lock so that two instances
/// starting together adopt it once, and the later migrations then run as usual.
/// </summary>
public static class SchemaMigrations
{
    /// <summary>Migrations not yet applied, oldest first (every one for a database made by <c>EnsureCreated</c>, or none yet).</summary>
    public static async Task<IReadOnlyList<string>> PendingAsync(DbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        // Without its history table every migration is pending: asked first so that EF does not log a failed query as an error.
        if (!await db.GetService<IHistoryRepository>().ExistsAsync(cancellationToken))
        {
            return [.. db.Database.GetMigrations()];
        }

        return [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)];
    }

    /// <summary>Why start-up stops: what is pending, the command that applies it and the setting that would have.</summary>
    public static string PendingMessage(string database, IReadOnlyList<string> pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        return $"The {database} needs {pending.Count} schema migration(s): {string.Join(", ", pending)}. Back it up, then apply them with "
            + $"`{DatabaseOptions.MigrateCommandLine}`, or set {DatabaseOptions.MigrateOnStartupKey}=true to apply them at start-up.";
    }

    /// <summary>Adopts a database made by <c>EnsureCreated</c> (see the class), then applies every pending migration.</summary>
    /// <param name="db">A context of the provider's migrations (its subclass).</param>
    /// <param name="lastEnsureCreated">The id of the last migration whose schema a release could have made with <c>EnsureCreated</c>.</param>
    /// <param name="cancellationToken">Cancels the work (a migration already running completes or rolls back in the database).</param>
    public static async Task<SchemaMigrationResult> MigrateAsync(DbContext db, string lastEnsureCreated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsNpgsql())
        {
            // SQLite: EF Core's own lock (a lock table) keeps two processes on one file apart.
            return await MigrateUnlockedAsync(db, lastEnsureCreated, cancellationToken);
        }

        // PostgreSQL: EF Core's lock alone let instances starting together apply the same migration twice (a test proves it);
        // a session advisory lock on a connection of its own makes them take turns, and the later ones find nothing pending.
        await EnsureDatabaseAsync(db, cancellationToken);
        await using var lockConnection = new NpgsqlConnection(db.Database.GetConnectionString());
        await lockConnection.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            take.Parameters.AddWithValue("key", MigrationLockKey);
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            return await MigrateUnlockedAsync(db, lastEnsureCreated, cancellationToken);
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", MigrationLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Creates the PostgreSQL database itself when it does not exist (what EF Core's migrate would do; the lock needs a
    /// connection to it first). Two instances creating it at once: the later finds it made.
    /// </summary>
    private static async Task EnsureDatabaseAsync(DbContext db, CancellationToken cancellationToken)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(cancellationToken))
        {
            return;
        }

        try
        {
            await creator.CreateAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Created meanwhile by another instance.
        }
    }

    /// <summary>The PostgreSQL advisory lock held while migrating ("MEDNETMG"; the audit chain's is another).</summary>
    public const long MigrationLockKey = 0x4D45444E45544D47;

    private static async Task<SchemaMigrationResult> MigrateUnlockedAsync(DbContext db, string lastEnsureCreated, CancellationToken cancellationToken)
    {
        var adopted = await AdoptEnsureCreatedAsync(db, lastEnsureCreated, cancellationToken);
        var pending = await PendingAsync(db, cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        return new SchemaMigrationResult(pending, adopted);
    }

    /// <summary>
    /// The tables of <paramref name="model"/> the database lacks, and tables lacking one of its columns (<c>Table (columns)</c>):
    /// probed with queries that read no rows, on any provider.
    /// </summary>
    public static async Task<IReadOnlyList<string>> MissingTablesAsync(DbContext db, IRelationalModel model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(model);
        var sql = db.GetService<ISqlGenerationHelper>();
        var missing = new List<string>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            foreach (var table in model.Tables.OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                var name = sql.DelimitIdentifier(table.Name, table.Schema);
                var columns = table.Columns.Select(c => c.Name).Order(StringComparer.Ordinal).Select(c => sql.DelimitIdentifier(c));
                if (!await ProbeAsync(connection, $"SELECT 1 FROM {name} WHERE 1 = 0", cancellationToken))
                {
                    missing.Add(table.Name);
                }
                else if (!await ProbeAsync(connection, $"SELECT {string.Join(", ", columns)} FROM {name} WHERE 1 = 0", cancellationToken))
                {
                    missing.Add($"{table.Name} (columns)");
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return missing;
    }

    private static async Task<string?> AdoptEnsureCreatedAsync(DbContext db, string lastEnsureCreated, CancellationToken cancellationToken)
    {
        var history = db.GetService<IHistoryRepository>();
        if (await history.ExistsAsync(cancellationToken) && (await history.GetAppliedMigrationsAsync(cancellationToken)).Count > 0)
        {
            return null;
        }

        var current = db.GetService<IDesignTimeModel>().Model.GetRelationalModel();
        if ((await MissingTablesAsync(db, current, cancellationToken)).Count == current.Tables.Count())
        {
            return null; // An empty database: the migrations create everything.
        }

        // Probed before taking the lock: on PostgreSQL a failed probe would abort the transaction that holds it.
        var assembly = db.GetService<IMigrationsAssembly>();
        var provider = db.Database.ProviderName ?? string.Empty;
        string? adopted = null;
        IReadOnlyList<string> oldestMissing = [];
        foreach (var (id, type) in assembly.Migrations
                     .Where(m => string.CompareOrdinal(m.Key, lastEnsureCreated) <= 0)
                     .OrderByDescending(m => m.Key, StringComparer.Ordinal))
        {
            oldestMissing = await MissingTablesAsync(db, TargetModelOf(db, assembly.CreateMigration(type, provider)), cancellationToken);
            if (oldestMissing.Count == 0)
            {
                adopted = id;
                break;
            }
        }

        if (adopted is null)
        {
            throw new UnrecognisedSchemaException(oldestMissing);
        }

        await history.CreateIfNotExistsAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            // Another instance adopting at the same moment waits here, then finds the rows below.
            await db.Database.ExecuteSqlRawAsync("LOCK TABLE \"__EFMigrationsHistory\" IN ACCESS EXCLUSIVE MODE", cancellationToken);
        }

        if ((await history.GetAppliedMigrationsAsync(cancellationToken)).Count > 0)
        {
            return null;
        }

        var version = typeof(DbContext).Assembly.GetName().Version?.ToString(3) ?? "10.0";
        foreach (var id in assembly.Migrations.Keys.Where(k => string.CompareOrdinal(k, adopted) <= 0).Order(StringComparer.Ordinal))
        {
            await db.Database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(id, version)), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return adopted;
    }

    private static IRelationalModel TargetModelOf(DbContext db, Migration migration)
    {
        var model = migration.TargetModel ?? throw new InvalidOperationException($"Migration {migration.GetType().Name} has no target model.");
        if (model is IMutableModel mutable)
        {
            model = mutable.FinalizeModel();
        }

        return db.GetService<IModelRuntimeInitializer>().Initialize(model, designTime: true, validationLogger: null).GetRelationalModel();
    }

    private static async Task<bool> ProbeAsync(DbConnection connection, string query, CancellationToken cancellationToken)
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
        catch (DbException)
        {
            return false;
        }
    }
}

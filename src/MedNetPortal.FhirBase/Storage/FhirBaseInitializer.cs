using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MedNetPortal.FhirBase.Storage;

/// <summary>
/// At start-up: switches SQLite to WAL, applies pending migrations when <c>Database:MigrateOnStartup</c> is on and otherwise
/// stops start-up if any are pending (naming the <c>migrate</c> command and the setting), and registers stored documents that have
/// no DocumentReference yet (<see cref="DocumentReindexer"/>), then re-links the logical references whose Organization or Patient
/// is in the base by now (<see cref="ReferenceRelinker"/>).
/// </summary>
internal sealed class FhirBaseInitializer(IServiceProvider services, IOptions<FhirBaseOptions> options, IOptions<DatabaseOptions> database) : IHostedService
{
    public const string DatabaseName = "embedded FHIR base database";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FhirBaseDbContext>();
        if (database.Value.MigrateOnStartup)
        {
            await MigrateAsync(db, cancellationToken);
        }
        else if (await SchemaMigrations.PendingAsync(db, cancellationToken) is { Count: > 0 } pending)
        {
            throw new InvalidOperationException(SchemaMigrations.PendingMessage(DatabaseName, pending));
        }
        await DocumentReindexer.RegisterMissingAsync(db, scope.ServiceProvider.GetRequiredService<DocumentRegistrar>(), cancellationToken);
        await scope.ServiceProvider.GetRequiredService<ReferenceRelinker>().RelinkStoredAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static async Task<SchemaMigrationResult> MigrateAsync(FhirBaseDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        return await SchemaMigrations.MigrateAsync(db, FhirBaseMigrations.LastEnsureCreated, cancellationToken);
    }
}

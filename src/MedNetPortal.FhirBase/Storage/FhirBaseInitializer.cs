using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MedNetPortal.FhirBase.Storage;

/// <summary>Creates the schema at start-up (idempotent, same on SQLite and PostgreSQL), switches SQLite to WAL and registers
/// stored documents that have no DocumentReference yet (<see cref="DocumentReindexer"/>).</summary>
internal sealed class FhirBaseInitializer(IServiceProvider services, IOptions<FhirBaseOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FhirBaseDbContext>();
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        await db.Database.EnsureCreatedAsync(cancellationToken);
        await DocumentReindexer.RegisterMissingAsync(db, scope.ServiceProvider.GetRequiredService<DocumentRegistrar>(), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

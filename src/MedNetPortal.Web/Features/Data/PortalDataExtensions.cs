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

    /// <summary>Creates the database at start-up until the sign-in work brings migrations.</summary>
    private sealed class PortalDatabaseInitializer(IServiceScopeFactory scopes) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            await db.Database.EnsureCreatedAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

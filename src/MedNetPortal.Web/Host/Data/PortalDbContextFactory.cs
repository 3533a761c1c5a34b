using Microsoft.EntityFrameworkCore;

namespace MedNetPortal.Web.Host.Data;

/// <summary>
/// <see cref="IDbContextFactory{TContext}"/> of <see cref="PortalDbContext"/> over the configured provider's own context type
/// (<see cref="SqlitePortalDbContext"/> or <see cref="PostgresPortalDbContext"/>): every service asks for the base type.
/// </summary>
internal sealed class PortalDbContextFactory<TContext>(IDbContextFactory<TContext> provider) : IDbContextFactory<PortalDbContext>
    where TContext : PortalDbContext
{
    public PortalDbContext CreateDbContext() => provider.CreateDbContext();

    public async Task<PortalDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await provider.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
}

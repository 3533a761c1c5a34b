using MedNetPortal.Web.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace MedNetPortal.IntegrationTests.Infrastructure;

/// <summary>A context factory over fixed options, for tests that build a portal service by hand (one context per operation, as in the app).</summary>
internal sealed class PortalDbContexts(DbContextOptions<PortalDbContext> options) : IDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext() => new(options);
}

using MedNetPortal.Web.Host.Data;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.UnitTests.Web.Structure.Planted;

/// <summary>What the DbContext rule forbids, planted so that DbContextLifetimeTests can show its check fails on it.</summary>
internal static class ScopedContextUser
{
    public static async Task<int> CountAsync(IServiceScopeFactory scopes)
    {
        await using var scope = scopes.CreateAsyncScope();
        return scope.ServiceProvider.GetRequiredService<PortalDbContext>().ChangeTracker.Entries().Count();
    }
}

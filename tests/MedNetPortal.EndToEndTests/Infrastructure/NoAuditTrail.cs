using MedNetPortal.Web.Features.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MedNetPortal.EndToEndTests.Infrastructure;

/// <summary>
/// Stands in for the audit trail while its implementation is not merged (TryAdd: the app's own wins once it registers one).
/// </summary>
public sealed class NoAuditTrail : IAuditTrail
{
    public static void AddIfMissing(IServiceCollection services) => services.TryAddSingleton<IAuditTrail, NoAuditTrail>();

    public Task RecordAsync(AuditRecord record, CancellationToken cancellationToken) => Task.CompletedTask;

    public string HashIdentifier(string value) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)));
}

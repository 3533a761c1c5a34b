using System.Collections.Concurrent;
using MedNetPortal.Web.Features.Audit;

namespace MedNetPortal.IntegrationTests;

/// <summary>
/// Keeps the audit records features report, for assertions. Registered by the test factories only when the app registers
/// no <see cref="IAuditTrail"/> of its own (the trail's implementation lives on another branch until merged).
/// </summary>
public sealed class RecordingAuditTrail : IAuditTrail
{
    private readonly ConcurrentQueue<AuditRecord> records = new();

    public IReadOnlyList<AuditRecord> Records => [.. records];

    public Task RecordAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        records.Enqueue(record);
        return Task.CompletedTask;
    }

    public string HashIdentifier(string value) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)));
}

using MedNetPortal.Web.Features.Audit;

namespace MedNetPortal.IntegrationTests.Audit;

/// <summary>An <see cref="IAuditTrail"/> for service tests that have no portal database: keeps the records in memory.</summary>
public sealed class RecordingAuditTrail : IAuditTrail
{
    private readonly List<AuditRecord> records = [];

    public IReadOnlyList<AuditRecord> Records
    {
        get
        {
            lock (records)
            {
                return [.. records];
            }
        }
    }

    public Task RecordAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        lock (records)
        {
            records.Add(record);
        }

        return Task.CompletedTask;
    }

    public string HashIdentifier(string value) => "hash-of-" + value.Length;
}

using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Letters;
using MedNetPortal.Web.Features.Documents;

namespace MedNetPortal.ComponentTests.Documents;

/// <summary>Records the read receipts a letter page asks for, instead of writing them to a base.</summary>
internal sealed class StubReadReceipts : IReadReceiptWriter
{
    public ReceiptOutcome Outcome { get; set; } = ReceiptOutcome.Recorded;

    public List<(string Id, DocumentRouting? Routing)> Calls { get; } = [];

    public Task<ReceiptOutcome> RecordOpenedAsync(string letterId, DocumentRouting? routing, CancellationToken cancellationToken)
    {
        Calls.Add((letterId, routing));
        return Task.FromResult(Outcome);
    }
}

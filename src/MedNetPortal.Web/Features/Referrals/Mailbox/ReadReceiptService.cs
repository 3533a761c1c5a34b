using MedNetPortal.Web.Features.Audit;
using System.Net;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Referrals;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Documents;

namespace MedNetPortal.Web.Features.Referrals.Mailbox;

/// <summary>What became of one attempt to record that a letter was opened.</summary>
public enum ReceiptOutcome
{
    /// <summary>The user is not of the letter's destination facility (the sender's own views, anyone else): nothing written.</summary>
    NotRecipient,

    /// <summary>The letter lacks what a receipt needs (Bundle identifier, sender or destination code): nothing written.</summary>
    NotApplicable,

    /// <summary>This open wrote the receipt (201).</summary>
    Recorded,

    /// <summary>A receipt already existed (an earlier open, another reader); the base wrote nothing.</summary>
    AlreadyRecorded,

    /// <summary>Writing failed; logged, and tried again the next time the letter is opened.</summary>
    Failed,
}

/// <summary>Records that a letter was opened (the letter page's only dependency on the mailbox).</summary>
public interface IReadReceiptWriter
{
    /// <summary>Records that the signed-in user opened the letter, if they are of its destination facility. Never throws.</summary>
    Task<ReceiptOutcome> RecordOpenedAsync(string letterId, DocumentRouting? routing, CancellationToken cancellationToken);
}

/// <summary>
/// Writes the read receipt (a FHIR Communication, <see cref="ReadReceipts"/>) when a user of the letter's destination
/// facility opens it: one conditional create with <c>If-None-Exist</c> on the receipt identifier, so re-opening or a second
/// reader never makes another. Never throws: viewing a letter must not depend on the receipt.
/// </summary>
public sealed partial class ReadReceiptService(
    CentralFhirClient client, ICurrentUserAccessor users, TimeProvider time, IAuditTrail audit, ILogger<ReadReceiptService> logger) : IReadReceiptWriter
{
    /// <inheritdoc />
    public async Task<ReceiptOutcome> RecordOpenedAsync(string letterId, DocumentRouting? routing, CancellationToken cancellationToken)
    {
        var outcome = await WriteReceiptAsync(letterId, routing, cancellationToken).ConfigureAwait(false);
        if (outcome == ReceiptOutcome.Recorded)
        {
            // The destination read the letter for the first time (once per letter, like the receipt). An audit failure does
            // throw: the trail must not miss it.
            await audit.RecordAsync(new AuditRecord(AuditAction.LetterRead) { Detail = $"letter={letterId}" }, CancellationToken.None).ConfigureAwait(false);
        }

        return outcome;
    }

    private async Task<ReceiptOutcome> WriteReceiptAsync(string letterId, DocumentRouting? routing, CancellationToken cancellationToken)
    {
        try
        {
            if (routing is not { BundleIdentifier: { } identifier, SenderCode: { } senderCode, DestinationCode: { } destinationCode }
                || !FhirSearchValue.IsValidId(letterId))
            {
                return ReceiptOutcome.NotApplicable;
            }

            var user = await users.GetAsync(cancellationToken).ConfigureAwait(false);
            if (user?.ClinicalFacility is not { } facility || facility != destinationCode)
            {
                return ReceiptOutcome.NotRecipient;
            }

            var receipt = ReadReceipts.Build(letterId, identifier, destinationCode, user.FacilityName, senderCode, time.GetUtcNow());
            var written = await client.CreateAsync(receipt, ReadReceipts.IfNoneExist(identifier), cancellationToken).ConfigureAwait(false);
            return written.StatusCode == HttpStatusCode.Created ? ReceiptOutcome.Recorded : ReceiptOutcome.AlreadyRecorded;
        }
        catch (FhirApiException ex)
        {
            // The letter id is the base's id, not personal data; no names, identifiers or bodies are logged.
            Log.ReceiptFailed(logger, letterId, ex.Reason);
            return ReceiptOutcome.Failed;
        }
        catch (OperationCanceledException)
        {
            return ReceiptOutcome.Failed;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4501, Level = LogLevel.Warning, Message = "Read receipt for letter {LetterId} not written ({Reason}); retried on the next open.")]
        public static partial void ReceiptFailed(ILogger logger, string letterId, FhirApiErrorReason reason);
    }
}

using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Audit;
using FhirTask = Hl7.Fhir.Model.Task;

namespace MedNetPortal.Web.Features.Letters;

/// <summary>What became of one attempt to record that a letter was opened.</summary>
public enum ReceiptOutcome
{
    /// <summary>The user is not of the letter's destination facility (the sender's own views, anyone else): nothing written.</summary>
    NotRecipient,

    /// <summary>The letter lacks what routing needs (Bundle identifier, sender or destination code), or the base has no
    /// routing Task for it that names the user's facility as owner: nothing written.</summary>
    NotApplicable,

    /// <summary>This open moved the letter's Task from <c>requested</c> to <c>received</c>.</summary>
    Recorded,

    /// <summary>The Task was already past <c>requested</c> (an earlier open, another reader); nothing written.</summary>
    AlreadyRecorded,

    /// <summary>Reading or writing failed; logged, and tried again the next time the letter is opened.</summary>
    Failed,
}

/// <summary>Records that a letter was opened (the letter page's only dependency on routing).</summary>
public interface IReadReceiptWriter
{
    /// <summary>Records that the signed-in user opened the letter, if they are of its destination facility. Never throws.</summary>
    Task<ReceiptOutcome> RecordOpenedAsync(string letterId, DocumentRouting? routing, CancellationToken cancellationToken);
}

/// <summary>
/// Marks a letter read when a user of its destination facility opens it: its routing Task (found by
/// <c>Task?focus=Bundle/{id}</c> and checked: owner = the user's facility's Organization, same Bundle identifier) goes from
/// <c>requested</c> to <c>received</c> with <c>lastModified</c> = now, by a PUT with <c>If-Match</c> on the version read,
/// so two readers at once change it once. "Read" is per facility. Never throws: viewing a letter must not depend on it.
/// </summary>
public sealed partial class ReadReceiptService(
    CentralFhirClient client, ICurrentUserAccessor users, FacilityOrganizations organizations, TimeProvider time, IAuditTrail audit,
    ILogger<ReadReceiptService> logger) : IReadReceiptWriter
{
    /// <inheritdoc />
    public async Task<ReceiptOutcome> RecordOpenedAsync(string letterId, DocumentRouting? routing, CancellationToken cancellationToken)
    {
        var outcome = await MarkReceivedAsync(letterId, routing, cancellationToken).ConfigureAwait(false);
        if (outcome == ReceiptOutcome.Recorded)
        {
            // The destination read the letter for the first time (once per letter, like the status change). An audit failure
            // does throw: the trail must not miss it.
            await audit.RecordAsync(new AuditRecord(AuditAction.LetterRead) { Detail = $"letter={letterId}" }, CancellationToken.None).ConfigureAwait(false);
        }

        return outcome;
    }

    private async Task<ReceiptOutcome> MarkReceivedAsync(string letterId, DocumentRouting? routing, CancellationToken cancellationToken)
    {
        try
        {
            if (routing is not { BundleIdentifier: { } identifier, SenderCode: not null, DestinationCode: { } destinationCode }
                || !FhirSearchValue.IsValidId(letterId))
            {
                return ReceiptOutcome.NotApplicable;
            }

            var user = await users.GetAsync(cancellationToken).ConfigureAwait(false);
            if (user?.ClinicalFacility is not { } facility || facility != destinationCode)
            {
                return ReceiptOutcome.NotRecipient;
            }

            var organizationId = await organizations.IdOfAsync(facility, cancellationToken).ConfigureAwait(false);
            if (organizationId is null)
            {
                return ReceiptOutcome.NotApplicable;
            }

            // A second reader may have changed the Task between our read and our write: read it again once.
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var task = await TaskAsync(letterId, identifier, organizationId, cancellationToken).ConfigureAwait(false);
                if (task is null)
                {
                    return ReceiptOutcome.NotApplicable;
                }

                if (LetterDelivery.IsOpened(task))
                {
                    return ReceiptOutcome.AlreadyRecorded;
                }

                try
                {
                    await client.UpdateAsync(LetterDelivery.Received(task, time.GetUtcNow()), task.Meta?.VersionId, cancellationToken).ConfigureAwait(false);
                    return ReceiptOutcome.Recorded;
                }
                catch (FhirApiException ex) when (ex.Reason == FhirApiErrorReason.PreconditionFailed && attempt == 0)
                {
                    // Changed since we read it; look again.
                }
            }

            return ReceiptOutcome.AlreadyRecorded;
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

    /// <summary>The letter's routing Task owned by the facility, checked after loading; null when there is none.</summary>
    private async Task<FhirTask?> TaskAsync(string letterId, string identifier, string organizationId, CancellationToken cancellationToken)
    {
        var parameters = new FhirSearchParameters()
            .Add("focus", FhirSearchValue.Reference("Bundle", letterId))
            .Add("owner", FhirSearchValue.Reference("Organization", organizationId))
            .Add("_count", "10");
        var page = await client.SearchPostAsync<FhirTask>(parameters, cancellationToken).ConfigureAwait(false);
        return page.Entry.Select(e => e.Resource).OfType<FhirTask>().FirstOrDefault(t =>
            t.Id is not null
            && FhirReferences.RefersTo(t.Focus, "Bundle", letterId)
            && FhirReferences.RefersTo(t.Owner, "Organization", organizationId)
            && LetterDelivery.BundleIdentifierOf(t.Identifier) == identifier);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4501, Level = LogLevel.Warning, Message = "Read status for letter {LetterId} not written ({Reason}); retried on the next open.")]
        public static partial void ReceiptFailed(ILogger logger, string letterId, FhirApiErrorReason reason);
    }
}

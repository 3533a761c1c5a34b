using MedNetPortal.Web.Features.Audit;
using System.Globalization;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Conformance;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Features.Documents;
using MedNetPortal.Web.Features.Facilities;
using MedNetPortal.Web.Features.Patients;
using Microsoft.EntityFrameworkCore;

namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>Preview and send: the stored draft built, checked (form, portal rules, official profiles) and sent once.</summary>
public sealed partial class ReferralDraftService
{
    /// <summary>The stored draft built into the JP-CLINS document and mapped for the viewer, with every problem found.</summary>
    public async Task<DraftPreview?> PreviewAsync(Guid id, CancellationToken cancellationToken)
    {
        var draft = await GetAsync(id, cancellationToken);
        if (draft is null)
        {
            return null;
        }

        var senderInfo = await SenderAsync(cancellationToken);
        var issuedAt = draft.IssuedAt ?? time.GetUtcNow();
        var mapped = ReferralFormMapper.ToContent(draft.Form, senderInfo, draft.LocalId, issuedAt);
        var problems = mapped.Problems.ToList();
        if (mapped.Content is not { } content)
        {
            return new DraftPreview(null, problems);
        }

        problems.AddRange(ReferralDocumentValidator.Validate(content));
        Bundle bundle;
        try
        {
            bundle = ReferralDocumentBuilder.Build(content);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            // Content the validator already reports (a broken copy, an unparseable identifier) may not build at all.
            return new DraftPreview(null, problems);
        }

        if (problems.Count == 0)
        {
            problems.AddRange(ReferralDocumentValidator.Validate(bundle, verifyCheckDigit: true));
        }

        // The official profiles run on a letter that passes the portal's own rules (the same order as sending).
        var check = ProfileCheck.NotRun;
        if (problems.Count == 0)
        {
            var report = await profiles.ValidateAsync(bundle, cancellationToken);
            check = report.Performed ? ProfileCheck.Checked : ProfileCheck.Unavailable;
            problems.AddRange(ReferralProfileProblems.From(bundle, report));
        }

        return new DraftPreview(DocumentMapper.Map(bundle, draft.SentBundleId ?? string.Empty), problems, check);
    }

    /// <summary>
    /// Sends the stored draft. The issue time is saved before the POST, so every later attempt (a retry after a failure,
    /// even in another year) has the same Bundle identifier and the base stores the letter once. On success the draft
    /// becomes Sent with the base's id.
    /// </summary>
    public async Task<DraftSendResult> SendAsync(Guid id, CancellationToken cancellationToken)
    {
        var user = await UserAsync(cancellationToken);
        if (user is null)
        {
            return new DraftSendResult(DraftSendOutcome.NotFound, null, []);
        }

        await using var scope = scopes.CreateAsyncScope();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var draft = await Drafts(db, user).FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (draft is null)
        {
            return new DraftSendResult(DraftSendOutcome.NotFound, null, []);
        }

        var form = ReferralForm.FromJson(draft.FormJson);
        if (draft.Status == ReferralDraftStatus.Sent)
        {
            return new DraftSendResult(DraftSendOutcome.Attempted,
                new SendResult(SendOutcome.AlreadySent, draft.SentBundleId, draft.BundleIdentifier ?? string.Empty, [], null), []);
        }

        // The registry's current record decides, not the flag copied when the destination was picked (it may have changed since).
        var connected = form.Destination.AcceptsElectronicLetters;
        if (form.Destination.Code is { Length: > 0 } destinationCode)
        {
            var registry = scope.ServiceProvider.GetRequiredService<IFacilityRegistry>();
            var connections = await registry.GetConnectionsAsync([destinationCode], cancellationToken);
            connected = connections.TryGetValue(destinationCode, out var registered) ? registered : null;
        }

        if (connected == false)
        {
            return new DraftSendResult(DraftSendOutcome.NotConnected, null, []);
        }

        var senderInfo = await SenderAsync(cancellationToken);
        var mapped = ReferralFormMapper.ToContent(form, senderInfo, draft.LocalId, draft.IssuedAt ?? time.GetUtcNow());
        var problems = mapped.Problems.ToList();
        if (mapped.Content is { } candidate)
        {
            problems.AddRange(ReferralDocumentValidator.Validate(candidate));
        }

        if (problems.Count > 0 || mapped.Content is null)
        {
            return new DraftSendResult(DraftSendOutcome.Invalid, null, problems);
        }

        var content = mapped.Content;
        if (draft.IssuedAt is null)
        {
            draft.IssuedAt = content.IssuedAt;
            draft.BundleIdentifier = ReferralDocumentBuilder.BundleIdentifierValue(content);
            draft.Version++;
            draft.UpdatedAt = time.GetUtcNow();
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                return new DraftSendResult(DraftSendOutcome.Conflict, null, []);
            }
        }

        var result = await sender.SendAsync(content, cancellationToken);
        if (result.Outcome == SendOutcome.Invalid)
        {
            return new DraftSendResult(DraftSendOutcome.Invalid, result, result.Problems);
        }

        if (result.IsStored)
        {
            // Recorded even if a concurrent save changed the form meanwhile: the letter is in the base now.
            await Drafts(db, user).Where(d => d.Id == id).ExecuteUpdateAsync(
                set => set
                    .SetProperty(d => d.Status, ReferralDraftStatus.Sent)
                    .SetProperty(d => d.SentBundleId, result.BundleId)
                    .SetProperty(d => d.BundleIdentifier, result.BundleIdentifier)
                    .SetProperty(d => d.Version, d => d.Version + 1)
                    .SetProperty(d => d.UpdatedAt, time.GetUtcNow()),
                cancellationToken);
        }

        await audit.RecordAsync(
            new AuditRecord(AuditAction.LetterSent, result.IsStored ? AuditOutcome.Success : AuditOutcome.Failure)
            {
                PatientId = form.Patient.IsFromBase ? form.Patient.BasePatientId : null,
                Detail = result.IsStored
                    ? $"bundle={result.BundleId};destination={form.Destination.Code};{result.Outcome}"
                    : $"destination={form.Destination.Code};error={result.FailureReason}",
            },
            CancellationToken.None);
        return new DraftSendResult(DraftSendOutcome.Attempted, result, []);
    }
}

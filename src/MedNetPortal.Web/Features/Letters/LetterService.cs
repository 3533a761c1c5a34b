using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Features.Consent;
using MedNetPortal.Web.Features.Documents;

using FhirTask = Hl7.Fhir.Model.Task;

namespace MedNetPortal.Web.Features.Letters;

/// <summary>Loads clinical documents for viewing.</summary>
public interface IDocumentSource
{
    /// <summary>
    /// The document Bundle with this id, mapped; null when there is none, it is not a document, or the viewer may not know it
    /// exists. A letter addressed to or sent by the viewer's facility is that facility's correspondence and opens without
    /// consent; any other document needs <paramref name="patientId"/> (the record it is opened from) and access to that
    /// patient (<see cref="IPatientAccessGate"/>), else <see cref="PatientAccessDeniedException"/>. Other failures throw
    /// <see cref="FhirApiException"/>. One request to the central base once the patient's access is known; a letter opened
    /// without a patient context (from the inbox or outbox) costs one more, to name its patient in the audit trail.
    /// </summary>
    Task<DocumentView?> LoadAsync(string id, string? patientId, CancellationToken cancellationToken);
}

/// <summary>
/// Reads a document Bundle from the central base and maps it with <see cref="DocumentMapper"/>. From a patient's record: one
/// batch (the Patient and the Bundle, both reads) and the document must name that patient. As the facility's own
/// correspondence: one search, <c>Task?focus=Bundle/{id}</c> with <c>_include=Task:focus</c> and <c>_include=Task:patient</c>,
/// and a Task naming the facility's Organization as owner (requester) whose document names the facility as destination
/// (sender) under the same identifier. Standard interactions only; every answer is checked here, not trusted.
/// </summary>
public sealed partial class DocumentService(
    CentralFhirClient client, ICurrentUserAccessor currentUser, IPatientAccessGate gate, IAuditTrail audit,
    FacilityOrganizations organizations, ILogger<DocumentService> logger)
    : IDocumentSource
{
    public async Task<DocumentView?> LoadAsync(string id, string? patientId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        // Ids from a URL are values, never search syntax: anything but a FHIR id ("A,B" would be an OR) finds nothing.
        if (!FhirSearchValue.IsValidId(id) || (!string.IsNullOrEmpty(patientId) && !FhirSearchValue.IsValidId(patientId)))
        {
            return null;
        }

        PatientAccess? access = null;
        if (!string.IsNullOrEmpty(patientId))
        {
            access = await gate.CheckAsync(patientId, cancellationToken).ConfigureAwait(false);
            if (access.Allowed)
            {
                // One batch: the checked Patient and the document; shown only if the document itself names that patient.
                var response = await client.TransactionAsync(PatientDocumentBatch(id, patientId), cancellationToken).ConfigureAwait(false);
                var patient = response.Entry.ElementAtOrDefault(0)?.Resource as Patient;
                var found = response.Entry.ElementAtOrDefault(1)?.Resource is Bundle { } document && document.Id == id ? document : null;
                if (found is not null && (patient is null || patient.Id != patientId || !DocumentRouting.IsAbout(found, patient)))
                {
                    // The document names someone else: never shown under this patient's consent.
                    found = null;
                }

                return await OpenedAsync(found, id, patientId, access.IsEmergency, cancellationToken).ConfigureAwait(false);
            }
        }

        var user = await currentUser.GetAsync(cancellationToken).ConfigureAwait(false);
        if (user?.FacilityCode is { } code && user.IsInRole(PortalRoles.Clinician))
        {
            if (await OwnCorrespondenceAsync(id, code, cancellationToken).ConfigureAwait(false) is var (own, about))
            {
                return await OpenedAsync(own, id, about, emergency: false, cancellationToken).ConfigureAwait(false);
            }
        }

        if (access is { Allowed: false } && patientId is not null)
        {
            // Records the refusal once and throws.
            await gate.EnsureAsync(patientId, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    internal static Bundle PatientDocumentBatch(string id, string patientId)
    {
        var batch = new Bundle { Type = Bundle.BundleType.Batch };
        foreach (var url in new[] { FhirSearchValue.Reference("Patient", patientId), FhirSearchValue.Reference("Bundle", id) })
        {
            batch.Entry.Add(new Bundle.EntryComponent { Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.GET, Url = url } });
        }

        return batch;
    }

    /// <summary>
    /// The letter and the base's id of its patient when the facility is its destination or its sender: one search for the
    /// letter's routing Tasks with the document and the patient included, each checked against the document.
    /// </summary>
    private async Task<(Bundle Document, string? PatientId)?> OwnCorrespondenceAsync(string id, string facilityCode, CancellationToken cancellationToken)
    {
        var organizationId = await organizations.IdOfAsync(facilityCode, cancellationToken).ConfigureAwait(false);
        if (organizationId is null)
        {
            return null;
        }

        var parameters = new FhirSearchParameters()
            .Add("focus", FhirSearchValue.Reference("Bundle", id))
            .Add("_include", "Task:focus")
            .Add("_include", "Task:patient")
            .Add("_count", "20");
        var page = await client.SearchPostAsync<FhirTask>(parameters, cancellationToken).ConfigureAwait(false);
        var document = page.Entry.Select(e => e.Resource).OfType<Bundle>().FirstOrDefault(b => b.Id == id);
        var tasks = page.Entry.Select(e => e.Resource).OfType<FhirTask>().ToList();
        if (document is not { Type: Bundle.BundleType.Document })
        {
            // Either no Task names it, or the server did not include it (read it only if a Task is the facility's).
            if (!tasks.Any(t => IsOwnTask(t, id, organizationId)))
            {
                return null;
            }

            document = await ReadDocumentAsync(id, cancellationToken).ConfigureAwait(false);
            if (document is null)
            {
                return null;
            }
        }

        var routing = DocumentRouting.From(document);
        var own = tasks.FirstOrDefault(t => IsOwnTask(t, id, organizationId)
            && LetterDelivery.BundleIdentifierOf(t.Identifier) is { } identifier && identifier == routing.BundleIdentifier
            && ((FhirReferences.RefersTo(t.Owner, "Organization", organizationId) && routing.DestinationCode == facilityCode)
                || (FhirReferences.RefersTo(t.Requester, "Organization", organizationId) && routing.SenderCode == facilityCode)));
        if (own is null)
        {
            if (tasks.Count > 0)
            {
                Log.NotOwn(logger, tasks.Count);
            }

            return null;
        }

        // The audit names the patient the document is about (from the data), never one taken from the URL.
        var patientId = FhirReferences.IdOf(own.For?.Reference, "Patient");
        var patient = patientId is null ? null : page.Entry.Select(e => e.Resource).OfType<Patient>().FirstOrDefault(p => p.Id == patientId);
        if (patient is null || !DocumentRouting.IsAbout(document, patient))
        {
            patientId = await BasePatientIdAsync(document, cancellationToken).ConfigureAwait(false);
        }

        return (document, patientId);
    }

    private static bool IsOwnTask(FhirTask task, string id, string organizationId) =>
        FhirReferences.RefersTo(task.Focus, "Bundle", id)
        && (FhirReferences.RefersTo(task.Owner, "Organization", organizationId) || FhirReferences.RefersTo(task.Requester, "Organization", organizationId));

    private async Task<Bundle?> ReadDocumentAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return await client.ReadAsync<Bundle>(id, cancellationToken).ConfigureAwait(false);
        }
        catch (FhirApiException ex) when (ex.Reason is FhirApiErrorReason.NotFound or FhirApiErrorReason.Gone)
        {
            return null;
        }
    }

    /// <summary>
    /// The base's id of the letter's patient (by the insured-person identifier in the document, POST search: never in a URL),
    /// so that the audit entry and the patient's "who viewed" panel name the patient; null when not exactly one is found.
    /// </summary>
    private async Task<string?> BasePatientIdAsync(Bundle document, CancellationToken cancellationToken)
    {
        var subject = document.Entry.Select(e => e.Resource).OfType<Composition>().FirstOrDefault()?.Subject?.Reference;
        if (subject is not null && subject.StartsWith("Patient/", StringComparison.Ordinal) && FhirSearchValue.IsValidId(subject["Patient/".Length..]))
        {
            return subject["Patient/".Length..];
        }

        var patient = subject is null ? null : DocumentRouting.SubjectPatient(document);
        var identifier = patient?.Identifier.FirstOrDefault(i => i.System == JpFhir.Systems.InsuranceMemberId && !string.IsNullOrEmpty(i.Value));
        if (identifier is null)
        {
            return null;
        }

        try
        {
            var parameters = new FhirSearchParameters()
                .Add("identifier", FhirSearchValue.Token(identifier.System!, identifier.Value!))
                .Add("_count", "2");
            var page = await client.SearchPostAsync<Patient>(parameters, cancellationToken).ConfigureAwait(false);
            var ids = page.Entry.Where(e => e.Search?.Mode is null or Bundle.SearchEntryMode.Match)
                .Select(e => e.Resource).OfType<Patient>()
                .Where(p => p.Identifier.Any(i => i.System == identifier.System && i.Value == identifier.Value))
                .Select(p => p.Id).ToList();
            return ids.Count == 1 ? ids[0] : null;
        }
        catch (FhirApiException)
        {
            // The letter still opens; its audit entry then names no patient.
            return null;
        }
    }

    private async Task<DocumentView?> OpenedAsync(Bundle? bundle, string id, string? patientId, bool emergency, CancellationToken cancellationToken)
    {
        if (bundle is not { Type: Bundle.BundleType.Document } || DocumentMapper.Map(bundle, id) is not { } view)
        {
            return null;
        }

        await audit.RecordAsync(
            new AuditRecord(AuditAction.DocumentOpened) { PatientId = patientId, Detail = "Bundle/" + id, Emergency = emergency },
            cancellationToken).ConfigureAwait(false);
        return view with { BasePatientId = patientId };
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4511, Level = LogLevel.Warning,
            Message = "The central base answered a letter's routing search with {Count} Tasks, none of them the facility's with a matching document; the letter was not opened.")]
        public static partial void NotOwn(ILogger logger, int count);
    }
}

using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Features.Consent;

namespace MedNetPortal.Web.Features.Documents;

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

/// <summary>Reads a document Bundle from the central base and maps it with <see cref="DocumentMapper"/>.</summary>
public sealed class DocumentService(CentralFhirClient client, ICurrentUserAccessor currentUser, IPatientAccessGate gate, IAuditTrail audit)
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
                // One batch: the checked Patient, and the document only if the base finds it to be that patient's.
                var response = await client.TransactionAsync(PatientDocumentBatch(id, patientId), cancellationToken).ConfigureAwait(false);
                var patient = response.Entry.ElementAtOrDefault(0)?.Resource as Patient;
                var found = response.Entry.ElementAtOrDefault(1)?.Resource is Bundle page ? Match(page, id) : null;
                if (found is not null && (patient is null || !IsAbout(found, patient)))
                {
                    // The base matched it, but the document itself names someone else: never shown under this consent.
                    found = null;
                }

                return await OpenedAsync(found, id, patientId, access.IsEmergency, cancellationToken).ConfigureAwait(false);
            }
        }

        var user = await currentUser.GetAsync(cancellationToken).ConfigureAwait(false);
        if (user?.FacilityCode is { } code && user.IsInRole(PortalRoles.Clinician))
        {
            var own = await OwnCorrespondenceAsync(id, code, cancellationToken).ConfigureAwait(false);
            if (own is not null)
            {
                // The audit names the patient the document is about (from the data), never one taken from the URL.
                var about = await BasePatientIdAsync(own, cancellationToken).ConfigureAwait(false);
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
        var patientReference = FhirSearchValue.Reference("Patient", patientId);
        foreach (var url in new[]
                 {
                     patientReference,
                     $"Bundle?_id={Uri.EscapeDataString(FhirSearchValue.Id(id))}&composition.patient={Uri.EscapeDataString(patientReference)}",
                 })
        {
            batch.Entry.Add(new Bundle.EntryComponent { Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.GET, Url = url } });
        }

        return batch;
    }

    /// <summary>
    /// Whether the document's subject is <paramref name="patient"/>: a literal reference to it, or the document's Patient
    /// carrying one of its identifiers (how documents from other systems name the patient).
    /// </summary>
    internal static bool IsAbout(Bundle document, Patient patient)
    {
        var subject = document.Entry.Select(e => e.Resource).OfType<Composition>().FirstOrDefault()?.Subject?.Reference;
        if (string.IsNullOrEmpty(subject))
        {
            return false;
        }

        if (subject == "Patient/" + patient.Id)
        {
            return true;
        }

        var inDocument = DocumentPatient(document, subject);
        return inDocument is not null && inDocument.Identifier.Any(i => !string.IsNullOrEmpty(i.Value)
            && patient.Identifier.Any(p => p.System == i.System && p.Value == i.Value));
    }

    private static Patient? DocumentPatient(Bundle document, string subject) =>
        document.Entry.FirstOrDefault(e => e.Resource is Patient
            && (e.FullUrl == subject || (e.FullUrl is not null && e.FullUrl.EndsWith("/" + subject, StringComparison.Ordinal))))?.Resource as Patient;

    /// <summary>One batch: the Bundle only if the base finds the facility as its destination or its sender.</summary>
    private async Task<Bundle?> OwnCorrespondenceAsync(string id, string facilityCode, CancellationToken cancellationToken)
    {
        var token = Uri.EscapeDataString(FhirSearchValue.Token(JpFhir.Systems.MedicalInstitutionCode, facilityCode));
        var escapedId = Uri.EscapeDataString(FhirSearchValue.Id(id));
        var batch = new Bundle { Type = Bundle.BundleType.Batch };
        foreach (var parameter in new[] { "destination", "sender" })
        {
            batch.Entry.Add(new Bundle.EntryComponent
            {
                Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.GET, Url = $"Bundle?_id={escapedId}&{parameter}={token}" },
            });
        }

        var response = await client.TransactionAsync(batch, cancellationToken).ConfigureAwait(false);
        return response.Entry.Select(e => e.Resource).OfType<Bundle>().Select(page => Match(page, id)).FirstOrDefault(b => b is not null);
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

        var patient = subject is null ? null : DocumentPatient(document, subject);
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
                .Select(e => e.Resource).OfType<Patient>().Select(p => p.Id).ToList();
            return ids.Count == 1 ? ids[0] : null;
        }
        catch (FhirApiException)
        {
            // The letter still opens; its audit entry then names no patient.
            return null;
        }
    }

    private static Bundle? Match(Bundle page, string id) =>
        page.Entry.Where(e => e.Search?.Mode is null or Bundle.SearchEntryMode.Match)
            .Select(e => e.Resource).OfType<Bundle>().FirstOrDefault(b => b.Id == id);

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
}

/// <summary>Registration of the documents feature.</summary>
public static class DocumentsExtensions
{
    public static IServiceCollection AddDocuments(this IServiceCollection services)
    {
        services.AddScoped<IDocumentSource, DocumentService>();
        return services;
    }
}

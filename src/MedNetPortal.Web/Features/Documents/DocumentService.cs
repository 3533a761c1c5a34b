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
        PatientAccess? access = null;
        if (!string.IsNullOrEmpty(patientId))
        {
            access = await gate.CheckAsync(patientId, cancellationToken).ConfigureAwait(false);
            if (access.Allowed)
            {
                // Restricted by the base to this patient's documents, so a consent for one patient opens no one else's.
                var parameters = new FhirSearchParameters()
                    .Add("_id", id)
                    .Add("composition.patient", "Patient/" + patientId);
                var page = await client.SearchPostAsync<Bundle>(parameters, cancellationToken).ConfigureAwait(false);
                var found = Match(page, id);
                return await OpenedAsync(found, id, patientId, access.IsEmergency, cancellationToken).ConfigureAwait(false);
            }
        }

        var user = await currentUser.GetAsync(cancellationToken).ConfigureAwait(false);
        if (user?.FacilityCode is { } code)
        {
            var own = await OwnCorrespondenceAsync(id, code, cancellationToken).ConfigureAwait(false);
            if (own is not null)
            {
                var about = string.IsNullOrEmpty(patientId) ? await BasePatientIdAsync(own, cancellationToken).ConfigureAwait(false) : patientId;
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

    /// <summary>One batch: the Bundle only if the base finds the facility as its destination or its sender.</summary>
    private async Task<Bundle?> OwnCorrespondenceAsync(string id, string facilityCode, CancellationToken cancellationToken)
    {
        var token = Uri.EscapeDataString($"{JpFhir.Systems.MedicalInstitutionCode}|{facilityCode}");
        var escapedId = Uri.EscapeDataString(id);
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
        var patient = document.Entry.FirstOrDefault(e => subject is not null && e.FullUrl == subject)?.Resource as Patient;
        var identifier = patient?.Identifier.FirstOrDefault(i => i.System == JpFhir.Systems.InsuranceMemberId && !string.IsNullOrEmpty(i.Value));
        if (identifier is null)
        {
            return null;
        }

        try
        {
            var parameters = new FhirSearchParameters()
                .Add("identifier", $"{identifier.System}|{identifier.Value}")
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
        return view;
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

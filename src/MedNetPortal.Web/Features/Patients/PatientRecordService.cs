using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Features.Consent;
using MedNetPortal.Web.Features.Telemetry;

namespace MedNetPortal.Web.Features.Patients;

/// <summary>
/// Reads a patient's shared record: everything the page opens with in one round trip, more only on request. Every method
/// first asks <see cref="IPatientAccessGate"/>: without consent (or emergency access) it throws
/// <see cref="PatientAccessDeniedException"/> and sends no request for clinical data.
/// </summary>
public interface IPatientRecordService
{
    /// <summary>
    /// One <c>batch</c> POST: the Patient, the first page of diagnoses, allergies and letters. A failing section gives that
    /// section's error; a missing or failing Patient throws <see cref="FhirApiException"/>.
    /// </summary>
    Task<PatientRecord> LoadAsync(string patientId, CancellationToken cancellationToken);

    /// <summary>The next page of diagnoses (one round trip).</summary>
    Task<PageOf<Diagnosis>> MoreDiagnosesAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken);

    /// <summary>The next page of allergies (one round trip).</summary>
    Task<PageOf<Allergy>> MoreAllergiesAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken);

    /// <summary>The next page of letters (one round trip).</summary>
    Task<PageOf<LetterSummary>> MoreLettersAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken);
}

/// <inheritdoc />
internal sealed partial class PatientRecordService(CentralFhirClient client, IPatientAccessGate gate, IAuditTrail audit, InteractionTrace trace)
    : IPatientRecordService
{
    internal const int DiagnosisPageSize = 100;
    internal const int AllergyPageSize = 100;
    internal const int LetterPageSize = 50;

    public async Task<PatientRecord> LoadAsync(string patientId, CancellationToken cancellationToken)
    {
        if (!FhirSearchValue.IsValidId(patientId))
        {
            throw new FhirApiException(FhirApiErrorReason.NotFound, FhirApiException.DefaultMessage(FhirApiErrorReason.NotFound), HttpStatusCode.NotFound);
        }

        // The record view's span: the consent check, the batch and the audit entry are its children. No id in it.
        using var span = trace.StartContinuing("patient-record load", patientId);
        var access = await gate.EnsureAsync(patientId, cancellationToken).ConfigureAwait(false);
        var batch = BuildBatch(patientId);
        var response = await client.TransactionAsync(batch, cancellationToken).ConfigureAwait(false);
        if (response.Entry.Count != batch.Entry.Count)
        {
            throw new FhirApiException(FhirApiErrorReason.MalformedResponse, FhirApiException.DefaultMessage(FhirApiErrorReason.MalformedResponse));
        }

        var patientEntry = response.Entry[0];
        if (Failure(patientEntry) is { } patientFailure || patientEntry.Resource is not Patient patient)
        {
            var reason = Failure(patientEntry) ?? FhirApiErrorReason.MalformedResponse;
            throw new FhirApiException(reason, FhirApiException.DefaultMessage(reason));
        }

        var (diagnoses, diagnosesPage, diagnosesError) = Section<Condition, Diagnosis>(response.Entry[1], PatientMapper.ToDiagnosis, 0);
        var (allergies, allergiesPage, allergiesError) = Section<AllergyIntolerance, Allergy>(response.Entry[2], PatientMapper.ToAllergy, 0);
        var (letters, lettersPage, lettersError) = LetterSection(response.Entry[3], 0);
        var sections = new[] { ("diagnoses", diagnosesError), ("allergies", allergiesError), ("letters", lettersError) }
            .Where(s => s.Item2 is null).Select(s => s.Item1);
        await RecordViewAsync(patientId, string.Join(',', sections), access, cancellationToken).ConfigureAwait(false);
        return new PatientRecord(
            PatientMapper.ToSummary(patient),
            diagnoses, diagnosesPage,
            allergies, allergiesPage,
            letters, lettersPage,
            diagnosesError, allergiesError, lettersError);
    }

    /// <summary>The batch the page sends; ids are URL-escaped, and nothing personal goes into these URLs.</summary>
    internal static Bundle BuildBatch(string patientId)
    {
        var id = Uri.EscapeDataString(FhirSearchValue.Id(patientId));
        var batch = new Bundle { Type = Bundle.BundleType.Batch };
        foreach (var url in new[]
                 {
                     $"Patient/{id}",
                     $"Condition?patient=Patient/{id}&_sort=-recorded-date&_count={DiagnosisPageSize.ToString(CultureInfo.InvariantCulture)}",
                     $"AllergyIntolerance?patient=Patient/{id}&_sort=-date&_count={AllergyPageSize.ToString(CultureInfo.InvariantCulture)}",
                     $"Bundle?composition.patient=Patient/{id}&_sort=-timestamp&_count={LetterPageSize.ToString(CultureInfo.InvariantCulture)}",
                 })
        {
            batch.Entry.Add(new Bundle.EntryComponent
            {
                Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.GET, Url = url },
            });
        }

        return batch;
    }

    public async Task<PageOf<Diagnosis>> MoreDiagnosesAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken)
    {
        var page = await NextAsync(patientId, "diagnoses", nextLink, cancellationToken).ConfigureAwait(false);
        var items = Matches<Condition>(page).Select(PatientMapper.ToDiagnosis).ToList();
        return new PageOf<Diagnosis>(items, PageOf(page, loadedSoFar + items.Count));
    }

    public async Task<PageOf<Allergy>> MoreAllergiesAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken)
    {
        var page = await NextAsync(patientId, "allergies", nextLink, cancellationToken).ConfigureAwait(false);
        var items = Matches<AllergyIntolerance>(page).Select(PatientMapper.ToAllergy).ToList();
        return new PageOf<Allergy>(items, PageOf(page, loadedSoFar + items.Count));
    }

    public async Task<PageOf<LetterSummary>> MoreLettersAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken)
    {
        var page = await NextAsync(patientId, "letters", nextLink, cancellationToken).ConfigureAwait(false);
        var matches = Matches<Bundle>(page).ToList();
        var items = matches.Select(PatientMapper.ToLetterSummary).OfType<LetterSummary>().ToList();
        return new PageOf<LetterSummary>(items, PageOf(page, loadedSoFar + matches.Count));
    }

    private async Task<Bundle> NextAsync(string patientId, string section, string nextLink, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        ArgumentException.ThrowIfNullOrEmpty(nextLink);
        var access = await gate.EnsureAsync(patientId, cancellationToken).ConfigureAwait(false);
        var page = await FetchNextAsync(nextLink, cancellationToken).ConfigureAwait(false);
        await RecordViewAsync(patientId, section, access, cancellationToken).ConfigureAwait(false);
        return page;
    }

    private System.Threading.Tasks.Task RecordViewAsync(string patientId, string sections, PatientAccess access, CancellationToken cancellationToken) =>
        audit.RecordAsync(
            new AuditRecord(AuditAction.RecordViewed) { PatientId = patientId, Detail = sections, Emergency = access.IsEmergency },
            cancellationToken);

    private async Task<Bundle> FetchNextAsync(string nextLink, CancellationToken cancellationToken)
    {
        var holder = new Bundle { Type = Bundle.BundleType.Searchset };
        holder.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = nextLink });
        return await client.NextPageAsync(holder, cancellationToken).ConfigureAwait(false)
               ?? throw new FhirApiException(FhirApiErrorReason.MalformedResponse, FhirApiException.DefaultMessage(FhirApiErrorReason.MalformedResponse));
    }

    private static (IReadOnlyList<T> Items, PageInfo Page, FhirApiErrorReason? Error) Section<TResource, T>(
        Bundle.EntryComponent entry, Func<TResource, T> map, int loadedBefore)
        where TResource : Resource
    {
        if (Failure(entry) is { } failure)
        {
            return ([], new PageInfo(0, null, null), failure);
        }

        if (entry.Resource is not Bundle page)
        {
            return ([], new PageInfo(0, null, null), FhirApiErrorReason.MalformedResponse);
        }

        var items = Matches<TResource>(page).Select(map).ToList();
        return (items, PageOf(page, loadedBefore + items.Count), null);
    }

    private static (IReadOnlyList<LetterSummary> Items, PageInfo Page, FhirApiErrorReason? Error) LetterSection(Bundle.EntryComponent entry, int loadedBefore)
    {
        if (Failure(entry) is { } failure)
        {
            return ([], new PageInfo(0, null, null), failure);
        }

        if (entry.Resource is not Bundle page)
        {
            return ([], new PageInfo(0, null, null), FhirApiErrorReason.MalformedResponse);
        }

        var matches = Matches<Bundle>(page).ToList();
        // Counted by matches so "N / M件" agrees with the base even if a stored Bundle is not a readable document.
        var items = matches.Select(PatientMapper.ToLetterSummary).OfType<LetterSummary>().ToList();
        return (items, PageOf(page, loadedBefore + matches.Count), null);
    }

    private static IEnumerable<T> Matches<T>(Bundle page)
        where T : Resource =>
        page.Entry.Where(e => e.Search?.Mode is null or Bundle.SearchEntryMode.Match).Select(e => e.Resource).OfType<T>();

    private static PageInfo PageOf(Bundle page, int loaded) =>
        new(loaded, page.Total, page.Link.FirstOrDefault(l => l.Relation == "next")?.Url);

    private static FhirApiErrorReason? Failure(Bundle.EntryComponent entry)
    {
        var status = entry.Response?.Status;
        if (string.IsNullOrEmpty(status))
        {
            return entry.Resource is null ? FhirApiErrorReason.MalformedResponse : null;
        }

        var digits = status.Split(' ', 2)[0];
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            return FhirApiErrorReason.MalformedResponse;
        }

        return code is >= 200 and < 300 ? null : FhirApiException.ReasonFor((HttpStatusCode)code);
    }
}

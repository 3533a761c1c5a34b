using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Features.Consent;
using MedNetPortal.Web.Host.Telemetry;

namespace MedNetPortal.Web.Features.Patients;

/// <inheritdoc />
internal sealed partial class PatientRecordService(
    CentralFhirClient client, IPatientAccessGate gate, IAuditTrail audit, Microsoft.Extensions.Options.IOptions<CentralFhirOptions> options,
    BaseStatedIncludes statedIncludes, InteractionTrace trace, RecentPatients recent, ILogger<PatientRecordService> logger) : IPatientRecordService
{
    public async Task<PatientRecord> LoadAsync(string patientId, CancellationToken cancellationToken)
    {
        if (!FhirSearchValue.IsValidId(patientId))
        {
            throw new FhirApiException(FhirApiErrorReason.NotFound, FhirApiException.DefaultMessage(FhirApiErrorReason.NotFound), HttpStatusCode.NotFound);
        }

        // The record view's span: the consent check, the batch and the audit entry are its children. No id in it.
        using var span = trace.StartContinuing("patient-record load", patientId);
        var access = await gate.EnsureAsync(patientId, cancellationToken).ConfigureAwait(false);
        // Facility names come with an include that is this project's own: asked for only when the base states it.
        var names = options.Value.IncludeFacilityNames
                    && await statedIncludes.StatesAllAsync(PatientRecordBatch.InstitutionIncludes, client, cancellationToken).ConfigureAwait(false);
        var batch = PatientRecordBatch.BuildBatch(patientId, names);
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

        var (diagnoses, diagnosesPage, diagnosesError) = Section<Condition, Diagnosis>(response.Entry[PatientRecordBatch.Entries.Diagnoses], Belongs<Condition>(patientId), PatientMapper.ToDiagnosis, 0);
        var (allergies, allergiesPage, allergiesError) = Section<AllergyIntolerance, Allergy>(response.Entry[PatientRecordBatch.Entries.Allergies], Belongs<AllergyIntolerance>(patientId), PatientMapper.ToAllergy, 0);
        var (letters, lettersPage, lettersError) = LetterSection(response.Entry[PatientRecordBatch.Entries.Letters], patientId, 0);
        var contraindications = Group<AllergyIntolerance, Allergy>(response.Entry[PatientRecordBatch.Entries.Contraindications], patientId, PatientMapper.ToAllergy);
        var labs = Group<Observation, LabResult>(response.Entry[PatientRecordBatch.Entries.Labs], patientId, PatientMapper.ToLabResult);
        var infections = Group<Observation, LabResult>(response.Entry[PatientRecordBatch.Entries.Infections], patientId, PatientMapper.ToLabResult);
        var prescriptions = Group<MedicationRequest, Prescription>(response.Entry[PatientRecordBatch.Entries.Prescriptions], patientId, PatientMapper.ToPrescription);
        var sections = new[]
            {
                ("diagnoses", diagnosesError), ("allergies", allergiesError), ("letters", lettersError),
                ("contraindications", contraindications.Error), ("labs", labs.Error), ("infections", infections.Error),
                ("prescriptions", prescriptions.Error),
            }
            .Where(s => s.Item2 is null).Select(s => s.Item1);
        await RecordViewAsync(patientId, string.Join(',', sections), access, cancellationToken).ConfigureAwait(false);
        var summary = PatientMapper.ToSummary(patient);
        await recent.RememberAsync(summary, cancellationToken).ConfigureAwait(false);
        return new PatientRecord(
            summary,
            diagnoses, diagnosesPage,
            allergies, allergiesPage,
            letters, lettersPage,
            diagnosesError, allergiesError, lettersError)
        {
            Contraindications = contraindications,
            Labs = labs,
            Infections = infections,
            Prescriptions = prescriptions,
        };
    }

    public async Task<PageOf<Diagnosis>> MoreDiagnosesAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken)
    {
        var page = await NextAsync(patientId, "diagnoses", nextLink, cancellationToken).ConfigureAwait(false);
        var (items, info) = Checked(page, Belongs<Condition>(patientId), PatientMapper.ToDiagnosis, loadedSoFar);
        return new PageOf<Diagnosis>(items, info);
    }

    public async Task<PageOf<Allergy>> MoreAllergiesAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken)
    {
        var page = await NextAsync(patientId, "allergies", nextLink, cancellationToken).ConfigureAwait(false);
        var (items, info) = Checked(page, Belongs<AllergyIntolerance>(patientId), PatientMapper.ToAllergy, loadedSoFar);
        return new PageOf<Allergy>(items, info);
    }

    public Task<PageOf<Allergy>> MoreContraindicationsAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken) =>
        MoreAsync<AllergyIntolerance, Allergy>(patientId, "contraindications", nextLink, loadedSoFar, PatientMapper.ToAllergy, cancellationToken);

    public Task<PageOf<LabResult>> MoreLabsAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken) =>
        MoreAsync<Observation, LabResult>(patientId, "labs", nextLink, loadedSoFar, PatientMapper.ToLabResult, cancellationToken);

    public Task<PageOf<LabResult>> MoreInfectionsAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken) =>
        MoreAsync<Observation, LabResult>(patientId, "infections", nextLink, loadedSoFar, PatientMapper.ToLabResult, cancellationToken);

    public Task<PageOf<Prescription>> MorePrescriptionsAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken) =>
        MoreAsync<MedicationRequest, Prescription>(patientId, "prescriptions", nextLink, loadedSoFar, PatientMapper.ToPrescription, cancellationToken);

    private async Task<PageOf<T>> MoreAsync<TResource, T>(
        string patientId, string section, string nextLink, int loadedSoFar, Func<TResource, IncludedResources, T> map, CancellationToken cancellationToken)
        where TResource : Resource
    {
        var page = await NextAsync(patientId, section, nextLink, cancellationToken).ConfigureAwait(false);
        var (items, info) = Checked(page, Belongs<TResource>(patientId), map, loadedSoFar);
        return new PageOf<T>(items, info);
    }

    public async Task<PageOf<LetterSummary>> MoreLettersAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken)
    {
        var page = await NextAsync(patientId, "letters", nextLink, cancellationToken).ConfigureAwait(false);
        var (items, info) = Letters(page, patientId, loadedSoFar);
        return new PageOf<LetterSummary>(items, info);
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

    private RecordGroup<T> Group<TResource, T>(Bundle.EntryComponent entry, string patientId, Func<TResource, IncludedResources, T> map)
        where TResource : Resource
    {
        var (items, page, error) = Section(entry, Belongs<TResource>(patientId), map, 0);
        return new RecordGroup<T>(items, page, error);
    }

    private (IReadOnlyList<T> Items, PageInfo Page, FhirApiErrorReason? Error) Section<TResource, T>(
        Bundle.EntryComponent entry, Func<TResource, bool> belongs, Func<TResource, IncludedResources, T> map, int loadedBefore)
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

        var (items, info) = Checked(page, belongs, map, loadedBefore);
        return (items, info, null);
    }

    /// <summary>
    /// The page's matches that belong to the patient (checked after loading: a server that ignored "patient" answers with
    /// other patients' data); the rest are dropped and counted in a log line, and the base's total is then not shown.
    /// </summary>
    private (List<T> Items, PageInfo Page) Checked<TResource, T>(Bundle page, Func<TResource, bool> belongs, Func<TResource, IncludedResources, T> map, int loadedBefore)
        where TResource : Resource
    {
        var included = IncludedResources.From(page);
        var matches = Matches<TResource>(page).ToList();
        var items = matches.Where(belongs).Select(r => map(r, included)).ToList();
        var dropped = matches.Count - items.Count;
        if (dropped > 0)
        {
            Log.Dropped(logger, dropped, typeof(TResource).Name);
            return (items, new PageInfo(loadedBefore + items.Count, null, page.Link.FirstOrDefault(l => l.Relation == "next")?.Url));
        }

        return (items, PageOf(page, loadedBefore + items.Count));
    }

    private static bool IsPatients(ResourceReference? reference, string patientId) => FhirReferences.RefersTo(reference, "Patient", patientId);

    /// <summary>Whether a group's resource names the patient (the element its <c>patient</c> search parameter reads).</summary>
    private static Func<TResource, bool> Belongs<TResource>(string patientId)
        where TResource : Resource =>
        resource => resource switch
        {
            Condition c => IsPatients(c.Subject, patientId),
            AllergyIntolerance a => IsPatients(a.Patient, patientId),
            Observation o => IsPatients(o.Subject, patientId),
            MedicationRequest m => IsPatients(m.Subject, patientId),
            _ => false,
        };

    private (IReadOnlyList<LetterSummary> Items, PageInfo Page, FhirApiErrorReason? Error) LetterSection(Bundle.EntryComponent entry, string patientId, int loadedBefore)
    {
        if (Failure(entry) is { } failure)
        {
            return ([], new PageInfo(0, null, null), failure);
        }

        if (entry.Resource is not Bundle page)
        {
            return ([], new PageInfo(0, null, null), FhirApiErrorReason.MalformedResponse);
        }

        var (items, info) = Letters(page, patientId, loadedBefore);
        return (items, info, null);
    }

    /// <summary>
    /// The page's letters, each checked after loading: the DocumentReference's subject is this patient, and its document (when
    /// the base included it) names this patient too; anything else is dropped and counted in a log line. A document the base
    /// did not include is listed from the DocumentReference alone. <c>Matches</c> counts the page's DocumentReferences, so
    /// "N / M件" agrees with the base's total.
    /// </summary>
    private (List<LetterSummary> Items, PageInfo Page) Letters(Bundle page, string patientId, int loadedBefore)
    {
        var references = Matches<DocumentReference>(page).ToList();
        var documents = page.Entry.Select(e => e.Resource).OfType<Bundle>().Where(b => b.Id is not null)
            .GroupBy(b => b.Id!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var patient = page.Entry.Select(e => e.Resource).OfType<Patient>().FirstOrDefault(p => p.Id == patientId);
        var items = new List<LetterSummary>();
        var dropped = 0;
        foreach (var reference in references)
        {
            var documentId = LetterDelivery.DocumentIdOf(reference);
            if (!FhirReferences.RefersTo(reference.Subject, "Patient", patientId) || documentId is null)
            {
                dropped++;
                continue;
            }

            if (documents.TryGetValue(documentId, out var document))
            {
                if (patient is null || !DocumentRouting.IsAbout(document, patient) || LetterSummaryMapper.ToLetterSummary(document) is not { } summary)
                {
                    dropped++;
                    continue;
                }

                items.Add(summary);
            }
            else
            {
                items.Add(LetterSummaryMapper.ToLetterSummary(reference, documentId));
            }
        }

        if (dropped > 0)
        {
            Log.Dropped(logger, dropped, nameof(DocumentReference));
            return (items, new PageInfo(loadedBefore + references.Count, null, page.Link.FirstOrDefault(l => l.Relation == "next")?.Url));
        }

        return (items, PageOf(page, loadedBefore + references.Count));
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

    private static partial class Log
    {
        [LoggerMessage(EventId = 4520, Level = LogLevel.Warning,
            Message = "The central base answered a record's {ResourceType} search with {Count} resources that are not that patient's; they were dropped.")]
        public static partial void Dropped(ILogger logger, int count, string resourceType);
    }
}

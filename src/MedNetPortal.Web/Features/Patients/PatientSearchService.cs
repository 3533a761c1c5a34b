using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Features.Consent;

namespace MedNetPortal.Web.Features.Patients;

/// <summary>Finds patients by the insured-person identifier.</summary>
public interface IPatientSearchService
{
    /// <summary>One POST <c>Patient/_search</c> with every equivalent width form; the identifier never enters a URL.
    /// Throws <see cref="FhirApiException"/> when the base fails, <see cref="PatientAccessDeniedException"/> (nothing asked)
    /// when the user is not a clinician of a facility.</summary>
    Task<PatientSearchResult> SearchAsync(InsuranceMemberId memberId, CancellationToken cancellationToken);
}

/// <inheritdoc />
internal sealed partial class PatientSearchService(CentralFhirClient client, IAuditTrail audit, ICurrentUserAccessor currentUser, ILogger<PatientSearchService> logger)
    : IPatientSearchService
{
    /// <summary>More than this many matches for one card is a data problem; the page says how many exist.</summary>
    internal const int MaxMatches = 50;

    public async Task<PatientSearchResult> SearchAsync(InsuranceMemberId memberId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(memberId);
        if ((await currentUser.GetAsync(cancellationToken).ConfigureAwait(false))?.ClinicalFacility is null)
        {
            throw new PatientAccessDeniedException(string.Empty, PatientAccess.Denied(PatientAccessDenial.NotClinician));
        }

        var parameters = new FhirSearchParameters()
            .Add("identifier", memberId.SearchParameterValue)
            .Add("_count", MaxMatches.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // The trail keeps a keyed hash of the normalised identifier (half-width Value), never the identifier.
        var lookup = new AuditRecord(AuditAction.PatientLookup) { LookupKeyHash = audit.HashIdentifier(memberId.Value) };
        Bundle bundle;
        try
        {
            bundle = await client.SearchPostAsync<Patient>(parameters, cancellationToken).ConfigureAwait(false);
        }
        catch (FhirApiException ex)
        {
            await audit.RecordAsync(lookup with { Outcome = AuditOutcome.Failure, Detail = $"error={ex.Reason}" }, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        var found = bundle.Entry
            .Where(e => e.Search?.Mode is null or Bundle.SearchEntryMode.Match)
            .Select(e => e.Resource)
            .OfType<Patient>()
            .ToList();
        var matches = found
            // Checked after loading: only a Patient that carries the identifier asked for (in one of its equivalent forms).
            .Where(p => p.Identifier.Any(i => i.System == InsuranceMemberId.System && i.Value is { } v && memberId.EquivalentValues.Contains(v)))
            .Select(PatientMapper.ToSummary)
            .ToList();
        if (matches.Count < found.Count)
        {
            Log.Dropped(logger, found.Count - matches.Count);
        }

        // A base that answered with other patients too cannot be trusted with the count either.
        var total = matches.Count < found.Count ? matches.Count : bundle.Total ?? matches.Count;
        await audit.RecordAsync(
            lookup with
            {
                PatientId = matches.Count == 1 && total == 1 ? matches[0].Id : null,
                Detail = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"hits={total}"),
            },
            cancellationToken).ConfigureAwait(false);
        return new PatientSearchResult(matches, total);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4521, Level = LogLevel.Warning,
            Message = "The central base answered a patient lookup with {Count} Patients without the identifier asked for; they were dropped.")]
        public static partial void Dropped(ILogger logger, int count);
    }
}

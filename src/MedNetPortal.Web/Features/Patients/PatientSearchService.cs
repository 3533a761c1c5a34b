using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Identifiers;

namespace MedNetPortal.Web.Features.Patients;

/// <summary>Finds patients by the insured-person identifier.</summary>
public interface IPatientSearchService
{
    /// <summary>One POST <c>Patient/_search</c> with every equivalent width form; the identifier never enters a URL.
    /// Throws <see cref="FhirApiException"/> when the base fails.</summary>
    Task<PatientSearchResult> SearchAsync(InsuranceMemberId memberId, CancellationToken cancellationToken);
}

/// <inheritdoc />
internal sealed class PatientSearchService(CentralFhirClient client) : IPatientSearchService
{
    /// <summary>More than this many matches for one card is a data problem; the page says how many exist.</summary>
    internal const int MaxMatches = 50;

    public async Task<PatientSearchResult> SearchAsync(InsuranceMemberId memberId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(memberId);
        var parameters = new FhirSearchParameters()
            .Add("identifier", memberId.SearchParameterValue)
            .Add("_count", MaxMatches.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var bundle = await client.SearchPostAsync<Patient>(parameters, cancellationToken).ConfigureAwait(false);
        var matches = bundle.Entry
            .Where(e => e.Search?.Mode is null or Bundle.SearchEntryMode.Match)
            .Select(e => e.Resource)
            .OfType<Patient>()
            .Select(PatientMapper.ToSummary)
            .ToList();
        return new PatientSearchResult(matches, bundle.Total ?? matches.Count);
    }
}

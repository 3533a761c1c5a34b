using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;

namespace MedNetPortal.Web.Features.Letters;

/// <summary>
/// The central base's Organization id of a facility, by 医療機関コード: what a letter's Task names as requester and owner,
/// so the inbox and outbox are standard reference searches (<c>Task?owner=Organization/{id}</c>). One POST search the first
/// time per facility and instance; found ids are kept (they do not change), a facility not found is asked again next time.
/// </summary>
public sealed class FacilityOrganizations(CentralFhirClient client, FacilityOrganizationCache cache)
{
    /// <summary>
    /// The id of the one Organization whose identifiers include the code; null when the base has none or more than one
    /// (a result is checked: an Organization without the code, returned by a server that ignored the search, never counts).
    /// </summary>
    public async Task<string?> IdOfAsync(string facilityCode, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(facilityCode);
        if (cache.Ids.TryGetValue(facilityCode, out var known))
        {
            return known;
        }

        var parameters = new FhirSearchParameters()
            .Add("identifier", FhirSearchValue.Token(JpFhir.Systems.MedicalInstitutionCode, facilityCode))
            .Add("_count", "2");
        var page = await client.SearchPostAsync<Organization>(parameters, cancellationToken).ConfigureAwait(false);
        var ids = page.Entry.Where(e => e.Search?.Mode is null or Bundle.SearchEntryMode.Match)
            .Select(e => e.Resource).OfType<Organization>()
            .Where(o => o.Id is not null && o.Identifier.Any(i => i.System == JpFhir.Systems.MedicalInstitutionCode && i.Value == facilityCode))
            .Select(o => o.Id!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (ids.Count != 1)
        {
            return null;
        }

        cache.Ids[facilityCode] = ids[0];
        return ids[0];
    }
}

/// <summary>The per-instance memory of <see cref="FacilityOrganizations"/>.</summary>
public sealed class FacilityOrganizationCache
{
    internal ConcurrentDictionary<string, string> Ids { get; } = new(StringComparer.Ordinal);
}

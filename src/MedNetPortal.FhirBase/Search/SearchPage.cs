using MedNetPortal.FhirBase.Storage;

namespace MedNetPortal.FhirBase.Search;

/// <summary>
/// One page of a search: the matches, then what they <c>_include</c> (not counted against <c>_count</c>), then
/// <c>_revinclude</c>d resources (counted together with the matches against <c>_count</c>).
/// </summary>
internal sealed record SearchPage(
    int Total,
    IReadOnlyList<StoredResource> Matches,
    IReadOnlyList<StoredResource> Included,
    int Offset,
    int Count,
    bool HasNext);

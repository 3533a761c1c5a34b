namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>Finds destination facilities (<see cref="FacilityDirectory"/>); the compose page's destination search asks this.</summary>
public interface IFacilityDirectory
{
    /// <inheritdoc cref="FacilityDirectory.SearchAsync(string, CancellationToken)"/>
    Task<FacilitySearchResult> SearchAsync(string query, CancellationToken cancellationToken);
}

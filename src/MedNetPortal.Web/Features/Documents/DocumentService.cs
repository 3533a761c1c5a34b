using Hl7.Fhir.Model;
using MedNetPortal.Fhir;

namespace MedNetPortal.Web.Features.Documents;

/// <summary>Loads clinical documents for viewing.</summary>
public interface IDocumentSource
{
    /// <summary>
    /// The document Bundle with this id, mapped; null when there is none (or it is not a document). Other failures throw
    /// <see cref="FhirApiException"/>. One request to the central base.
    /// </summary>
    Task<DocumentView?> LoadAsync(string id, CancellationToken cancellationToken);
}

/// <summary>Reads a document Bundle from the central base in one request and maps it with <see cref="DocumentMapper"/>.</summary>
public sealed class DocumentService(CentralFhirClient client) : IDocumentSource
{
    public async Task<DocumentView?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        Bundle bundle;
        try
        {
            bundle = await client.ReadAsync<Bundle>(id, cancellationToken);
        }
        catch (FhirApiException ex) when (ex.Reason is FhirApiErrorReason.NotFound or FhirApiErrorReason.Gone)
        {
            return null;
        }

        return bundle.Type == Bundle.BundleType.Document ? DocumentMapper.Map(bundle, id) : null;
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

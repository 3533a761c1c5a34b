using Hl7.Fhir.Model;

namespace MedNetPortal.Web.Features.Documents;

/// <summary>Finds resources inside the Bundle by fullUrl or by <c>Type/id</c>.</summary>
internal sealed class BundleResolver
{
    private readonly Dictionary<string, Resource> byFullUrl = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Resource> byTypeAndId = new(StringComparer.Ordinal);

    public BundleResolver(Bundle bundle)
    {
        foreach (var entry in bundle.Entry)
        {
            if (entry.Resource is not { } resource)
            {
                continue;
            }

            if (!string.IsNullOrEmpty(entry.FullUrl))
            {
                byFullUrl.TryAdd(entry.FullUrl, resource);
            }

            if (!string.IsNullOrEmpty(resource.Id))
            {
                byTypeAndId.TryAdd(resource.TypeName + "/" + resource.Id, resource);
            }
        }
    }

    public Resource? Resolve(ResourceReference? reference)
    {
        var target = reference?.Reference;
        if (string.IsNullOrWhiteSpace(target))
        {
            return null;
        }

        if (byFullUrl.TryGetValue(target, out var resource))
        {
            return resource;
        }

        // Relative (Patient/123) or absolute (https://base/Patient/123, with or without _history): the last Type/id pair.
        var path = target.Split('?')[0];
        var history = path.IndexOf("/_history/", StringComparison.Ordinal);
        if (history >= 0)
        {
            path = path[..history];
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && byTypeAndId.TryGetValue(parts[^2] + "/" + parts[^1], out resource) ? resource : null;
    }
}

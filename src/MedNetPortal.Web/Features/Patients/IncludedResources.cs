using Hl7.Fhir.Model;
using MedNetPortal.Fhir;

namespace MedNetPortal.Web.Features.Patients;

/// <summary>
/// What a search page brought along with its matches (<c>_include</c>): the Organizations, by 医療機関コード, and the
/// Practitioners, by reference, so a row can name its facility and its doctor instead of showing codes.
/// </summary>
internal sealed class IncludedResources
{
    private readonly Dictionary<string, string> facilityNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Resource> byReference = new(StringComparer.Ordinal);

    public static IncludedResources None { get; } = new();

    public static IncludedResources From(Bundle page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var included = new IncludedResources();
        foreach (var entry in page.Entry.Where(e => e.Search?.Mode == Bundle.SearchEntryMode.Include))
        {
            switch (entry.Resource)
            {
                case Organization organization when !string.IsNullOrEmpty(organization.Name):
                    foreach (var identifier in organization.Identifier.Where(i => i.System == JpFhir.Systems.MedicalInstitutionCode && !string.IsNullOrEmpty(i.Value)))
                    {
                        included.facilityNames.TryAdd(identifier.Value!, organization.Name!);
                    }

                    included.Add(organization);
                    break;
                case { } resource:
                    included.Add(resource);
                    break;
            }
        }

        return included;
    }

    /// <summary>Everything a document Bundle holds, so its entries name their facility and doctor from inside the document.</summary>
    public static IncludedResources FromDocument(Bundle document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var included = new IncludedResources();
        foreach (var resource in document.Entry.Select(e => e.Resource).OfType<Resource>())
        {
            if (resource is Organization { Name.Length: > 0 } organization)
            {
                foreach (var identifier in organization.Identifier.Where(i => i.System == JpFhir.Systems.MedicalInstitutionCode && !string.IsNullOrEmpty(i.Value)))
                {
                    included.facilityNames.TryAdd(identifier.Value!, organization.Name!);
                }
            }

            if (resource.Id is not null)
            {
                included.Add(resource);
            }
        }

        return included;
    }

    /// <summary>The facility of a resource: its eCS_InstitutionNumber code, named when the page carried that Organization.</summary>
    public FacilityRef FacilityOf(DomainResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var code = (resource.GetExtension(JpFhir.Extensions.InstitutionNumber)?.Value as Identifier)?.Value;
        return code is null ? FacilityRef.None : new FacilityRef(code, facilityNames.GetValueOrDefault(code));
    }

    /// <summary>
    /// A person's name from a reference: its display, else the contained resource it points to (<c>#id</c>, as the official
    /// examples write it), else the included Practitioner.
    /// </summary>
    public string? PersonName(ResourceReference? reference, DomainResource owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (reference is null)
        {
            return null;
        }

        if (!string.IsNullOrWhiteSpace(reference.Display))
        {
            return reference.Display;
        }

        Resource? target = null;
        if (reference.Reference is { } text && text.StartsWith('#'))
        {
            target = owner.Contained.FirstOrDefault(c => c.Id == text[1..]);
        }
        else if (reference.Reference is { } literal)
        {
            byReference.TryGetValue(Relative(literal), out target);
        }

        return target switch
        {
            Practitioner practitioner => JpCoreNames.Text(JpCoreNames.Kanji(practitioner.Name) ?? practitioner.Name.FirstOrDefault()),
            Organization organization => organization.Name,
            _ => null,
        };
    }

    private void Add(Resource resource)
    {
        if (!string.IsNullOrEmpty(resource.Id))
        {
            byReference.TryAdd($"{resource.TypeName}/{resource.Id}", resource);
        }
    }

    /// <summary><c>Type/id</c> of a relative or absolute reference (the base may write either).</summary>
    private static string Relative(string reference)
    {
        var parts = reference.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var history = Array.IndexOf(parts, "_history");
        if (history > 0)
        {
            parts = parts[..history];
        }

        return parts.Length >= 2 ? $"{parts[^2]}/{parts[^1]}" : reference;
    }
}

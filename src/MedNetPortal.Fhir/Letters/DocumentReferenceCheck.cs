using System.Collections;
using Hl7.Fhir.Model;

namespace MedNetPortal.Fhir.Letters;

/// <summary>Every reference in a document resolves inside it (a fullUrl of the Bundle, or <c>#</c> for a contained resource).</summary>
internal static class DocumentReferenceCheck
{
    internal static void Check(Bundle bundle, Dictionary<string, Resource?> byFullUrl, List<ReferralProblem> problems)
    {
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            if (bundle.Entry[i].Resource is { } resource)
            {
                Walk(resource, $"Bundle.entry[{i}].resource", byFullUrl, problems);
            }
        }
    }

    private static void Walk(Base element, string path, Dictionary<string, Resource?> byFullUrl, List<ReferralProblem> problems)
    {
        if (element is ResourceReference { Reference: { } reference }
            && !reference.StartsWith('#') && !byFullUrl.ContainsKey(reference))
        {
            problems.Add(new(ReferralProblemCode.ReferenceUnresolved, ReferralField.Document, path));
        }

        foreach (var (name, value) in element.EnumerateElements())
        {
            switch (value)
            {
                case Base child:
                    Walk(child, $"{path}.{name}", byFullUrl, problems);
                    break;
                case IEnumerable list and not string:
                    var index = 0;
                    foreach (var item in list)
                    {
                        if (item is Base childItem)
                        {
                            Walk(childItem, $"{path}.{name}[{index}]", byFullUrl, problems);
                        }

                        index++;
                    }

                    break;
            }
        }
    }
}

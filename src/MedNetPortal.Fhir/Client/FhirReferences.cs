using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace MedNetPortal.Fhir;

/// <summary>
/// Reading references in what a server answered, to check a result after loading: a search result is shown only when its
/// references say what the search asked for (a lenient server may ignore a parameter and answer with more).
/// </summary>
public static partial class FhirReferences
{
    /// <summary>
    /// Whether <paramref name="reference"/> points at <c>type/id</c>: relative, absolute on any base, or versioned. A reference
    /// by identifier alone points at nothing here.
    /// </summary>
    public static bool RefersTo(ResourceReference? reference, string type, string id)
    {
        var match = reference?.Reference is { } text ? ReferencePattern().Match(text) : null;
        return match is { Success: true } && match.Groups["type"].Value == type && match.Groups["id"].Value == id;
    }

    /// <summary>The id of the <paramref name="type"/> a reference (or URL) points at, or null.</summary>
    public static string? IdOf(string? reference, string type)
    {
        var match = reference is null ? null : ReferencePattern().Match(reference);
        return match is { Success: true } && match.Groups["type"].Value == type && FhirSearchValue.IsValidId(match.Groups["id"].Value)
            ? match.Groups["id"].Value
            : null;
    }

    [GeneratedRegex(@"(?:^|/)(?<type>[A-Z][A-Za-z]+)/(?<id>[A-Za-z0-9\-.]{1,64})(?:/_history/[A-Za-z0-9\-.]{1,64})?$", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();
}

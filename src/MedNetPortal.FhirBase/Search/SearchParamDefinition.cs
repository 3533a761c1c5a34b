using Hl7.Fhir.Model;

namespace MedNetPortal.FhirBase.Search;

internal enum SearchParamKind
{
    Token,
    String,
    Date,
    Reference,
}

/// <summary>One search parameter of one resource type and how its values are taken from a resource.</summary>
/// <param name="Name">The parameter name as used in a query.</param>
/// <param name="Kind">Which index table holds its values.</param>
/// <param name="Select">The elements indexed; <see cref="IndexExtractor"/> turns them into rows.</param>
/// <param name="Targets">For references: the resource types it may point to.</param>
/// <param name="Definition">Canonical URL of the SearchParameter (a standard one, or this base's own).</param>
/// <param name="Documentation">Shown in the CapabilityStatement.</param>
/// <param name="IndexName">Index key when the parameter shares another parameter's values.</param>
/// <param name="Declared">False for chained forms, which the CapabilityStatement documents under their parameter.</param>
/// <param name="IncludeByIdentifier">
/// For a token parameter holding identifiers of another resource (a logical reference): <c>_include</c> on it returns the
/// resources of <see cref="Targets"/> whose <c>identifier</c> matches.
/// </param>
internal sealed record SearchParamDefinition(
    string Name,
    SearchParamKind Kind,
    Func<Resource, IEnumerable<Base?>> Select,
    IReadOnlyList<string> Targets,
    string Definition,
    string? Documentation = null,
    string? IndexName = null,
    bool Declared = true,
    bool IncludeByIdentifier = false)
{
    /// <summary>Whether <c>_include</c> may name this parameter.</summary>
    public bool Includable => (Kind == SearchParamKind.Reference || IncludeByIdentifier) && Declared && IndexName is null;

    /// <summary>Whether <c>_revinclude</c> may name this parameter (literal references only).</summary>
    public bool RevIncludable => Kind == SearchParamKind.Reference && Declared && IndexName is null;

    public string IndexKey => IndexName ?? Name;

    public SearchParamType FhirType => Kind switch
    {
        SearchParamKind.Token => SearchParamType.Token,
        SearchParamKind.String => SearchParamType.String,
        SearchParamKind.Date => SearchParamType.Date,
        _ => SearchParamType.Reference,
    };
}

/// <summary>A supported resource type with its search parameters and include paths.</summary>
internal sealed record ResourceTypeDefinition(string Type, IReadOnlyDictionary<string, SearchParamDefinition> Parameters)
{
    /// <summary><c>Type:param</c> for each reference parameter of this type.</summary>
    public IEnumerable<string> Includes =>
        Parameters.Values.Where(p => p.Includable).Select(p => $"{Type}:{p.Name}");
}

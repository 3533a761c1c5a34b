using System.Text;
using Hl7.Fhir.Model;
using MedNetPortal.FhirBase.Storage;

namespace MedNetPortal.FhirBase.Search;

/// <summary>The index rows of one resource, from the parameters the registry declares for its type.</summary>
internal sealed record ResourceIndex(
    IReadOnlyList<TokenIndexRow> Tokens,
    IReadOnlyList<StringIndexRow> Strings,
    IReadOnlyList<DateIndexRow> Dates,
    IReadOnlyList<ReferenceIndexRow> References);

internal static class IndexExtractor
{
    public static ResourceIndex Extract(Resource resource, long seq)
    {
        var type = resource.TypeName;
        var tokens = new List<TokenIndexRow>();
        var strings = new List<StringIndexRow>();
        var dates = new List<DateIndexRow>();
        var references = new List<ReferenceIndexRow>();
        if (!SearchParameterRegistry.TryGet(type, out var definition))
        {
            return new ResourceIndex(tokens, strings, dates, references);
        }
        foreach (var p in definition.Parameters.Values.Where(p => p.IndexName is null))
        {
            foreach (var element in p.Select(resource))
            {
                if (element is null)
                {
                    continue;
                }
                switch (p.Kind)
                {
                    case SearchParamKind.Token:
                        tokens.AddRange(Tokens(element).Distinct()
                            .Select(t => new TokenIndexRow { ResourceSeq = seq, ResourceType = type, Param = p.Name, System = t.System, Code = t.Code }));
                        break;
                    case SearchParamKind.String:
                        strings.AddRange(Strings(element).Select(NormalizeString).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal)
                            .Select(s => new StringIndexRow { ResourceSeq = seq, ResourceType = type, Param = p.Name, Value = Truncate(s, 400) }));
                        break;
                    case SearchParamKind.Date:
                        if (Date(element) is { } range)
                        {
                            dates.Add(new DateIndexRow { ResourceSeq = seq, ResourceType = type, Param = p.Name, Start = range.Start, End = range.End });
                        }
                        break;
                    case SearchParamKind.Reference:
                        if (element is ResourceReference reference && ParseReference(reference.Reference) is { } target
                            && (target.Type is not null || p.Targets.Count == 1))
                        {
                            references.Add(new ReferenceIndexRow
                            {
                                ResourceSeq = seq, ResourceType = type, Param = p.Name,
                                TargetType = target.Type ?? p.Targets[0], TargetId = target.Id,
                            });
                        }
                        break;
                }
            }
        }
        return new ResourceIndex(tokens, strings, dates, references);
    }

    /// <summary>Case-insensitive and width-insensitive form used on both sides of a string search.</summary>
    public static string NormalizeString(string value) =>
        value.Normalize(NormalizationForm.FormKC).Trim().ToLowerInvariant();

    /// <summary><c>Type/id</c>, <c>id</c>, or an absolute URL ending in <c>Type/id</c> (with or without <c>_history</c>).</summary>
    public static (string? Type, string Id)? ParseReference(string? reference)
    {
        if (string.IsNullOrWhiteSpace(reference) || reference.StartsWith('#') || reference.StartsWith("urn:", StringComparison.Ordinal))
        {
            return null;
        }
        var parts = reference.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var historyAt = Array.IndexOf(parts, "_history");
        if (historyAt >= 0)
        {
            parts = parts[..historyAt];
        }
        return parts.Length switch
        {
            0 => null,
            1 => (null, parts[0]),
            _ when ModelInfoTypes.IsResourceType(parts[^2]) => (parts[^2], parts[^1]),
            _ => null,
        };
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    private static IEnumerable<(string System, string Code)> Tokens(Base element)
    {
        switch (element)
        {
            case Identifier i when !string.IsNullOrEmpty(i.Value):
                yield return (i.System ?? string.Empty, i.Value);
                break;
            case CodeableConcept cc:
                foreach (var c in cc.Coding.Where(c => !string.IsNullOrEmpty(c.Code)))
                {
                    yield return (c.System ?? string.Empty, c.Code!);
                }
                break;
            case Coding c when !string.IsNullOrEmpty(c.Code):
                yield return (c.System ?? string.Empty, c.Code!);
                break;
            case FhirBoolean b when b.Value is { } value:
                yield return (string.Empty, value ? "true" : "false");
                break;
            case PrimitiveType primitive when primitive.JsonValue is string s && s.Length > 0:
                yield return (string.Empty, s);
                break;
        }
    }

    private static IEnumerable<string> Strings(Base element)
    {
        switch (element)
        {
            case HumanName name:
                if (name.Family is { } family)
                {
                    yield return family;
                }
                foreach (var given in name.Given.OfType<string>())
                {
                    yield return given;
                }
                if (name.Text is { } text)
                {
                    yield return text;
                    yield return text.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\u3000", string.Empty, StringComparison.Ordinal);
                }
                if (name.Family is not null && name.Given.Any())
                {
                    yield return name.Family + string.Concat(name.Given);
                }
                break;
            case PrimitiveType primitive when primitive.JsonValue is string s:
                yield return s;
                break;
        }
    }

    private static DateRange? Date(Base element)
    {
        switch (element)
        {
            case Period period:
                DateRange.TryParse(period.Start, out var start);
                DateRange.TryParse(period.End, out var end);
                if (period.Start is null && period.End is null)
                {
                    return null;
                }
                return new DateRange(period.Start is null ? DateTime.MinValue.Ticks : start.Start, period.End is null ? DateTime.MaxValue.Ticks : end.End);
            case Instant instant when instant.Value is { } value:
                return DateRange.Point(value);
            case PrimitiveType primitive when primitive.JsonValue is string s:
                return DateRange.TryParse(s, out var range) ? range : null;
            default:
                return null;
        }
    }
}

internal static class ModelInfoTypes
{
    public static bool IsResourceType(string name) => ModelInfo.IsKnownResource(name);
}

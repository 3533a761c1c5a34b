using System.Globalization;
using MedNetPortal.FhirBase.Http;

namespace MedNetPortal.FhirBase.Search;

/// <summary>One search criterion: a parameter (with optional modifier) and its comma-separated OR values.</summary>
internal sealed record SearchCriterion(SearchParamDefinition? Parameter, string Name, string? Modifier, IReadOnlyList<string> Values);

internal sealed record SortKey(string Name, bool Descending);

/// <summary>A search parsed and checked against the registry.</summary>
internal sealed record SearchRequest(
    string Type,
    IReadOnlyList<SearchCriterion> Criteria,
    IReadOnlyList<SortKey> Sort,
    IReadOnlyList<string> Includes,
    IReadOnlyList<string> RevIncludes,
    int Count,
    int Offset,
    bool SummaryCount,
    IReadOnlyList<string> Ignored,
    IReadOnlyList<KeyValuePair<string, string>> Query)
{
    /// <summary>Parses <paramref name="query"/>; unknown parameters are refused when <paramref name="strict"/>, else listed in <see cref="Ignored"/>.</summary>
    public static SearchRequest Parse(
        string type, IReadOnlyList<KeyValuePair<string, string>> query, bool strict, FhirBaseOptions options)
    {
        if (!SearchParameterRegistry.TryGet(type, out var definition))
        {
            throw FhirException.NotFound($"Resource type '{type}' is not supported.");
        }
        var criteria = new List<SearchCriterion>();
        var sort = new List<SortKey>();
        var includes = new List<string>();
        var revIncludes = new List<string>();
        var ignored = new List<string>();
        var count = options.DefaultPageSize;
        var offset = 0;
        var summaryCount = false;
        foreach (var (key, value) in query)
        {
            var colon = key.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? key : key[..colon];
            var modifier = colon < 0 ? null : key[(colon + 1)..];
            switch (name)
            {
                case "_count":
                    count = ParseInt(key, value, 0, int.MaxValue);
                    count = Math.Min(count, options.MaxPageSize);
                    continue;
                case "_offset":
                    offset = ParseInt(key, value, 0, int.MaxValue);
                    continue;
                case "_format" or "_total" or "_page":
                    continue;
                case "_summary":
                    summaryCount = value switch
                    {
                        "count" => true,
                        "false" => false,
                        _ => throw FhirException.BadRequest($"_summary={value} is not supported; use count or false.", "_summary"),
                    };
                    continue;
                case "_sort":
                    foreach (var part in SplitValues(value))
                    {
                        var descending = part.StartsWith('-');
                        var sortName = descending ? part[1..] : part;
                        var ok = sortName is "_lastUpdated" or "_id"
                            || (definition.Parameters.TryGetValue(sortName, out var sp) && sp.Kind == SearchParamKind.Date && sp.Declared);
                        if (!ok)
                        {
                            throw FhirException.BadRequest($"Cannot sort {type} by '{sortName}': only _lastUpdated, _id and date parameters sort.", "_sort");
                        }
                        sort.Add(new SortKey(sortName, descending));
                    }
                    continue;
                case "_include":
                    includes.Add(CheckInclude(key, value, type, definition.Includes));
                    continue;
                case "_revinclude":
                    revIncludes.Add(CheckInclude(key, value, type, SearchParameterRegistry.RevIncludesFor(type)));
                    continue;
            }
            if (value.Length == 0)
            {
                continue;
            }
            if (name is "_id" or "_lastUpdated")
            {
                CheckModifier(key, modifier, allowed: null);
                criteria.Add(new SearchCriterion(null, name, null, SplitValues(value)));
                continue;
            }
            if (!definition.Parameters.TryGetValue(name, out var parameter))
            {
                if (strict)
                {
                    throw FhirException.BadRequest($"Unknown search parameter '{key}' for {type}.", key);
                }
                ignored.Add(key);
                continue;
            }
            CheckModifier(key, modifier, parameter.Kind switch
            {
                SearchParamKind.String => "exact",
                SearchParamKind.Token => "not",
                _ => null,
            });
            if (name == "composition")
            {
                throw FhirException.BadRequest(
                    "Bundle?composition is supported only in chained forms: composition.patient, composition.subject, composition.patient.identifier.",
                    key);
            }
            criteria.Add(new SearchCriterion(parameter, name, modifier, SplitValues(value)));
        }
        return new SearchRequest(type, criteria, sort, includes, revIncludes, count, offset, summaryCount, ignored, query);
    }

    private static void CheckModifier(string key, string? modifier, string? allowed)
    {
        if (modifier is not null && modifier != allowed)
        {
            throw FhirException.BadRequest($"Modifier ':{modifier}' is not supported on '{key}'.", key);
        }
    }

    private static string CheckInclude(string key, string value, string type, IEnumerable<string> allowed)
    {
        var parts = value.Split(':');
        var path = parts.Length >= 2 ? $"{parts[0]}:{parts[1]}" : value;
        if (!allowed.Contains(path, StringComparer.Ordinal) || parts.Length > 3)
        {
            throw FhirException.BadRequest($"{key}={value} is not supported when searching {type}.", key);
        }
        return value;
    }

    private static int ParseInt(string key, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            throw FhirException.BadRequest($"{key} must be a whole number of at least {min}, not '{value}'.", key);
        }
        return n;
    }

    /// <summary>Splits on commas not escaped with a backslash.</summary>
    public static IReadOnlyList<string> SplitValues(string value)
    {
        var values = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                current.Append(value[++i]);
            }
            else if (value[i] == ',')
            {
                values.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(value[i]);
            }
        }
        values.Add(current.ToString());
        return values.Where(v => v.Length > 0).ToList();
    }
}

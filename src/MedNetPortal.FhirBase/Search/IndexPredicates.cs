using System.Linq.Expressions;
using MedNetPortal.FhirBase.Http;
using MedNetPortal.FhirBase.Storage;

namespace MedNetPortal.FhirBase.Search;

/// <summary>One search value as a predicate over its index table (token, string, reference, date, <c>_lastUpdated</c>).</summary>
internal static class IndexPredicates
{
    internal static Expression<Func<TokenIndexRow, bool>> TokenPredicate(string value)
    {
        var bar = value.IndexOf('|', StringComparison.Ordinal);
        if (bar < 0)
        {
            return t => t.Code == value;
        }
        var system = value[..bar];
        var code = value[(bar + 1)..];
        if (code.Length == 0)
        {
            return t => t.System == system;
        }
        return t => t.System == system && t.Code == code;
    }

    internal static Expression<Func<StringIndexRow, bool>> StringPredicate(string value, bool exact) =>
        exact ? t => t.Value == value : t => t.Value.StartsWith(value);

    internal static Expression<Func<ReferenceIndexRow, bool>> ReferencePredicate(string name, string value)
    {
        var (type, id) = ParseReferenceValue(name, value);
        if (type is null)
        {
            return t => t.TargetId == id;
        }
        return t => t.TargetType == type && t.TargetId == id;
    }

    internal static (string? Type, string Id) ParseReferenceValue(string name, string value) =>
        IndexExtractor.ParseReference(value) ?? throw FhirException.BadRequest($"'{value}' is not a reference for {name}.", name);

    internal static (string Prefix, DateRange Range) ParseDate(string name, string value)
    {
        var prefix = value.Length > 2 && char.IsAsciiLetterLower(value[0]) && char.IsAsciiLetterLower(value[1]) ? value[..2] : "eq";
        var text = value.Length > 2 && char.IsAsciiLetterLower(value[0]) ? value[2..] : value;
        if (prefix is not ("eq" or "ne" or "gt" or "lt" or "ge" or "le") || !DateRange.TryParse(text, out var range))
        {
            throw FhirException.BadRequest(
                $"'{value}' is not a date search value for {name} (prefix eq, ne, gt, lt, ge or le, then a FHIR date or dateTime).", name);
        }
        return (prefix, range);
    }

    internal static Expression<Func<DateIndexRow, bool>> DatePredicate((string Prefix, DateRange Range) value)
    {
        var (start, end) = (value.Range.Start, value.Range.End);
        return value.Prefix switch
        {
            "gt" => d => d.End > end,
            "lt" => d => d.Start < start,
            "ge" => d => d.End > start,
            "le" => d => d.Start < end,
            "ne" => d => d.Start < start || d.End > end,
            _ => d => d.Start >= start && d.End <= end,
        };
    }

    internal static Expression<Func<ResourceRow, bool>> LastUpdatedPredicate((string Prefix, DateRange Range) value)
    {
        var (start, end) = (value.Range.Start, value.Range.End);
        return value.Prefix switch
        {
            "gt" => r => r.LastUpdated >= end,
            "lt" => r => r.LastUpdated < start,
            "ge" => r => r.LastUpdated >= start,
            "le" => r => r.LastUpdated < end,
            "ne" => r => r.LastUpdated < start || r.LastUpdated >= end,
            _ => r => r.LastUpdated >= start && r.LastUpdated < end,
        };
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace MedNetPortal.Fhir;

/// <summary>
/// The one place that turns values into FHIR search values. A value is always a value, never syntax: <c>\ , $ |</c> are
/// escaped with a backslash (FHIR R4 search, "Escaping search parameters"), so <c>A,B</c> is one value and never an OR, and
/// every resource id is checked against the FHIR id rule before it is used in a search or a URL.
/// </summary>
public static partial class FhirSearchValue
{
    private static readonly System.Buffers.SearchValues<char> Special = System.Buffers.SearchValues.Create("\\,$|");

    /// <summary>True for a FHIR resource id: <c>[A-Za-z0-9\-.]{1,64}</c>.</summary>
    public static bool IsValidId([NotNullWhen(true)] string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>The id itself when valid; otherwise <see cref="ArgumentException"/> (callers validate input first).</summary>
    public static string Id(string? id) =>
        IsValidId(id) ? id : throw new ArgumentException("Not a FHIR resource id.", nameof(id));

    /// <summary><c>\ , $ |</c> escaped with a backslash.</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny(Special) < 0)
        {
            return value;
        }

        var builder = new System.Text.StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '\\' or ',' or '$' or '|')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>A token value <c>system|code</c>, each part escaped.</summary>
    public static string Token(string system, string code) => Escape(system) + "|" + Escape(code);

    /// <summary>Several tokens as one OR (the only place a comma may separate values).</summary>
    public static string AnyToken(string system, IEnumerable<string> codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        return string.Join(',', codes.Distinct(StringComparer.Ordinal).Select(c => Token(system, c)));
    }

    /// <summary>A reference value <c>Type/id</c>; the id must be a valid FHIR id.</summary>
    public static string Reference(string type, string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        return type + "/" + Id(id);
    }

    [GeneratedRegex("^[A-Za-z0-9\\-.]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}

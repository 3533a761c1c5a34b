using System.Text;

namespace MedNetPortal.Web.Host.Telemetry;

/// <summary>
/// Turns request paths and URLs into templates for telemetry: resource ids become <c>{id}</c>, route parameters their names,
/// and query strings are dropped. A patient's logical id is not personal data by itself, but a trace store that kept it
/// would become a second record of who viewed which patient, one without the audit trail's access rules; route templates
/// also keep the number of distinct span names small.
/// </summary>
internal static class TelemetryPaths
{
    public const string Unmatched = "{path}";

    /// <summary>
    /// The template of <paramref name="path"/>: FHIR REST grammar under one of <paramref name="fhirBasePaths"/>
    /// (<c>/fhir/Patient/{id}</c>, <c>/fhir/Consent/_search</c>), else <paramref name="routePattern"/> without its
    /// constraints (<c>/patients/{Id}</c>), else the path's literal words with every other segment replaced.
    /// </summary>
    public static string Template(string? path, string? routePattern, IReadOnlyCollection<string> fhirBasePaths)
    {
        path = CutQuery(path ?? string.Empty);
        foreach (var basePath in fhirBasePaths)
        {
            var root = basePath.TrimEnd('/');
            if (root.Length > 0 && (path.Equals(root, StringComparison.Ordinal) || path.StartsWith(root + "/", StringComparison.Ordinal)))
            {
                return root + FhirTemplate(path[root.Length..]);
            }
        }

        if (!string.IsNullOrEmpty(routePattern))
        {
            return RouteTemplate(routePattern);
        }

        return GenericTemplate(path);
    }

    /// <summary>An absolute http(s) URL (on Linux a bare path such as <c>/fhir/x</c> also parses as an absolute file URI).</summary>
    public static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>Scheme, host and port of <paramref name="url"/>, then <see cref="Template"/> of its path; never its query or user info.</summary>
    public static string TemplateUrl(string url, IReadOnlyCollection<string> fhirBasePaths)
    {
        if (!IsHttpUrl(url))
        {
            return Template(url, null, fhirBasePaths);
        }

        var uri = new Uri(url);
        return uri.GetLeftPart(UriPartial.Authority).Replace(uri.UserInfo + "@", string.Empty, StringComparison.Ordinal)
            + Template(uri.AbsolutePath, null, fhirBasePaths);
    }

    /// <summary><c>/fhir/{type:regex(…)}/{id:regex(…)}</c> → <c>/fhir/{type}/{id}</c>; <c>{**rest}</c> → <c>{rest}</c>.</summary>
    public static string RouteTemplate(string routePattern)
    {
        var result = new StringBuilder();
        var i = 0;
        while (i < routePattern.Length)
        {
            var c = routePattern[i];
            if (c == '{' && i + 1 < routePattern.Length && routePattern[i + 1] == '{')
            {
                result.Append('{');
                i += 2;
                continue;
            }

            if (c != '{')
            {
                result.Append(c);
                i++;
                continue;
            }

            // A parameter: its name, then skip to the closing brace (constraints may hold escaped braces and slashes).
            var nameStart = i + 1;
            while (nameStart < routePattern.Length && routePattern[nameStart] == '*')
            {
                nameStart++;
            }

            var nameEnd = nameStart;
            while (nameEnd < routePattern.Length && routePattern[nameEnd] is not (':' or '=' or '?' or '}'))
            {
                nameEnd++;
            }

            result.Append('{').Append(routePattern, nameStart, nameEnd - nameStart).Append('}');
            i = nameEnd;
            while (i < routePattern.Length)
            {
                if (routePattern[i] == '}' && i + 1 < routePattern.Length && routePattern[i + 1] == '}')
                {
                    i += 2;
                    continue;
                }

                if (routePattern[i] == '{' && i + 1 < routePattern.Length && routePattern[i + 1] == '{')
                {
                    i += 2;
                    continue;
                }

                if (routePattern[i] == '}')
                {
                    i++;
                    break;
                }

                i++;
            }
        }

        var text = result.ToString();
        return text.StartsWith('/') ? text : "/" + text;
    }

    /// <summary>
    /// A FHIR REST path after the base, by position: <c>[type]/[id]/_history/[vid]</c>, <c>[type]/_search</c>,
    /// <c>[type]/[id]/$op</c>, <c>metadata</c>, <c>auth/token</c>. Only a resource type, a word starting with <c>_</c> or
    /// <c>$</c>, or (outside a type) a lower-case word is kept; anything in an id's place is <c>{id}</c>.
    /// </summary>
    private static string FhirTemplate(string rest)
    {
        var segments = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return "/";
        }

        var output = new string[segments.Length];
        if (IsResourceType(segments[0]))
        {
            output[0] = segments[0];
            for (var i = 1; i < segments.Length; i++)
            {
                output[i] = (i, segments[i]) switch
                {
                    (1, var s) when IsOperation(s) => s,
                    (1, _) => "{id}",
                    (2, var s) when IsOperation(s) => s,
                    (3, _) when segments[2] == "_history" => "{vid}",
                    _ => "{id}",
                };
            }
        }
        else
        {
            for (var i = 0; i < segments.Length; i++)
            {
                output[i] = IsOperation(segments[i]) || IsLiteral(segments[i]) ? segments[i] : "{id}";
            }
        }

        return "/" + string.Join('/', output);
    }

    private static string GenericTemplate(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length == 0 ? "/" : "/" + string.Join('/', segments.Select(s => IsLiteral(s) ? s : Unmatched));
    }

    private static string CutQuery(string path)
    {
        var cut = path.IndexOfAny(['?', '#']);
        return cut < 0 ? path : path[..cut];
    }

    private static bool IsResourceType(string segment) =>
        segment.Length is >= 2 and <= 64 && char.IsAsciiLetterUpper(segment[0]) && segment.All(char.IsAsciiLetter);

    private static bool IsOperation(string segment) =>
        segment.Length is >= 2 and <= 64 && segment[0] is '_' or '$' && segment.Skip(1).All(c => char.IsAsciiLetter(c) || c == '-');

    /// <summary>A fixed word of a route (<c>patients</c>, <c>_blazor</c>, <c>.well-known</c>, <c>smart-configuration</c>): lower-case letters, '-', '_', '.', no digits.</summary>
    private static bool IsLiteral(string segment) =>
        segment.Length is >= 1 and <= 40 && segment.Any(char.IsAsciiLetterLower)
        && segment.All(c => char.IsAsciiLetterLower(c) || c is '-' or '_' or '.');
}

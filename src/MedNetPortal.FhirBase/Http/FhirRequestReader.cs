using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace MedNetPortal.FhirBase.Http;

/// <summary>Reads and checks a request: media type, size, JSON syntax and FHIR validity, in that order.</summary>
internal static class FhirRequestReader
{
    public static async Task<Resource> ReadResourceAsync(HttpContext http, long maxBytes, CancellationToken cancellationToken)
    {
        CheckContentType(http.Request.ContentType);
        var json = await ReadBodyAsync(http, maxBytes, cancellationToken);
        return Parse(json);
    }

    public static Resource Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            throw FhirException.BadRequest("The request body is empty; a FHIR JSON resource is expected.");
        }
        try
        {
            json = json.TrimStart('\uFEFF');
            RejectControlCharacters(json);
            var resource = FhirJson.Parse(json);
            RejectWhitespaceInUris(resource, resource.TypeName);
            return resource;
        }
        catch (DeserializationFailedException e)
        {
            throw new FhirException(400, Outcomes.FromDeserialization(e, null));
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"line {line + 1}, position {e.BytePositionInLine + 1}" : null;
            throw new FhirException(400, OperationOutcome.IssueType.Structure,
                $"The body is not valid JSON{(where is null ? "" : " at " + where)}.", where);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NotSupportedException or ArgumentException)
        {
            throw new FhirException(400, OperationOutcome.IssueType.Structure, "The body is not a FHIR JSON resource.");
        }
    }

    /// <summary>
    /// FHIR strings should not hold control characters other than tab, CR and LF; Firely accepts them when escaped
    /// (<c>\u0000</c>), and PostgreSQL cannot store U+0000 in a text column (the search index), so they are refused here
    /// with the element's JSON path. Invalid JSON is left to the parser's own message.
    /// </summary>
    private static void RejectControlCharacters(string json)
    {
        if (!json.Contains("\\u00", StringComparison.Ordinal))
        {
            return;
        }

        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped
                    && reader.GetString() is { } value && value.Any(c => c < ' ' && c is not ('\t' or '\r' or '\n')))
                {
                    throw new FhirException(400, OperationOutcome.IssueType.Invalid,
                        "A string holds a control character (only tab, CR and LF are allowed).", null);
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not valid JSON or not valid UTF-16: the parser reports it.
        }
    }

    /// <summary>
    /// FHIR's uri, url, canonical, oid and uuid types hold no whitespace (regex <c>\S*</c>); Firely's strict mode does not check
    /// it, and a reference or system with a space would be stored and then match nothing. Refused with the element's path.
    /// </summary>
    private static void RejectWhitespaceInUris(Base node, string path)
    {
        if (node is FhirUri or Canonical or FhirUrl or Oid or Uuid && node is PrimitiveType { JsonValue: string value }
            && value.Any(char.IsWhiteSpace))
        {
            throw new FhirException(400, OperationOutcome.IssueType.Invalid,
                $"{path} is a URI and may not contain spaces or other whitespace.", path);
        }

        foreach (var (name, child) in node.EnumerateElements())
        {
            switch (child)
            {
                case Base element:
                    RejectWhitespaceInUris(element, $"{path}.{name}");
                    break;
                case IReadOnlyList<Base> list:
                    for (var i = 0; i < list.Count; i++)
                    {
                        RejectWhitespaceInUris(list[i], $"{path}.{name}[{i}]");
                    }

                    break;
            }
        }
    }

    /// <summary>The form fields of a POST <c>_search</c>, in order, plus the URL's own query.</summary>
    public static async Task<List<KeyValuePair<string, string>>> ReadSearchFormAsync(HttpContext http, long maxBytes, CancellationToken cancellationToken)
    {
        var contentType = http.Request.ContentType;
        var query = QueryPairs(http.Request.Query);
        if (string.IsNullOrEmpty(contentType) && (http.Request.ContentLength ?? 0) == 0)
        {
            return query;
        }
        if (contentType is null || !contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            throw new FhirException(415, OperationOutcome.IssueType.NotSupported,
                "POST _search takes application/x-www-form-urlencoded parameters.", "Content-Type");
        }
        var body = await ReadBodyAsync(http, maxBytes, cancellationToken);
        var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(body);
        query.AddRange(form.SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? string.Empty))));
        return query;
    }

    public static List<KeyValuePair<string, string>> QueryPairs(IQueryCollection query) =>
        query.SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? string.Empty))).ToList();

    private static void CheckContentType(string? contentType)
    {
        var mediaType = contentType?.Split(';')[0].Trim();
        if (!string.Equals(mediaType, "application/fhir+json", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new FhirException(415, OperationOutcome.IssueType.NotSupported,
                $"Content-Type '{mediaType ?? "(none)"}' is not supported; send application/fhir+json.", "Content-Type");
        }
    }

    private static async Task<string> ReadBodyAsync(HttpContext http, long maxBytes, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBytes + 1;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(maxBytes);
            }
            buffer.Write(chunk, 0, read);
        }
        try
        {
            return new UTF8Encoding(false, true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            throw new FhirException(400, OperationOutcome.IssueType.Structure, "The body is not valid UTF-8.");
        }
    }

    private static FhirException TooLarge(long maxBytes) =>
        new(413, OperationOutcome.IssueType.TooCostly, $"The request body is larger than the limit of {maxBytes} bytes.");
}

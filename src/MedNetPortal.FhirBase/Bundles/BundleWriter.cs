using System.Globalization;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using MedNetPortal.FhirBase.Storage;

namespace MedNetPortal.FhirBase.Bundles;

/// <summary>One entry of a Bundle being written; resources are embedded as the stored JSON, without re-parsing.</summary>
internal sealed record BundleEntryOut(
    string? FullUrl,
    string? ResourceJson,
    string? SearchMode = null,
    EntryRequestOut? Request = null,
    EntryResponseOut? Response = null);

internal sealed record EntryRequestOut(string Method, string Url);

internal sealed record EntryResponseOut(string Status, string? Location = null, string? ETag = null, DateTimeOffset? LastModified = null, string? OutcomeJson = null);

/// <summary>Writes searchset, history and batch/transaction-response Bundles as JSON.</summary>
internal static class BundleWriter
{
    public static string Write(string type, int? total, IReadOnlyList<(string Relation, string Url)> links, IEnumerable<BundleEntryOut> entries)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("resourceType", "Bundle");
            w.WriteString("id", Guid.NewGuid().ToString());
            w.WriteStartObject("meta");
            w.WriteString("lastUpdated", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            w.WriteEndObject();
            w.WriteString("type", type);
            if (total is { } t)
            {
                w.WriteNumber("total", t);
            }
            if (links.Count > 0)
            {
                w.WriteStartArray("link");
                foreach (var (relation, url) in links)
                {
                    w.WriteStartObject();
                    w.WriteString("relation", relation);
                    w.WriteString("url", url);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            var any = false;
            foreach (var entry in entries)
            {
                if (!any)
                {
                    w.WriteStartArray("entry");
                    any = true;
                }
                WriteEntry(w, entry);
            }
            if (any)
            {
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static BundleEntryOut SearchEntry(string baseUrl, StoredResource resource, string mode) =>
        new($"{baseUrl}/{resource.Type}/{resource.Id}", resource.Json, mode);

    public static BundleEntryOut OutcomeEntry(OperationOutcome outcome) => new(null, FhirJson.Serialize(outcome), "outcome");

    private static void WriteEntry(Utf8JsonWriter w, BundleEntryOut entry)
    {
        w.WriteStartObject();
        if (entry.FullUrl is not null)
        {
            w.WriteString("fullUrl", entry.FullUrl);
        }
        if (entry.ResourceJson is not null)
        {
            w.WritePropertyName("resource");
            w.WriteRawValue(entry.ResourceJson, skipInputValidation: true);
        }
        if (entry.SearchMode is not null)
        {
            w.WriteStartObject("search");
            w.WriteString("mode", entry.SearchMode);
            w.WriteEndObject();
        }
        if (entry.Request is { } request)
        {
            w.WriteStartObject("request");
            w.WriteString("method", request.Method);
            w.WriteString("url", request.Url);
            w.WriteEndObject();
        }
        if (entry.Response is { } response)
        {
            w.WriteStartObject("response");
            w.WriteString("status", response.Status);
            if (response.Location is not null)
            {
                w.WriteString("location", response.Location);
            }
            if (response.ETag is not null)
            {
                w.WriteString("etag", response.ETag);
            }
            if (response.LastModified is { } modified)
            {
                w.WriteString("lastModified", modified.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            }
            if (response.OutcomeJson is not null)
            {
                w.WritePropertyName("outcome");
                w.WriteRawValue(response.OutcomeJson, skipInputValidation: true);
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }
}

using Hl7.Fhir.Model;
using MedNetPortal.FhirBase.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace MedNetPortal.FhirBase.Bundles;

/// <summary>One transaction or batch entry's request as the processor reads it.</summary>
internal sealed record BundleEntryRequest(
    int Index,
    string Method,
    string Url,
    string Type,
    string[] Path,
    string? Id,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    Resource? Resource,
    string? IfNoneExist,
    string? IfMatch,
    string? FullUrl,
    FhirException? Error)
{
    /// <summary>Reads one entry's request, checking what a transaction or batch entry must have; an unknown type is kept as the entry's error.</summary>
    public static BundleEntryRequest Parse(Bundle.EntryComponent component, int index, FhirContext context)
    {
        var at = $"Bundle.entry[{index}].request";
        var request = component.Request ?? throw FhirException.BadRequest($"Entry {index} has no request.", at);
        var method = request.Method?.ToString().ToUpperInvariant()
            ?? throw FhirException.BadRequest($"Entry {index} has no request.method.", at + ".method");
        var url = request.Url ?? throw FhirException.BadRequest($"Entry {index} has no request.url.", at + ".url");
        if (url.StartsWith(context.BaseUrl + "/", StringComparison.Ordinal))
        {
            url = url[(context.BaseUrl.Length + 1)..];
        }
        var question = url.IndexOf('?', StringComparison.Ordinal);
        var pathText = question < 0 ? url : url[..question];
        var query = question < 0
            ? []
            : QueryHelpers.ParseQuery(url[question..]).SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? string.Empty))).ToList();
        var path = pathText.Trim('/').Split('/');
        var type = path[0];
        FhirException? error = null;
        try
        {
            FhirInteractions.RequireType(type);
        }
        catch (FhirException e)
        {
            error = new FhirException(e.Status, Locate(e.Outcome, index));
        }
        var resource = component.Resource;
        if (method is "POST" or "PUT")
        {
            if (resource is null)
            {
                throw FhirException.BadRequest($"Entry {index} ({method}) has no resource.", $"Bundle.entry[{index}].resource");
            }
            if (resource.TypeName != type)
            {
                throw FhirException.BadRequest($"Entry {index} is a {resource.TypeName} but its request.url is for {type}.", at + ".url");
            }
            if (method == "POST" && path.Length != 1)
            {
                throw FhirException.BadRequest($"Entry {index}: POST needs request.url '{type}'.", at + ".url");
            }
        }
        if (method is "PUT" or "DELETE" && (path.Length != 2 || question >= 0))
        {
            throw FhirException.BadRequest($"Entry {index}: {method} needs request.url '{type}/[id]'; conditional {method} is not supported.", at + ".url");
        }
        if (method is not ("POST" or "PUT" or "DELETE" or "GET"))
        {
            throw FhirException.BadRequest($"Entry {index}: method {method} is not supported.", at + ".method");
        }
        return new BundleEntryRequest(index, method, url, type, path, method is "PUT" or "DELETE" ? path[1] : null, query, resource,
            request.IfNoneExist, request.IfMatch, component.FullUrl, error);
    }

    /// <summary>Points an outcome's issues at the entry (<c>Bundle.entry[n]</c>), for errors raised while processing it.</summary>
    public static OperationOutcome Locate(OperationOutcome outcome, int index)
    {
        var prefix = $"Bundle.entry[{index}]";
        foreach (var issue in outcome.Issue)
        {
            issue.Diagnostics = $"Entry {index}: {issue.Diagnostics}";
            if (!issue.Expression.Any())
            {
                issue.Expression = [prefix];
                issue.Location = [prefix];
            }
            else if (issue.Expression.First()?.StartsWith("Bundle.entry", StringComparison.Ordinal) != true)
            {
                issue.Expression = issue.Expression.Select(x => $"{prefix}.request({x})").ToList();
                issue.Location = issue.Expression.ToList();
            }
        }
        return outcome;
    }
}

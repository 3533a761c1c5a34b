using System.Globalization;
using Hl7.Fhir.Model;
using MedNetPortal.FhirBase.Bundles;
using MedNetPortal.FhirBase.Search;
using MedNetPortal.FhirBase.Security;
using MedNetPortal.FhirBase.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MedNetPortal.FhirBase.Http;

/// <summary>
/// The REST interactions on one resource type, shared by the HTTP endpoints and batch/transaction entries. Each checks the
/// request's SMART scopes first (see <see cref="FhirAccess"/>): read, vread and history need <c>r</c>, search <c>s</c> (and
/// <c>r</c> on <c>_include</c>d, <c>s</c> on <c>_revinclude</c>d types), create <c>c</c> (conditional create also <c>s</c>: its
/// query is a search whose match is returned), update <c>u</c> (or, without it, <c>c</c> for a create-only PUT), delete <c>d</c>.
/// </summary>
internal sealed class FhirInteractions(ResourceStore store, SearchExecutor search, PageLinks links, IOptions<FhirBaseOptions> options)
{
    public async Task<FhirResult> ReadAsync(string type, string id, FhirContext context, CancellationToken cancellationToken)
    {
        RequireType(type);
        context.Access.Require(type, SmartPermissions.Read, "read");
        var stored = await store.ReadAsync(type, id, cancellationToken) ?? throw FhirException.NotFound($"{type}/{id} is not known.");
        if (stored.Deleted)
        {
            throw new FhirException(410, OperationOutcome.IssueType.Deleted, $"{type}/{id} was deleted.");
        }
        return new FhirResult(200, stored.Json, stored);
    }

    public async Task<FhirResult> ReadVersionAsync(string type, string id, string versionId, FhirContext context, CancellationToken cancellationToken)
    {
        RequireType(type);
        context.Access.Require(type, SmartPermissions.Read, "vread");
        if (!int.TryParse(versionId, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw FhirException.NotFound($"{type}/{id} has no version '{versionId}'.");
        }
        var stored = await store.ReadVersionAsync(type, id, version, cancellationToken)
            ?? throw FhirException.NotFound($"{type}/{id} has no version {version}.");
        if (stored.Deleted)
        {
            throw new FhirException(410, OperationOutcome.IssueType.Deleted, $"Version {version} of {type}/{id} is a deletion.");
        }
        return new FhirResult(200, stored.Json, stored);
    }

    /// <summary>Create; with <paramref name="ifNoneExist"/>, returns the single existing match instead (412 when several match).</summary>
    public async Task<FhirResult> CreateAsync(string type, Resource resource, string? ifNoneExist, FhirContext context, CancellationToken cancellationToken)
    {
        InteractionScopes.RequireCreate(type, ifNoneExist, context.Access);
        RequireBodyType(type, resource);
        if (!string.IsNullOrWhiteSpace(ifNoneExist))
        {
            return await store.InTransactionAsync(async () =>
            {
                var existing = await FindAsync(type, ifNoneExist, "If-None-Exist", cancellationToken);
                if (existing is not null)
                {
                    return new FhirResult(200, existing.Json, existing, IncludeLocation: true);
                }
                var created = await store.CreateAsync(resource, cancellationToken);
                return new FhirResult(201, created.Json, created, IncludeLocation: true);
            }, cancellationToken);
        }
        var stored = await store.CreateAsync(resource, cancellationToken);
        return new FhirResult(201, stored.Json, stored, IncludeLocation: true);
    }

    /// <summary>
    /// Update, or create with the client's id (update-as-create is supported). A client with <c>c</c> but not <c>u</c> on the
    /// type may PUT only to create, or to repeat the current content unchanged (the portal forwards AuditEvents this way:
    /// write-once, idempotent); a PUT that would change the stored resource is refused with 403.
    /// </summary>
    public async Task<FhirResult> UpdateAsync(string type, string id, Resource resource, string? ifMatch, FhirContext context, CancellationToken cancellationToken)
    {
        var createOnly = InteractionScopes.RequireUpdate(type, context.Access);
        RequireBodyType(type, resource);
        if (resource.Id is null)
        {
            throw FhirException.BadRequest("The resource has no id; an update needs the id of the URL in the body.", $"{type}.id");
        }
        if (resource.Id != id)
        {
            throw FhirException.BadRequest($"The body's id '{resource.Id}' differs from the URL's id '{id}'.", $"{type}.id");
        }
        int? expected = null;
        if (ifMatch is not null)
        {
            expected = ParseETag(ifMatch);
        }
        Func<Exception>? refuseChange = createOnly
            ? () => FhirBaseAuthentication.Forbidden(
                $"{type}/{id} exists and the access token of client '{context.Access.ClientId}' may only create {type} (write-once): " +
                $"changing it needs scope system/{type}.u.", $"system/{type}.u")
            : null;
        var (stored, created) = await store.UpdateAsync(resource, expected, refuseChange, cancellationToken);
        return new FhirResult(created ? 201 : 200, stored.Json, stored, IncludeLocation: created);
    }

    public async Task<FhirResult> DeleteAsync(string type, string id, FhirContext context, CancellationToken cancellationToken)
    {
        RequireType(type);
        context.Access.Require(type, SmartPermissions.Delete, "delete");
        var deleted = await store.DeleteAsync(type, id, cancellationToken);
        return deleted is null ? new FhirResult(204, null) : new FhirResult(204, null, deleted);
    }

    public async Task<FhirResult> SearchAsync(
        string type, IReadOnlyList<KeyValuePair<string, string>> query, FhirContext context, CancellationToken cancellationToken)
    {
        RequireType(type);
        context.Access.Require(type, SmartPermissions.Search, "search");
        query = links.Resolve(query);
        var request = SearchRequest.Parse(type, query, context.StrictHandling, options.Value);
        InteractionScopes.RequireIncluded(request, context.Access);
        var page = await search.ExecuteAsync(request, cancellationToken);
        var pageLinks = new List<(string, string)>();
        if (!request.SummaryCount)
        {
            pageLinks.Add(("self", links.Link(context, type, query, page.Offset)));
            if (page.HasNext)
            {
                pageLinks.Add(("next", links.Link(context, type, query, page.Offset + page.Count)));
            }
            if (page.Offset > 0 && page.Count > 0)
            {
                pageLinks.Add(("previous", links.Link(context, type, query, Math.Max(0, page.Offset - page.Count))));
            }
        }
        var entries = page.Matches.Select(m => BundleWriter.SearchEntry(context.BaseUrl, m, "match"))
            .Concat(page.Included.Select(i => BundleWriter.SearchEntry(context.BaseUrl, i, "include")));
        if (request.Ignored.Count > 0)
        {
            var outcome = Outcomes.Single(OperationOutcome.IssueSeverity.Warning, OperationOutcome.IssueType.NotSupported,
                $"Ignored unknown search parameters: {string.Join(", ", request.Ignored)}.");
            entries = entries.Append(BundleWriter.OutcomeEntry(outcome));
        }
        return new FhirResult(200, BundleWriter.Write("searchset", page.Total, pageLinks, entries));
    }

    public async Task<FhirResult> HistoryAsync(
        string? type, string? id, IReadOnlyList<KeyValuePair<string, string>> query, FhirContext context, CancellationToken cancellationToken)
    {
        if (type is not null)
        {
            RequireType(type);
            context.Access.Require(type, SmartPermissions.Read, "history");
        }
        else if (!context.Access.AllowsEveryType(SmartPermissions.Read))
        {
            throw FhirBaseAuthentication.Forbidden(
                $"The access token of client '{context.Access.ClientId}' does not allow the system history, which spans every type; that needs scope system/*.r.",
                "system/*.r");
        }
        var count = options.Value.DefaultPageSize;
        var offset = 0;
        long? since = null;
        foreach (var (key, value) in query)
        {
            switch (key)
            {
                case "_count":
                    count = Math.Min(ParseNonNegative(key, value), options.Value.MaxPageSize);
                    break;
                case "_offset":
                    offset = ParseNonNegative(key, value);
                    break;
                case "_since":
                    since = DateRange.TryParse(value, out var range) ? range.Start : throw FhirException.BadRequest($"_since '{value}' is not a FHIR instant.", "_since");
                    break;
                case "_format":
                    break;
                default:
                    if (context.StrictHandling)
                    {
                        throw FhirException.BadRequest($"Unknown history parameter '{key}'.", key);
                    }
                    break;
            }
        }
        var versions = store.Db.Versions.AsNoTracking().AsQueryable();
        if (type is not null)
        {
            versions = versions.Where(v => v.Type == type);
        }
        if (id is not null)
        {
            versions = versions.Where(v => v.Id == id);
            if (!await versions.AnyAsync(cancellationToken))
            {
                throw FhirException.NotFound($"{type}/{id} is not known.");
            }
        }
        if (since is { } s)
        {
            versions = versions.Where(v => v.LastUpdated >= s);
        }
        var total = await versions.CountAsync(cancellationToken);
        var rows = await versions.OrderByDescending(v => v.LastUpdated).ThenByDescending(v => v.ResourceSeq).ThenByDescending(v => v.VersionId)
            .Skip(offset).Take(count).ToListAsync(cancellationToken);
        var path = type is null ? "_history" : id is null ? $"{type}/_history" : $"{type}/{id}/_history";
        string Link(int o) => $"{context.BaseUrl}/{path}?" +
            QueryString.Create(query.Where(p => p.Key != "_offset").Append(new("_offset", o.ToString(CultureInfo.InvariantCulture)))!).ToUriComponent()[1..];
        var pageLinks = new List<(string, string)> { ("self", Link(offset)) };
        if (count > 0 && (long)offset + count < total)
        {
            pageLinks.Add(("next", Link(offset + count)));
        }
        var entries = rows.Select(v => new BundleEntryOut(
            $"{context.BaseUrl}/{v.Type}/{v.Id}",
            v.Json,
            Request: new EntryRequestOut(v.Method, v.Method == "POST" ? v.Type : $"{v.Type}/{v.Id}"),
            Response: new EntryResponseOut(
                v.Method == "DELETE" ? "204" : v.VersionId == 1 ? "201" : "200",
                ETag: $"W/\"{v.VersionId}\"",
                LastModified: new DateTimeOffset(v.LastUpdated, TimeSpan.Zero))));
        return new FhirResult(200, BundleWriter.Write("history", total, pageLinks, entries));
    }

    /// <summary>The single current resource matching a conditional query; null when none; 412 when several.</summary>
    public async Task<StoredResource?> FindAsync(string type, string criteria, string what, CancellationToken cancellationToken)
    {
        var text = criteria.TrimStart('?');
        if (text.StartsWith(type + "?", StringComparison.Ordinal))
        {
            text = text[(type.Length + 1)..];
        }
        var pairs = QueryHelpers.ParseQuery(text)
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? string.Empty)))
            .ToList();
        if (pairs.Count == 0)
        {
            throw FhirException.BadRequest($"{what} has no search criteria.", what);
        }
        var request = SearchRequest.Parse(type, pairs, strict: true, options.Value);
        var matches = await (await search.FilterAsync(request, cancellationToken)).OrderBy(r => r.Seq).Take(2).AsNoTracking().ToListAsync(cancellationToken);
        return matches.Count switch
        {
            0 => null,
            1 => StoredResource.From(matches[0]),
            _ => throw new FhirException(412, OperationOutcome.IssueType.MultipleMatches,
                $"{what} matches more than one {type}; the request was not performed.", what),
        };
    }

    public static void RequireType(string type)
    {
        if (!SearchParameterRegistry.TryGet(type, out _))
        {
            throw new FhirException(404, OperationOutcome.IssueType.NotSupported, $"Resource type '{type}' is not supported by this server.");
        }
    }

    private static void RequireBodyType(string type, Resource resource)
    {
        RequireType(type);
        if (resource.TypeName != type)
        {
            throw FhirException.BadRequest($"The body is a {resource.TypeName}, but the URL is for {type}.", "resourceType");
        }
    }

    private static int ParseETag(string ifMatch)
    {
        var text = ifMatch.Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal))
        {
            text = text[2..];
        }
        text = text.Trim('"');
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new FhirException(412, OperationOutcome.IssueType.Conflict, $"If-Match '{ifMatch}' is not a version ETag such as W/\"1\".", "If-Match");
    }

    private static int ParseNonNegative(string key, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw FhirException.BadRequest($"{key} must be a whole number, not '{value}'.", key);
}

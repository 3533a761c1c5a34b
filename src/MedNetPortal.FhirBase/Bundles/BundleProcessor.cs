using System.Globalization;
using Hl7.Fhir.Model;
using MedNetPortal.FhirBase.Http;
using MedNetPortal.FhirBase.Security;
using MedNetPortal.FhirBase.Storage;

namespace MedNetPortal.FhirBase.Bundles;

/// <summary>
/// Processes batch and transaction Bundles POSTed to the base. A transaction runs in one database transaction: any
/// failing entry rolls back everything and its status and OperationOutcome become the response. Each entry is checked
/// against the token's scopes for its own type and interaction: in a transaction every entry is checked before anything is
/// done, so one entry the client may not perform refuses the whole transaction (403); in a batch only that entry gets 403.
/// </summary>
internal sealed class BundleProcessor(FhirInteractions interactions, ResourceStore store)
{
    private static readonly string[] Order = ["DELETE", "POST", "PUT", "GET"];

    public async Task<FhirResult> ProcessAsync(Bundle bundle, FhirContext context, CancellationToken cancellationToken)
    {
        var entries = bundle.Entry.Select((e, i) => BundleEntryRequest.Parse(e, i, context)).ToList();
        return bundle.Type switch
        {
            Bundle.BundleType.Transaction => await TransactionAsync(entries, context, cancellationToken),
            Bundle.BundleType.Batch => await BatchAsync(entries, context, cancellationToken),
            _ => throw FhirException.BadRequest(
                $"Only batch and transaction Bundles are processed at the base; POST a {bundle.Type?.ToString().ToLowerInvariant() ?? "typeless"} Bundle to [base]/Bundle to store it.",
                "Bundle.type"),
        };
    }

    private async Task<FhirResult> TransactionAsync(List<BundleEntryRequest> entries, FhirContext context, CancellationToken cancellationToken)
    {
        foreach (var entry in entries.Where(e => e.Error is null))
        {
            AtEntry(entry.Index, () => RequireScopes(entry, context.Access));
        }
        var responses = new BundleEntryOut[entries.Count];
        await using var transaction = await store.BeginTransactionAsync(cancellationToken);
        try
        {
            var references = new Dictionary<string, string>(StringComparer.Ordinal);
            var existing = new Dictionary<int, StoredResource>();
            foreach (var entry in entries)
            {
                await AtEntryAsync(entry.Index, async () =>
                {
                    if (entry.Method == "POST")
                    {
                        var found = entry.IfNoneExist is null ? null : await interactions.FindAsync(entry.Type, entry.IfNoneExist, "ifNoneExist", cancellationToken);
                        if (found is not null)
                        {
                            existing[entry.Index] = found;
                        }
                        else
                        {
                            entry.Resource!.Id = ResourceStore.NewId();
                        }
                        MapFullUrl(references, entry, found?.Id ?? entry.Resource!.Id!);
                    }
                    else if (entry.Method == "PUT" && entry.Id is not null)
                    {
                        MapFullUrl(references, entry, entry.Id);
                    }
                    return 0;
                });
            }
            foreach (var entry in entries.Where(e => e.Resource is not null))
            {
                AtEntry(entry.Index, () => ReferenceRewriter.Rewrite(entry.Resource!, references, $"Bundle.entry[{entry.Index}].resource"));
            }
            foreach (var entry in entries.OrderBy(e => Array.IndexOf(Order, e.Method)).ThenBy(e => e.Index))
            {
                responses[entry.Index] = await AtEntryAsync(entry.Index, async () =>
                {
                    if (entry.Method == "POST")
                    {
                        if (existing.TryGetValue(entry.Index, out var found))
                        {
                            return Response(new FhirResult(200, found.Json, found, IncludeLocation: true), context);
                        }
                        var created = await store.CreateAsync(entry.Resource!, cancellationToken, idAssigned: true);
                        return Response(new FhirResult(201, created.Json, created, IncludeLocation: true), context);
                    }
                    return Response(await ExecuteAsync(entry, context, cancellationToken), context);
                });
            }
            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            await transaction.RollbackAsync(CancellationToken.None);
            store.Db.ChangeTracker.Clear();
            throw;
        }
        return new FhirResult(200, BundleWriter.Write("transaction-response", null, [], responses));
    }

    private async Task<FhirResult> BatchAsync(List<BundleEntryRequest> entries, FhirContext context, CancellationToken cancellationToken)
    {
        var responses = new BundleEntryOut[entries.Count];
        foreach (var entry in entries)
        {
            try
            {
                if (entry.Error is not null)
                {
                    throw entry.Error;
                }
                var result = entry.Method == "POST"
                    ? await interactions.CreateAsync(entry.Type, entry.Resource!, entry.IfNoneExist, context, cancellationToken)
                    : await ExecuteAsync(entry, context, cancellationToken);
                responses[entry.Index] = Response(result, context);
            }
            catch (FhirException e)
            {
                store.Db.ChangeTracker.Clear();
                responses[entry.Index] = new BundleEntryOut(null, null,
                    Response: new EntryResponseOut(StatusText(e.Status), OutcomeJson: FhirJson.Serialize(e.Outcome)));
            }
        }
        return new FhirResult(200, BundleWriter.Write("batch-response", null, [], responses));
    }

    /// <summary>The scope check of one entry, as the interaction itself would make it (PUT: <c>u</c>, or <c>c</c> for create-only).</summary>
    private static void RequireScopes(BundleEntryRequest entry, FhirAccess access)
    {
        var path = entry.Path;
        switch (entry.Method)
        {
            case "POST":
                InteractionScopes.RequireCreate(entry.Type, entry.IfNoneExist, access);
                break;
            case "PUT":
                InteractionScopes.RequireUpdate(entry.Type, access);
                break;
            case "DELETE":
                access.Require(entry.Type, SmartPermissions.Delete, "delete");
                break;
            case "GET" when path.Length == 1:
                access.Require(entry.Type, SmartPermissions.Search, "search");
                break;
            case "GET":
                access.Require(entry.Type, SmartPermissions.Read, path.Length == 2 ? "read" : path.Length == 3 ? "history" : "vread");
                break;
        }
    }

    private async Task<FhirResult> ExecuteAsync(BundleEntryRequest entry, FhirContext context, CancellationToken cancellationToken)
    {
        if (entry.Error is not null)
        {
            throw entry.Error;
        }
        var path = entry.Path;
        return entry.Method switch
        {
            "PUT" => await interactions.UpdateAsync(entry.Type, entry.Id!, entry.Resource!, entry.IfMatch, context, cancellationToken),
            "DELETE" => await interactions.DeleteAsync(entry.Type, entry.Id!, context, cancellationToken),
            "GET" when path.Length == 1 => await interactions.SearchAsync(entry.Type, entry.Query, context, cancellationToken),
            "GET" when path.Length == 2 => await interactions.ReadAsync(entry.Type, path[1], context, cancellationToken),
            "GET" when path.Length == 3 && path[2] == "_history" => await interactions.HistoryAsync(entry.Type, path[1], entry.Query, context, cancellationToken),
            "GET" when path.Length == 4 && path[2] == "_history" => await interactions.ReadVersionAsync(entry.Type, path[1], path[3], context, cancellationToken),
            _ => throw FhirException.BadRequest($"{entry.Method} {entry.Url} is not supported in a Bundle.", $"Bundle.entry[{entry.Index}].request"),
        };
    }

    private static void MapFullUrl(Dictionary<string, string> references, BundleEntryRequest entry, string id)
    {
        var target = $"{entry.Type}/{id}";
        if (entry.FullUrl is { Length: > 0 } fullUrl)
        {
            if (!references.TryAdd(fullUrl, target))
            {
                throw FhirException.BadRequest($"fullUrl '{fullUrl}' appears more than once.", $"Bundle.entry[{entry.Index}].fullUrl");
            }
        }
    }

    private static BundleEntryOut Response(FhirResult result, FhirContext context)
    {
        var stored = result.Resource;
        return new BundleEntryOut(
            stored is null || stored.Deleted ? null : $"{context.BaseUrl}/{stored.Type}/{stored.Id}",
            result.Body,
            Response: new EntryResponseOut(
                StatusText(result.Status),
                Location: result.IncludeLocation && stored is not null ? stored.VersionPath : null,
                ETag: stored?.ETag,
                LastModified: stored?.LastUpdated));
    }

    private static string StatusText(int status) => status switch
    {
        200 => "200 OK",
        201 => "201 Created",
        204 => "204 No Content",
        _ => status.ToString(CultureInfo.InvariantCulture),
    };

    private static void AtEntry(int index, Action action) =>
        AtEntryAsync(index, () => { action(); return System.Threading.Tasks.Task.FromResult(0); }).GetAwaiter().GetResult();

    private static async Task<T> AtEntryAsync<T>(int index, Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (FhirException e)
        {
            var located = new FhirException(e.Status, BundleEntryRequest.Locate(e.Outcome, index));
            foreach (System.Collections.DictionaryEntry item in e.Data)
            {
                located.Data[item.Key] = item.Value;
            }
            throw located;
        }
    }
}

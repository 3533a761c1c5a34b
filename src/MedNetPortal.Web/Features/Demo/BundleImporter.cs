using System.Net;
using System.Text.Json;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using Refit;

namespace MedNetPortal.Web.Features.Demo;

public enum ImportOutcome
{
    Imported,
    Skipped,
    Failed,
}

/// <summary>The result for one file: <see cref="ImportOutcome.Skipped"/> means everything in it was already in the base.</summary>
public sealed record ImportFileResult(string File, ImportOutcome Outcome, int Created, int Existing, string? Message);

/// <summary>
/// Imports a folder of FHIR JSON files: transaction and batch Bundles are POSTed to the base, document Bundles to
/// <c>[base]/Bundle</c> with If-None-Exist on their identifier, and a lone resource is wrapped in a one-entry transaction
/// (a conditional create on its first identifier when it has one). A transaction larger than
/// <c>CentralFhir:MaxTransactionEntries</c> is sent in chunks, each atomic (see <see cref="TransactionChunks"/>).
/// </summary>
public static class BundleImporter
{
    public static Task<IReadOnlyList<ImportFileResult>> ImportFolderAsync(IFhirApi api, string folder, CancellationToken cancellationToken) =>
        ImportFolderAsync(api, folder, new CentralFhirOptions().MaxTransactionEntries, cancellationToken);

    /// <summary>Imports every <c>*.json</c> file of <paramref name="folder"/>, a transaction larger than <paramref name="maxTransactionEntries"/> in chunks.</summary>
    public static async Task<IReadOnlyList<ImportFileResult>> ImportFolderAsync(IFhirApi api, string folder, int maxTransactionEntries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var files = Directory.EnumerateFiles(folder, "*.json", SearchOption.TopDirectoryOnly)
            .Order(StringComparer.Ordinal)
            .ToList();
        var results = new List<ImportFileResult>(files.Count);
        foreach (var file in files)
        {
            results.Add(await ImportFileAsync(api, file, maxTransactionEntries, cancellationToken));
        }

        return results;
    }

    public static Task<ImportFileResult> ImportFileAsync(IFhirApi api, string path, CancellationToken cancellationToken) =>
        ImportFileAsync(api, path, new CentralFhirOptions().MaxTransactionEntries, cancellationToken);

    /// <summary>Imports one file (see the class); a transaction larger than <paramref name="maxTransactionEntries"/> goes in chunks.</summary>
    public static async Task<ImportFileResult> ImportFileAsync(IFhirApi api, string path, int maxTransactionEntries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var name = Path.GetFileName(path);
        Resource? resource;
        try
        {
            await using var stream = File.OpenRead(path);
            resource = await JsonSerializer.DeserializeAsync<Resource>(stream, FhirJson.Options, cancellationToken);
        }
        catch (Hl7.Fhir.Serialization.DeserializationFailedException ex)
        {
            return Failed(name, "not valid FHIR JSON: " + FirstLine(string.Join("; ", ex.Exceptions.Select(e => e.Message))));
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return Failed(name, "not valid FHIR JSON: " + FirstLine(ex.Message));
        }

        if (resource is null)
        {
            return Failed(name, "the file holds no resource");
        }

        try
        {
            return resource switch
            {
                Bundle { Type: Bundle.BundleType.Document } document => await ImportDocumentAsync(api, name, document, cancellationToken),
                Bundle { Type: Bundle.BundleType.Transaction or Bundle.BundleType.Batch } bundle => await ImportTransactionAsync(api, name, bundle, maxTransactionEntries, cancellationToken),
                Bundle other => Failed(name, $"a '{other.Type?.ToString().ToLowerInvariant() ?? "untyped"}' Bundle cannot be imported (use transaction, batch or document)"),
                _ => await ImportTransactionAsync(api, name, Wrap(resource), maxTransactionEntries, cancellationToken),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // One failing file must not stop the others; the failure is reported for that file.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Failed(name, Describe(ex));
        }
    }

    private static async Task<ImportFileResult> ImportDocumentAsync(IFhirApi api, string name, Bundle document, CancellationToken cancellationToken)
    {
        var identifier = document.Identifier;
        var ifNoneExist = identifier is { System: { } system, Value: { } value } ? DemoIds.IdentifierQuery(system, value) : null;
        var response = await api.CreateAsync("Bundle", document, ifNoneExist, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return Failed(name, response.Error is { } error ? Describe(error) : $"HTTP {(int?)response.StatusCode}");
        }

        return response.StatusCode == HttpStatusCode.Created
            ? new ImportFileResult(name, ImportOutcome.Imported, 1, 0, null)
            : new ImportFileResult(name, ImportOutcome.Skipped, 0, 1, null);
    }

    private static async Task<ImportFileResult> ImportTransactionAsync(IFhirApi api, string name, Bundle bundle, int maxTransactionEntries, CancellationToken cancellationToken)
    {
        // A batch's entries are independent already; only a transaction needs splitting for bases that limit its size.
        var response = bundle.Type == Bundle.BundleType.Transaction
            ? await TransactionChunks.SendAsync(api, bundle, maxTransactionEntries, cancellationToken)
            : await api.TransactionAsync(bundle, cancellationToken);
        var (created, existing) = DemoSeeder.CountStatuses(response);
        var failures = response.Entry
            .Select(e => e.Response)
            .OfType<Bundle.ResponseComponent>()
            .Where(r => r.Status is { } s && !s.StartsWith('2'))
            .Select(r => $"{r.Status}{(r.Outcome is OperationOutcome o ? " " + Describe(o) : "")}")
            .ToList();
        if (failures.Count > 0)
        {
            return new ImportFileResult(name, ImportOutcome.Failed, created, existing, string.Join("; ", failures));
        }

        return new ImportFileResult(name, created > 0 ? ImportOutcome.Imported : ImportOutcome.Skipped, created, existing, null);
    }

    private static Bundle Wrap(Resource resource)
    {
        var identifier = (resource as IIdentifiable<List<Identifier>>)?.Identifier?.FirstOrDefault(i => i.System is not null && i.Value is not null);
        var ifNoneExist = identifier is { System: { } system, Value: { } value } ? DemoIds.IdentifierQuery(system, value) : null;
        // Server-assigned ids: a client id in a POST would be ignored anyway.
        resource.Id = null;
        return new Bundle
        {
            Type = Bundle.BundleType.Transaction,
            Entry =
            [
                new Bundle.EntryComponent
                {
                    FullUrl = "urn:uuid:" + Guid.NewGuid().ToString("D"),
                    Resource = resource,
                    Request = new Bundle.RequestComponent
                    {
                        Method = Bundle.HTTPVerb.POST,
                        Url = resource.TypeName,
                        IfNoneExist = ifNoneExist,
                    },
                },
            ],
        };
    }

    /// <summary>A one-line description of a failure; the server's OperationOutcome when there is one.</summary>
    internal static string Describe(Exception exception)
    {
        if (exception is FhirApiException fhir)
        {
            // Status and issue codes only: the server's words may echo the imported data's personal details.
            return fhir.LogSummary;
        }

        if (exception is ApiException api)
        {
            var outcome = TryReadOutcome(api.Content);
            return $"HTTP {(int)api.StatusCode}: " + (outcome is null ? api.ReasonPhrase ?? api.Message : Describe(outcome));
        }

        return FirstLine(exception.Message);
    }

    internal static string Describe(OperationOutcome outcome) =>
        string.Join(" | ", outcome.Issue.Select(issue =>
        {
            var text = issue.Details?.Text ?? issue.Diagnostics ?? issue.Code?.ToString() ?? "error";
            var where = issue.Expression.Concat(issue.Location).ToList();
            return where.Count == 0 ? text : $"{text} (at {string.Join(", ", where)})";
        }));

    private static OperationOutcome? TryReadOutcome(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Resource>(content, FhirJson.Options) as OperationOutcome;
        }
        catch (Exception ex) when (ex is JsonException or Hl7.Fhir.Serialization.DeserializationFailedException)
        {
            return null;
        }
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length > 500 ? line[..500] + "…" : line;
    }

    private static ImportFileResult Failed(string name, string message) => new(name, ImportOutcome.Failed, 0, 0, message);
}

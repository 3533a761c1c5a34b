using System.Net;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Task = System.Threading.Tasks.Task;

namespace MedNetPortal.Fhir;

/// <summary>
/// Outermost handler of the central FHIR client: asks for FHIR JSON, and turns every failure — non-2xx answers, unreadable
/// write responses, timeouts, open circuits, unreachable servers — into one <see cref="FhirApiException"/>. It sits
/// outside the resilience pipeline so it sees the final outcome after retries.
/// </summary>
internal sealed class FhirResponseHandler : DelegatingHandler
{
    private const int MaxDiagnosticsChars = 2000;

    /// <summary>The header every request carries (RFC 7240; FHIR search "handling").</summary>
    public const string PreferHeader = "Prefer";

    /// <summary>Unknown or unsupported search parameters are an error, not silently ignored.</summary>
    public const string StrictHandling = "handling=strict";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Accept.Count == 0)
        {
            request.Headers.Accept.ParseAdd(FhirJson.MediaType);
        }

        // A lenient server may ignore a parameter it does not know and answer with more than was asked for: ask every
        // server to refuse instead. (Not every server honours it, so results are checked after loading as well.)
        if (!request.Headers.Contains(PreferHeader))
        {
            request.Headers.TryAddWithoutValidation(PreferHeader, StrictHandling);
        }

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (MapTransportFailure(ex) is { } mapped)
        {
            throw mapped;
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await CreateFromErrorResponseAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }

        if (IsWriteRequest(request))
        {
            await EnsureReadableBodyAsync(response, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    /// <summary>Builds the exception for a non-2xx response, reading an OperationOutcome when the body is one.</summary>
    internal static async Task<FhirApiException> CreateFromErrorResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        var reason = FhirApiException.ReasonFor(status);
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return new FhirApiException(reason, FhirApiException.DefaultMessage(reason), status, diagnostics: "The error body could not be read.", innerException: ex);
        }

        var contentType = response.Content.Headers.ContentType?.MediaType ?? "(none)";
        if (string.IsNullOrWhiteSpace(body))
        {
            return new FhirApiException(reason, FhirApiException.DefaultMessage(reason), status, diagnostics: $"HTTP {(int)status} with an empty body.");
        }

        if (TryParseResource(body, out var resource) && resource is OperationOutcome outcome)
        {
            return new FhirApiException(reason, FhirApiException.DefaultMessage(reason), status, outcome, Describe(outcome));
        }

        return new FhirApiException(
            reason,
            FhirApiException.DefaultMessage(reason),
            status,
            diagnostics: $"HTTP {(int)status}, {contentType}, not an OperationOutcome: {Truncate(body)}");
    }

    /// <summary>The exception for a 2xx body that is not the FHIR JSON expected.</summary>
    internal static FhirApiException Malformed(HttpStatusCode status, string detail, Exception? inner = null) =>
        new(FhirApiErrorReason.MalformedResponse, FhirApiException.DefaultMessage(FhirApiErrorReason.MalformedResponse), status, diagnostics: detail, innerException: inner);

    /// <summary>Maps an exception raised while sending to the client's exception; null leaves it alone.</summary>
    internal static FhirApiException? MapTransportFailure(Exception ex) => ex switch
    {
        FhirApiException => null,
        TimeoutRejectedException => new FhirApiException(FhirApiErrorReason.Timeout, FhirApiException.DefaultMessage(FhirApiErrorReason.Timeout), innerException: ex),
        TaskCanceledException { InnerException: TimeoutException } => new FhirApiException(FhirApiErrorReason.Timeout, FhirApiException.DefaultMessage(FhirApiErrorReason.Timeout), innerException: ex),
        BrokenCircuitException => new FhirApiException(FhirApiErrorReason.CircuitOpen, FhirApiException.DefaultMessage(FhirApiErrorReason.CircuitOpen), innerException: ex),
        HttpRequestException => new FhirApiException(FhirApiErrorReason.Unreachable, FhirApiException.DefaultMessage(FhirApiErrorReason.Unreachable), innerException: ex),
        _ => null,
    };

    /// <summary>Create, conditional create, update and transaction/batch: their bodies come back through Refit's
    /// <c>IApiResponse</c>, which swallows deserialization errors, so they are checked here.</summary>
    private static bool IsWriteRequest(HttpRequestMessage request) =>
        (request.Method == HttpMethod.Post && !FhirRequestKinds.IsPostSearch(request) && !FhirRequestKinds.IsReadOnlyBatch(request))
        || request.Method == HttpMethod.Put;

    private static async Task EnsureReadableBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength == 0)
        {
            return;
        }

        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(body))
        {
            return;
        }

        if (!TryParseResource(body, out _, out var error))
        {
            response.Dispose();
            throw Malformed(response.StatusCode, $"HTTP {(int)response.StatusCode} body is not a FHIR JSON resource: {Truncate(body)}", error);
        }
    }

    private static bool TryParseResource(string body, out Resource? resource) => TryParseResource(body, out resource, out _);

    private static bool TryParseResource(string body, out Resource? resource, out Exception? error)
    {
        error = null;
        try
        {
            resource = JsonSerializer.Deserialize<Resource>(body, FhirJson.Options);
            return resource is not null;
        }
        catch (DeserializationFailedException ex) when (ex.PartialResult is Resource partial)
        {
            // Other servers add elements this SDK does not know; the outcome's issues are still worth keeping.
            resource = partial;
            error = ex;
            return partial is OperationOutcome;
        }
        catch (Exception ex) when (ex is JsonException or DeserializationFailedException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            resource = null;
            error = ex;
            return false;
        }
    }

    private static string Describe(OperationOutcome outcome)
    {
        var text = new StringBuilder();
        foreach (var issue in outcome.Issue)
        {
            if (text.Length > 0)
            {
                text.Append(" | ");
            }

            text.Append(issue.Severity?.ToString() ?? "?").Append(' ').Append(issue.Code?.ToString() ?? "?");
            if (issue.Details?.Text is { Length: > 0 } details)
            {
                text.Append(": ").Append(details);
            }

            if (issue.Diagnostics is { Length: > 0 } diagnostics)
            {
                text.Append(" (").Append(diagnostics).Append(')');
            }

            if (issue.Expression.Any())
            {
                text.Append(" at ").AppendJoin(", ", issue.Expression);
            }
        }

        return Truncate(text.ToString());
    }

    private static string Truncate(string value) =>
        value.Length <= MaxDiagnosticsChars ? value : string.Concat(value.AsSpan(0, MaxDiagnosticsChars), "…");
}

/// <summary>Classifies requests by FHIR interaction for retry and body checks.</summary>
internal static class FhirRequestKinds
{
    /// <summary>POST <c>[base]/[type]/_search</c>: a search, safe to retry.</summary>
    public static bool IsPostSearch(HttpRequestMessage request) =>
        request.Method == HttpMethod.Post
        && request.RequestUri is { } uri
        && (uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString.Split('?')[0]).EndsWith("/_search", StringComparison.Ordinal);

    /// <summary>The request option that marks a batch of GETs only (set by <see cref="CentralFhirClient.TransactionAsync"/>).</summary>
    public const string ReadOnlyBatchOption = "MedNetPortal.ReadOnlyBatch";

    /// <summary>Requests that change nothing on the server and may be retried: GET, HEAD, POST _search, a batch of GETs.</summary>
    public static bool IsSafeToRetry(HttpRequestMessage? request) =>
        request is not null
        && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || IsPostSearch(request) || IsReadOnlyBatch(request));

    /// <summary>A batch the client built from GET entries only (<see cref="CentralFhirClient.TransactionAsync"/>).</summary>
    public static bool IsReadOnlyBatch(HttpRequestMessage request) =>
        request.Method == HttpMethod.Post
        && request.Options.TryGetValue(new HttpRequestOptionsKey<bool>(ReadOnlyBatchOption), out var value)
        && value;
}

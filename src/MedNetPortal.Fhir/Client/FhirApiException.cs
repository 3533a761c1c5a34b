using System.Net;
using Hl7.Fhir.Model;

namespace MedNetPortal.Fhir;

/// <summary>Why a call to a FHIR server failed, in categories the UI can put into words (and localise).</summary>
public enum FhirApiErrorReason
{
    /// <summary>A non-2xx status not covered by a more specific reason.</summary>
    Unexpected,

    /// <summary>400: the server rejected the request as invalid.</summary>
    BadRequest,

    /// <summary>401: not signed in to the server, or the token was refused.</summary>
    Unauthorized,

    /// <summary>403: signed in but not allowed.</summary>
    Forbidden,

    /// <summary>404: the resource or endpoint does not exist.</summary>
    NotFound,

    /// <summary>405 / 501: the server does not support this interaction.</summary>
    NotSupported,

    /// <summary>409: the request conflicts with the server's current state.</summary>
    Conflict,

    /// <summary>410: the resource was deleted.</summary>
    Gone,

    /// <summary>412: the resource changed since it was read (<c>If-Match</c> failed), or a conditional create matched several.</summary>
    PreconditionFailed,

    /// <summary>413: the request body is larger than the server accepts.</summary>
    TooLarge,

    /// <summary>422: the resource failed the server's validation.</summary>
    Unprocessable,

    /// <summary>429: the server asks the client to slow down.</summary>
    TooManyRequests,

    /// <summary>5xx: the server or a proxy in front of it failed.</summary>
    ServerUnavailable,

    /// <summary>A 2xx response whose body is not the FHIR JSON expected.</summary>
    MalformedResponse,

    /// <summary>No answer within the configured time.</summary>
    Timeout,

    /// <summary>The server could not be reached (connection refused, DNS, TLS, reset).</summary>
    Unreachable,

    /// <summary>Recent calls failed so often that calls are paused for a short while (circuit open).</summary>
    CircuitOpen,

    /// <summary>A paging link points outside the configured base, so it was not followed.</summary>
    UntrustedLink,
}

/// <summary>
/// The one exception the typed FHIR client throws for a failed call: any non-2xx answer (with or without an
/// OperationOutcome), a malformed body, a transport failure or an untrusted paging link.
/// </summary>
/// <remarks>
/// <see cref="Exception.Message"/> is <see cref="UserMessage"/>: plain words, safe to show and to log, never containing
/// server text. What the server said (<see cref="Diagnostics"/>, <see cref="Outcome"/>) may contain personal data
/// (names, identifiers echoed back), so it is kept apart: do not show it to users or write it to logs.
/// </remarks>
public sealed class FhirApiException : Exception
{
    /// <summary>Creates the exception; <paramref name="userMessage"/> must not contain server text.</summary>
    public FhirApiException(
        FhirApiErrorReason reason,
        string userMessage,
        HttpStatusCode? statusCode = null,
        OperationOutcome? outcome = null,
        string? diagnostics = null,
        Exception? innerException = null)
        : base(userMessage, innerException)
    {
        Reason = reason;
        UserMessage = userMessage;
        StatusCode = statusCode;
        Outcome = outcome;
        Diagnostics = diagnostics;
    }

    /// <summary>Creates an exception with a generic message (for serializers and tooling).</summary>
    public FhirApiException()
        : this(FhirApiErrorReason.Unexpected, DefaultMessage(FhirApiErrorReason.Unexpected))
    {
    }

    /// <summary>Creates an exception with the given user-safe message.</summary>
    public FhirApiException(string message)
        : this(FhirApiErrorReason.Unexpected, message)
    {
    }

    /// <summary>Creates an exception with the given user-safe message and cause.</summary>
    public FhirApiException(string message, Exception innerException)
        : this(FhirApiErrorReason.Unexpected, message, innerException: innerException)
    {
    }

    /// <summary>The category of failure; the UI maps it to localised text.</summary>
    public FhirApiErrorReason Reason { get; }

    /// <summary>The HTTP status, or null when no response arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The OperationOutcome the server returned, if the error body was one. May contain personal data.</summary>
    public OperationOutcome? Outcome { get; }

    /// <summary>
    /// What the server said, for developers: the OperationOutcome's issue texts, or the start of a non-FHIR body.
    /// May contain personal data; never show it to users or log it.
    /// </summary>
    public string? Diagnostics { get; }

    /// <summary>A plain English sentence, safe for users and logs (no server text, no identifiers).</summary>
    public string UserMessage { get; }

    /// <summary>
    /// For logs and operator output: the HTTP status and the OperationOutcome's issue codes with their element paths, e.g.
    /// <c>HTTP 422 (processing at Patient.address; invalid)</c>. Holds no server text and no values: only codes, and paths
    /// made of FHIRPath name characters (anything else a server put there is left out).
    /// </summary>
    public string LogSummary
    {
        get
        {
            var status = StatusCode is { } code ? $"HTTP {(int)code}" : Reason.ToString();
            var issues = Outcome?.Issue
                .Select(issue =>
                {
                    var code = issue.Code is { } c ? Hl7.Fhir.Utility.EnumUtility.GetLiteral(c) : "unknown";
                    var paths = issue.Expression.Concat(issue.Location).Where(IsPlainPath).Take(3).Cast<string>().ToList();
                    return paths.Count == 0 ? code : $"{code} at {string.Join(", ", paths)}";
                })
                .ToList() ?? [];
            return issues.Count == 0 ? status : $"{status} ({string.Join("; ", issues)})";
        }
    }

    private static bool IsPlainPath(string? path) =>
        path is { Length: > 0 and <= 200 } && path.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '[' or ']' or '(' or ')' or '_' or ':' or '-');

    /// <summary>The user-safe default sentence for a reason.</summary>
    public static string DefaultMessage(FhirApiErrorReason reason) => reason switch
    {
        FhirApiErrorReason.BadRequest => "The FHIR server rejected the request as invalid.",
        FhirApiErrorReason.Unauthorized => "The FHIR server did not accept the sign-in. Sign in again.",
        FhirApiErrorReason.Forbidden => "You are not allowed to do this on the FHIR server.",
        FhirApiErrorReason.NotFound => "The requested record was not found on the FHIR server.",
        FhirApiErrorReason.NotSupported => "The FHIR server does not support this operation.",
        FhirApiErrorReason.Conflict => "The FHIR server reported a conflict with existing data.",
        FhirApiErrorReason.Gone => "The requested record has been deleted.",
        FhirApiErrorReason.PreconditionFailed => "The record was changed by someone else since it was opened. Reload it and try again.",
        FhirApiErrorReason.TooLarge => "The data is larger than the FHIR server accepts.",
        FhirApiErrorReason.Unprocessable => "The FHIR server found the data invalid and did not save it.",
        FhirApiErrorReason.TooManyRequests => "The FHIR server is busy. Try again in a moment.",
        FhirApiErrorReason.ServerUnavailable => "The FHIR server is unavailable or failed. Try again later.",
        FhirApiErrorReason.MalformedResponse => "The FHIR server sent an answer that could not be read.",
        FhirApiErrorReason.Timeout => "The FHIR server did not answer in time. Try again later.",
        FhirApiErrorReason.Unreachable => "The FHIR server could not be reached. Check the network and try again.",
        FhirApiErrorReason.CircuitOpen => "The FHIR server has been failing; calls are paused briefly. Try again shortly.",
        FhirApiErrorReason.UntrustedLink => "The FHIR server returned a page link outside the configured server; it was not followed.",
        _ => "The FHIR server returned an unexpected error.",
    };

    /// <summary>The reason for an HTTP status code.</summary>
    public static FhirApiErrorReason ReasonFor(HttpStatusCode status) => (int)status switch
    {
        400 => FhirApiErrorReason.BadRequest,
        401 => FhirApiErrorReason.Unauthorized,
        403 => FhirApiErrorReason.Forbidden,
        404 => FhirApiErrorReason.NotFound,
        405 or 501 => FhirApiErrorReason.NotSupported,
        408 or 504 => FhirApiErrorReason.Timeout,
        409 => FhirApiErrorReason.Conflict,
        410 => FhirApiErrorReason.Gone,
        412 => FhirApiErrorReason.PreconditionFailed,
        413 => FhirApiErrorReason.TooLarge,
        422 => FhirApiErrorReason.Unprocessable,
        429 => FhirApiErrorReason.TooManyRequests,
        >= 500 and <= 599 => FhirApiErrorReason.ServerUnavailable,
        _ => FhirApiErrorReason.Unexpected,
    };
}

using Hl7.Fhir.Model;

namespace MedNetPortal.FhirBase.Http;

/// <summary>A request the base refuses; carries the HTTP status and the OperationOutcome to return.</summary>
internal sealed class FhirException : Exception
{
    public FhirException(int status, OperationOutcome outcome)
        : base(outcome.Issue.FirstOrDefault()?.Diagnostics ?? "FHIR request failed")
    {
        Status = status;
        Outcome = outcome;
    }

    public FhirException(int status, OperationOutcome.IssueType code, string diagnostics, string? expression = null)
        : this(status, Outcomes.Error(code, diagnostics, expression))
    {
    }

    public int Status { get; }

    public OperationOutcome Outcome { get; }

    public static FhirException BadRequest(string diagnostics, string? expression = null) =>
        new(400, OperationOutcome.IssueType.Invalid, diagnostics, expression);

    public static FhirException NotFound(string diagnostics) =>
        new(404, OperationOutcome.IssueType.NotFound, diagnostics);
}

using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;

namespace MedNetPortal.FhirBase.Http;

/// <summary>Builds OperationOutcome bodies.</summary>
internal static class Outcomes
{
    public static OperationOutcome Error(OperationOutcome.IssueType code, string diagnostics, string? expression = null) =>
        Single(OperationOutcome.IssueSeverity.Error, code, diagnostics, expression);

    public static OperationOutcome Single(
        OperationOutcome.IssueSeverity severity, OperationOutcome.IssueType code, string diagnostics, string? expression = null)
    {
        var issue = new OperationOutcome.IssueComponent { Severity = severity, Code = code, Diagnostics = diagnostics };
        if (expression is not null)
        {
            issue.Expression = [expression];
            issue.Location = [expression];
        }
        return new OperationOutcome { Issue = [issue] };
    }

    public static OperationOutcome Information(string diagnostics) =>
        Single(OperationOutcome.IssueSeverity.Information, OperationOutcome.IssueType.Informational, diagnostics);

    /// <summary>Every issue Firely found, with the element path it found it at.</summary>
    /// <summary>
    /// Firely's messages quote the offending value or element name; a 1 MB string (or property name) would come back whole,
    /// making an error larger than FHIR allows a string to be (clients then cannot read the OperationOutcome). Cut at 500.
    /// </summary>
    private static string Truncate(string value) => value.Length <= 500 ? value : string.Concat(value.AsSpan(0, 500), "…");

    public static OperationOutcome FromDeserialization(DeserializationFailedException exception, string? pathPrefix)
    {
        var outcome = new OperationOutcome();
        foreach (var error in exception.Exceptions)
        {
            var path = (error as ExtendedCodedException)?.InstancePath;
            if (path is not null && pathPrefix is not null)
            {
                path = pathPrefix + (path.Contains('.', StringComparison.Ordinal) ? path[path.IndexOf('.', StringComparison.Ordinal)..] : string.Empty);
            }
            var issue = new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Error,
                Code = OperationOutcome.IssueType.Invalid,
                Diagnostics = Truncate((error as ExtendedCodedException)?.BaseErrorMessage ?? error.Message),
            };
            if (!string.IsNullOrEmpty(path))
            {
                path = Truncate(path);
                issue.Expression = [path];
                issue.Location = [path];
            }
            outcome.Issue.Add(issue);
        }
        if (outcome.Issue.Count == 0)
        {
            outcome.Issue.Add(new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Error,
                Code = OperationOutcome.IssueType.Invalid,
                Diagnostics = "The resource could not be parsed.",
            });
        }
        return outcome;
    }
}

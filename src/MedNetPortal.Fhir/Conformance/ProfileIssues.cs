using Hl7.Fhir.Model;

namespace MedNetPortal.Fhir.Conformance;

/// <summary>
/// Turns the validator's OperationOutcome into <see cref="ProfileIssue"/>s. The JP terminology packages are not available:
/// a code the validator could not check because its code system is unknown is a warning, never an error (Firely already
/// reports a failed terminology lookup as a warning).
/// </summary>
internal static class ProfileIssues
{
    public static IReadOnlyList<ProfileIssue> From(OperationOutcome outcome)
    {
        var issues = new List<ProfileIssue>();
        foreach (var issue in outcome.Issue)
        {
            var severity = issue.Severity switch
            {
                OperationOutcome.IssueSeverity.Fatal or OperationOutcome.IssueSeverity.Error => ProfileIssueSeverity.Error,
                OperationOutcome.IssueSeverity.Warning => ProfileIssueSeverity.Warning,
                _ => ProfileIssueSeverity.Information,
            };
            var location = issue.Expression.FirstOrDefault() ?? issue.Location.FirstOrDefault() ?? string.Empty;
            var message = issue.Details?.Text ?? issue.Diagnostics ?? string.Empty;
            if (severity == ProfileIssueSeverity.Error && IsTerminologyUnavailable(message))
            {
                severity = ProfileIssueSeverity.Warning;
            }
            var type = issue.Code?.ToString() ?? string.Empty;
            issues.Add(new ProfileIssue(severity, message, location, type));
        }

        return issues;
    }

    internal static bool IsTerminologyUnavailable(string message) =>
        message.Contains("could not be found, so the code cannot be validated", StringComparison.Ordinal)
        && !message.Contains("does not exist in the value set", StringComparison.Ordinal);
}

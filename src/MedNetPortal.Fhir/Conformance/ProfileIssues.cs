using Hl7.Fhir.Model;

namespace MedNetPortal.Fhir.Conformance;

/// <summary>Turns the validator's OperationOutcome into <see cref="ProfileIssue"/>s.</summary>
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
            var type = issue.Code?.ToString() ?? string.Empty;
            issues.Add(new ProfileIssue(severity, message, location, type));
        }

        return issues;
    }
}

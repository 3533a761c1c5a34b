using Hl7.Fhir.Model;

namespace MedNetPortal.Fhir.Conformance;

/// <summary>Where the official-profile validator stands.</summary>
public enum ProfileValidatorState
{
    /// <summary>No packages configured or found: letters are checked by the portal's own rules only.</summary>
    Unavailable,

    /// <summary>The packages are being read and the profiles compiled (in the background after start-up).</summary>
    Loading,

    /// <summary>Ready: every letter is checked against the official profiles.</summary>
    Ready,

    /// <summary>The packages were found but could not be loaded (see <see cref="ProfileValidatorStatus.Detail"/>).</summary>
    Failed,
}

/// <summary>The validator's state and, when it is not ready, why (names the setting, never personal data).</summary>
/// <param name="State">The state.</param>
/// <param name="Detail">What was loaded, or what is missing and which setting to set.</param>
public sealed record ProfileValidatorStatus(ProfileValidatorState State, string Detail);

/// <summary>Severity of a profile issue. Terminology the portal cannot check (external value sets) is a warning.</summary>
public enum ProfileIssueSeverity
{
    /// <summary>The document does not conform: it is not sent.</summary>
    Error,

    /// <summary>Worth a look, does not stop sending.</summary>
    Warning,

    /// <summary>Information only.</summary>
    Information,
}

/// <summary>One issue reported by the official-profile validator.</summary>
/// <param name="Severity">Error, warning or information.</param>
/// <param name="Message">The validator's message (English, as Firely writes it).</param>
/// <param name="Location">The FHIRPath of the element (e.g. <c>Bundle.entry[1].resource.address</c>), or empty.</param>
/// <param name="IssueType">The OperationOutcome issue type code (e.g. <c>invariant</c>, <c>structure</c>, <c>code-invalid</c>).</param>
public sealed record ProfileIssue(ProfileIssueSeverity Severity, string Message, string Location, string IssueType);

/// <summary>The result of checking one resource against the official profiles.</summary>
/// <param name="Performed">False when the validator is unavailable: nothing was checked (never read as "valid").</param>
/// <param name="Issues">What was found.</param>
public sealed record ProfileValidationReport(bool Performed, IReadOnlyList<ProfileIssue> Issues)
{
    /// <summary>The report when no profile validation could be done.</summary>
    public static ProfileValidationReport NotPerformed { get; } = new(false, []);

    /// <summary>The errors.</summary>
    public IReadOnlyList<ProfileIssue> Errors => Issues.Where(i => i.Severity == ProfileIssueSeverity.Error).ToList();

    /// <summary>True when validation was done and found no error.</summary>
    public bool IsValid => Performed && Issues.All(i => i.Severity != ProfileIssueSeverity.Error);
}

/// <summary>
/// Validates resources against the official JP-CLINS / JP Core profiles (Firely's validator over the official packages).
/// One shared instance per process; the profiles are compiled once.
/// </summary>
public interface IProfileValidator
{
    /// <summary>The current state, without waiting.</summary>
    ProfileValidatorStatus Status { get; }

    /// <summary>Starts loading the packages in the background if that has not begun (returns at once).</summary>
    void StartLoading();

    /// <summary>
    /// Validates a resource against the profiles in its <c>meta.profile</c> (and its base type). Waits for the packages
    /// while they load; answers <see cref="ProfileValidationReport.NotPerformed"/> when the validator is unavailable.
    /// </summary>
    Task<ProfileValidationReport> ValidateAsync(Resource resource, CancellationToken cancellationToken);
}

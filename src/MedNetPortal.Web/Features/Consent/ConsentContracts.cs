namespace MedNetPortal.Web.Features.Consent;

/// <summary>On what grounds the signed-in user's facility may see a patient's clinical record.</summary>
public enum PatientAccessKind
{
    /// <summary>A valid consent for the facility.</summary>
    Consent,

    /// <summary>An active emergency-access grant (break-the-glass) of this user.</summary>
    Emergency,

    /// <summary>Nothing clinical may be shown.</summary>
    Denied,
}

/// <summary>Why access was refused.</summary>
public enum PatientAccessDenial
{
    /// <summary>The account acts for no facility (e.g. a system administrator).</summary>
    NoFacility,

    /// <summary>No consent for the facility was found.</summary>
    NoConsent,

    /// <summary>A consent for the facility exists, but its period (or 24-hour reception window) has ended.</summary>
    ConsentExpired,

    /// <summary>The patient refused: a deny (or opt-out) Consent applies to the facility, whatever else permits.</summary>
    ConsentRefused,

    /// <summary>The account is not a clinician (clinical data needs the Clinician role).</summary>
    NotClinician,

    /// <summary>The patient id is not a FHIR id (a value from a URL that is not an id is never searched for).</summary>
    InvalidPatientId,
}

/// <summary>The gate's decision for one patient.</summary>
/// <param name="Kind">Consent, emergency or denied.</param>
/// <param name="Until">When a granted access ends (UTC); null for an open-ended consent.</param>
/// <param name="Denial">Why, when denied.</param>
/// <param name="EmergencyAvailable">The user's facility is an emergency hospital, so emergency access may be offered.</param>
public sealed record PatientAccess(PatientAccessKind Kind, DateTimeOffset? Until, PatientAccessDenial? Denial, bool EmergencyAvailable = false)
{
    public bool Allowed => Kind != PatientAccessKind.Denied;

    public bool IsEmergency => Kind == PatientAccessKind.Emergency;

    public static PatientAccess Denied(PatientAccessDenial why, bool emergencyAvailable = false) =>
        new(PatientAccessKind.Denied, null, why, emergencyAvailable);
}

/// <summary>Thrown by clinical-data services when the gate refuses; no clinical request was made.</summary>
public sealed class PatientAccessDeniedException : Exception
{
    public PatientAccessDeniedException(string patientId, PatientAccess access)
        : base("Access to the patient's clinical record was refused: " + access.Denial)
    {
        PatientId = patientId;
        Access = access;
    }

    public PatientAccessDeniedException()
        : this(string.Empty, PatientAccess.Denied(PatientAccessDenial.NoConsent))
    {
    }

    public PatientAccessDeniedException(string message)
        : base(message)
    {
        PatientId = string.Empty;
        Access = PatientAccess.Denied(PatientAccessDenial.NoConsent);
    }

    public PatientAccessDeniedException(string message, Exception innerException)
        : base(message, innerException)
    {
        PatientId = string.Empty;
        Access = PatientAccess.Denied(PatientAccessDenial.NoConsent);
    }

    public string PatientId { get; }

    public PatientAccess Access { get; }
}

/// <summary>
/// Decides, on the server, whether the signed-in user's facility may see a patient's clinical data (scoped: one per circuit;
/// a granted decision is cached per patient until it expires, so a record view is one round trip after the first check).
/// </summary>
public interface IPatientAccessGate
{
    /// <summary>The decision, without side effects (beyond the cache).</summary>
    Task<PatientAccess> CheckAsync(string patientId, CancellationToken cancellationToken);

    /// <summary>
    /// The decision when granted; when denied, records one <c>AccessDenied</c> audit entry and throws
    /// <see cref="PatientAccessDeniedException"/>. Call before any request for clinical data.
    /// </summary>
    Task<PatientAccess> EnsureAsync(string patientId, CancellationToken cancellationToken);

    /// <summary>Forgets the cached decision (after consent was recorded or emergency access granted).</summary>
    void Forget(string patientId);
}

using MedNetPortal.Fhir;

namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>How creating a draft ended.</summary>
public enum DraftCreateOutcome
{
    Created,

    /// <summary>The user acts for no facility: no drafts.</summary>
    NoFacility,

    /// <summary>The base patient could not be read (<see cref="DraftCreateResult.Failure"/>).</summary>
    PatientUnavailable,
}

public sealed record DraftCreateResult(DraftCreateOutcome Outcome, Guid? DraftId, FhirApiErrorReason? Failure = null);

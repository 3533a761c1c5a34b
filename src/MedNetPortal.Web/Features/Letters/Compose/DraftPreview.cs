using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Documents;

namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>The preview of a draft: the document as the receiver will see it, or why it cannot be built, and the problems.</summary>
/// <param name="Document">The document as the receiver will see it, or null when it cannot be built.</param>
/// <param name="Problems">Everything found (the form, the portal's rules, the official profiles).</param>
/// <param name="ProfileCheck">Whether the official profiles checked it (false when unavailable, never claimed otherwise).</param>
public sealed record DraftPreview(DocumentView? Document, IReadOnlyList<ReferralProblem> Problems, ProfileCheck ProfileCheck = ProfileCheck.NotRun);

/// <summary>Whether a preview was checked against the official JP-CLINS profiles.</summary>
public enum ProfileCheck
{
    /// <summary>Not run: the letter already has problems of its own, or could not be built.</summary>
    NotRun,

    /// <summary>Checked against the official profiles.</summary>
    Checked,

    /// <summary>The official profiles are not available on this server: only the portal's own rules were checked.</summary>
    Unavailable,
}

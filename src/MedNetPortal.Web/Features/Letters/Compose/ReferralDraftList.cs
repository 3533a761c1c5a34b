namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>One row of a drafts list.</summary>
public sealed record ReferralDraftSummary(
    Guid Id,
    string? PatientDisplayName,
    string? DestinationName,
    string AuthorName,
    bool IsMine,
    DateTimeOffset UpdatedAt);

/// <summary>A page of drafts and how many there are in all.</summary>
public sealed record ReferralDraftList(IReadOnlyList<ReferralDraftSummary> Items, int Total, int Skip);

/// <summary>Whose drafts a list shows.</summary>
public enum ReferralDraftScope
{
    Mine,
    Facility,
}

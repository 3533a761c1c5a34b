namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>A draft as a page sees it. <see cref="Form"/> is the page's own copy.</summary>
public sealed record ReferralDraftView(
    Guid Id,
    ReferralForm Form,
    long Version,
    ReferralDraftStatus Status,
    string LocalId,
    DateTimeOffset? IssuedAt,
    string AuthorName,
    DateTimeOffset UpdatedAt,
    string? SentBundleId,
    string? BundleIdentifier);

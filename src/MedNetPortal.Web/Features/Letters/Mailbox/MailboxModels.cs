namespace MedNetPortal.Web.Features.Letters.Mailbox;

/// <summary>The facility (with department) and doctor at the other end of a letter; any part may be missing.</summary>
public sealed record MailboxParty(string? Facility, string? Department, string? Doctor);

/// <summary>A letter addressed to the user's facility.</summary>
/// <param name="LetterId">The base's Bundle id (for <c>/letters/{id}</c>; not personal data).</param>
/// <param name="SentAt">Bundle.timestamp.</param>
/// <param name="PatientKanji">The patient's name in kanji.</param>
/// <param name="PatientKana">The patient's name in kana.</param>
/// <param name="From">The sending facility and doctor (section 920).</param>
/// <param name="Purpose">紹介目的 (section 950) as plain text, whole; the page shortens it.</param>
/// <param name="ReadAt">When someone of the facility first opened it (the read receipt), or null: unread.</param>
public sealed record InboxItem(
    string LetterId, DateTimeOffset? SentAt, string? PatientKanji, string? PatientKana, MailboxParty From, string? Purpose, DateTimeOffset? ReadAt)
{
    public bool IsRead => ReadAt is not null;
}

/// <summary>A letter the user's facility sent.</summary>
/// <param name="LetterId">The base's Bundle id.</param>
/// <param name="SentAt">Bundle.timestamp.</param>
/// <param name="PatientKanji">The patient's name in kanji.</param>
/// <param name="PatientKana">The patient's name in kana.</param>
/// <param name="To">The destination facility and doctor (section 910).</param>
/// <param name="Purpose">紹介目的 (section 950) as plain text.</param>
/// <param name="OpenedAt">When the destination opened it (the read receipt's <c>sent</c>), or null: 未開封.</param>
public sealed record OutboxItem(
    string LetterId, DateTimeOffset? SentAt, string? PatientKanji, string? PatientKana, MailboxParty To, string? Purpose, DateTimeOffset? OpenedAt)
{
    public bool IsOpened => OpenedAt is not null;
}

/// <summary>Whether the user may have a mailbox at all.</summary>
public enum MailboxAccess
{
    /// <summary>The user acts for a facility; the page holds its letters.</summary>
    Allowed,

    /// <summary>The account has no facility (e.g. a system administrator): there is no mailbox to show.</summary>
    NoFacility,
}

/// <summary>
/// One page of a mailbox. <c>Total</c> is the number of letters the base holds for the facility; <c>NextLink</c> is the
/// base's opaque paging link (no search values in it), null on the last page.
/// </summary>
public sealed record MailboxPage<T>(MailboxAccess Access, string? FacilityName, IReadOnlyList<T> Items, int Total, string? NextLink)
{
    public bool HasMore => NextLink is not null;

    public static MailboxPage<T> NoFacility { get; } = new(MailboxAccess.NoFacility, null, [], 0, null);
}

namespace MedNetPortal.Web.Features.Letters.Mailbox;

/// <summary>Which list a <see cref="MailboxView"/> shows.</summary>
public enum MailboxKind
{
    /// <summary>Letters addressed to the user's facility (受信箱).</summary>
    Inbox,

    /// <summary>Letters the user's facility sent (送信済み).</summary>
    Outbox,
}

/// <summary>One row of either list: the other facility is the sender (inbox) or the destination (outbox);
/// <c>Done</c> is read (inbox) or opened by the destination (outbox), <c>DoneAt</c> when.</summary>
internal sealed record MailboxRow(
    string LetterId, DateTimeOffset? SentAt, string? PatientKanji, string? PatientKana, MailboxParty Other, string? Purpose, bool Done, DateTimeOffset? DoneAt)
{
    public static MailboxRow From(InboxItem item) =>
        new(item.LetterId, item.SentAt, item.PatientKanji, item.PatientKana, item.From, item.Purpose, item.IsRead, item.ReadAt);

    public static MailboxRow From(OutboxItem item) =>
        new(item.LetterId, item.SentAt, item.PatientKanji, item.PatientKana, item.To, item.Purpose, item.IsOpened, item.OpenedAt);
}

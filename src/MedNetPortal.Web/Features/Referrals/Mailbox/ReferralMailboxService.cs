using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Referrals;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Documents;

namespace MedNetPortal.Web.Features.Referrals.Mailbox;

/// <summary>The facility's inbox and outbox, as pages see them.</summary>
public interface IReferralMailbox
{
    /// <summary>Letters addressed to the user's facility, newest first: the first page, or the page behind <paramref name="nextLink"/>.</summary>
    Task<MailboxPage<InboxItem>> GetInboxAsync(string? nextLink, CancellationToken cancellationToken);

    /// <summary>Letters the user's facility sent, newest first: the first page, or the page behind <paramref name="nextLink"/>.</summary>
    Task<MailboxPage<OutboxItem>> GetOutboxAsync(string? nextLink, CancellationToken cancellationToken);
}

/// <summary>
/// The facility's inbox (letters addressed to it) and outbox (letters it sent), newest first, with their read receipts.
/// Two requests per page: one Bundle search (<c>destination</c> or <c>sender</c> = the user's 医療機関コード, taken on
/// the server from <see cref="ICurrentUserAccessor"/>, never from the caller) and one Communication search for the
/// receipts of the letters on that page. Both go by POST <c>_search</c>.
/// </summary>
public sealed partial class ReferralMailboxService(CentralFhirClient client, ICurrentUserAccessor users) : IReferralMailbox
{
    /// <summary>Letters per page.</summary>
    public const int PageSize = 20;

    /// <inheritdoc />
    public async Task<MailboxPage<InboxItem>> GetInboxAsync(string? nextLink, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(cancellationToken).ConfigureAwait(false);
        if (user?.ClinicalFacility is not { } code)
        {
            return MailboxPage<InboxItem>.NoFacility;
        }

        var (letters, total, next) = await LettersAsync("destination", code, nextLink, cancellationToken).ConfigureAwait(false);
        // The search already selects the facility's letters; checking each again costs nothing and keeps a stray paging
        // link from ever showing another facility's mail.
        letters = letters.Where(l => l.Routing.DestinationCode == code).ToList();
        var receipts = await ReceiptsAsync(letters, cancellationToken).ConfigureAwait(false);
        var items = letters.Select(l => new InboxItem(
                l.Id, l.SentAt, l.View.Patient?.NameKanji, l.View.Patient?.NameKana, Party(l.View.Sender), Purpose(l.View),
                ReceiptFor(receipts, l, code)))
            .ToList();
        return new MailboxPage<InboxItem>(MailboxAccess.Allowed, user.FacilityName, items, total, next);
    }

    /// <inheritdoc />
    public async Task<MailboxPage<OutboxItem>> GetOutboxAsync(string? nextLink, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(cancellationToken).ConfigureAwait(false);
        if (user?.ClinicalFacility is not { } code)
        {
            return MailboxPage<OutboxItem>.NoFacility;
        }

        var (letters, total, next) = await LettersAsync("sender", code, nextLink, cancellationToken).ConfigureAwait(false);
        letters = letters.Where(l => l.Routing.SenderCode == code).ToList();
        var receipts = await ReceiptsAsync(letters, cancellationToken).ConfigureAwait(false);
        var items = letters.Select(l => new OutboxItem(
                l.Id, l.SentAt, l.View.Patient?.NameKanji, l.View.Patient?.NameKana, Party(l.View.Destination), Purpose(l.View),
                l.Routing.DestinationCode is { } destination ? ReceiptFor(receipts, l, destination) : null))
            .ToList();
        return new MailboxPage<OutboxItem>(MailboxAccess.Allowed, user.FacilityName, items, total, next);
    }

    /// <summary>Unread first, then newest first: the inbox order within what is loaded.</summary>
    public static IReadOnlyList<InboxItem> UnreadFirst(IEnumerable<InboxItem> items) =>
        items.OrderBy(i => i.IsRead).ThenByDescending(i => i.SentAt).ToList();

    private async Task<(List<Letter> Letters, int Total, string? Next)> LettersAsync(
        string parameter, string facilityCode, string? nextLink, CancellationToken cancellationToken)
    {
        Bundle page;
        if (nextLink is null)
        {
            var parameters = new FhirSearchParameters()
                .Add(parameter, FhirSearchValue.Token(JpFhir.Systems.MedicalInstitutionCode, facilityCode))
                .Add("type", "document")
                .Add("_sort", "-timestamp")
                .Add("_count", PageSize.ToString(CultureInfo.InvariantCulture));
            page = await client.SearchPostAsync<Bundle>(parameters, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var link = new Bundle { Link = [new Bundle.LinkComponent { Relation = "next", Url = nextLink }] };
            page = await client.NextPageAsync(link, cancellationToken).ConfigureAwait(false)
                   ?? throw new InvalidOperationException("A paging link always answers a page.");
        }

        var letters = new List<Letter>();
        foreach (var entry in page.Entry.Where(e => e.Search?.Mode is null or Bundle.SearchEntryMode.Match))
        {
            if (entry.Resource is Bundle { Id: { } id } document && DocumentMapper.Map(document, id) is { } view)
            {
                letters.Add(new Letter(id, document.Timestamp, view, DocumentRouting.From(document)));
            }
        }

        return (letters, page.Total ?? letters.Count, page.Link.FirstOrDefault(l => l.Relation == "next")?.Url);
    }

    private async Task<List<Communication>> ReceiptsAsync(IReadOnlyList<Letter> letters, CancellationToken cancellationToken)
    {
        var identifiers = letters.Select(l => l.Routing.BundleIdentifier).OfType<string>().ToList();
        if (identifiers.Count == 0)
        {
            return [];
        }

        var parameters = new FhirSearchParameters()
            .Add("identifier", ReadReceipts.IdentifierSearchValue(identifiers))
            .Add("_count", (identifiers.Count * 2).ToString(CultureInfo.InvariantCulture));
        var page = await client.SearchPostAsync<Communication>(parameters, cancellationToken).ConfigureAwait(false);
        return page.Entry.Select(e => e.Resource).OfType<Communication>().ToList();
    }

    /// <summary>The earliest receipt for the letter written in the name of <paramref name="readerCode"/> (its destination).</summary>
    private static DateTimeOffset? ReceiptFor(List<Communication> receipts, Letter letter, string readerCode) =>
        receipts
            .Where(c => c.Identifier.Any(i => i.System == ReadReceipts.IdentifierSystem && i.Value == letter.Routing.BundleIdentifier)
                        && c.Sender?.Identifier?.Value == readerCode)
            .Select(c => DateTimeOffset.TryParse(c.Sent, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sent) ? sent : (DateTimeOffset?)null)
            .Where(d => d is not null)
            .OrderBy(d => d)
            .FirstOrDefault();

    private static MailboxParty Party(DocumentParty? party) => new(party?.Organization, party?.Department, party?.Doctor);

    /// <summary>Section 950 紹介目的 as one line of plain text.</summary>
    internal static string? Purpose(DocumentView view)
    {
        var section = view.AllSections.FirstOrDefault(s => s.Code == JpFhir.Sections.Purpose);
        if (section is null)
        {
            return null;
        }

        var text = WebUtility.HtmlDecode(Tags().Replace(section.NarrativeHtml, " "));
        text = Spaces().Replace(text, " ").Trim();
        return text.Length == 0 ? null : text;
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    private sealed record Letter(string Id, DateTimeOffset? SentAt, DocumentView View, DocumentRouting Routing);
}

using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Documents;
using FhirTask = Hl7.Fhir.Model.Task;

namespace MedNetPortal.Web.Features.Letters.Mailbox;

/// <summary>The facility's inbox and outbox, as pages see them.</summary>
public interface IReferralMailbox
{
    /// <summary>Letters addressed to the user's facility, newest first: the first page, or the page behind <paramref name="nextLink"/>.</summary>
    Task<MailboxPage<InboxItem>> GetInboxAsync(string? nextLink, CancellationToken cancellationToken);

    /// <summary>Letters the user's facility sent, newest first: the first page, or the page behind <paramref name="nextLink"/>.</summary>
    Task<MailboxPage<OutboxItem>> GetOutboxAsync(string? nextLink, CancellationToken cancellationToken);

    /// <summary>
    /// The unread letters addressed to the user's facility (routing Task still <c>requested</c>): the newest
    /// <paramref name="take"/>, and in <c>Total</c> how many the base holds.
    /// </summary>
    Task<MailboxPage<InboxItem>> GetUnreadAsync(int take, CancellationToken cancellationToken);
}

/// <summary>
/// The facility's inbox (letters addressed to it) and outbox (letters it sent), newest first, from the letters' routing
/// Tasks: <c>Task?owner=Organization/{own}</c> (inbox) or <c>Task?requester=Organization/{own}</c> (outbox),
/// <c>_sort=-authored-on</c>, <c>_include=Task:focus</c> for the documents, by POST <c>_search</c>. The facility comes from
/// <see cref="ICurrentUserAccessor"/> on the server, never from the caller. Every row is checked after loading: the Task's
/// owner (requester) is the facility's Organization, and the document it points at names the facility as its destination
/// (sender) and carries the Task's identifier; anything else is dropped and counted in a log line, so a server that ignores
/// a parameter, or a Task written by someone else, never shows another facility's mail.
/// </summary>
public sealed partial class ReferralMailboxService(
    CentralFhirClient client, ICurrentUserAccessor users, FacilityOrganizations organizations, ILogger<ReferralMailboxService> logger) : IReferralMailbox
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

        var (letters, total, next) = await LettersAsync(MailboxKind.Inbox, code, nextLink, cancellationToken).ConfigureAwait(false);
        var items = letters.Select(l => new InboxItem(
                l.Id, l.SentAt, l.View.Patient?.NameKanji, l.View.Patient?.NameKana, Party(l.View.Sender), Purpose(l.View),
                LetterDelivery.OpenedAt(l.Task)))
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

        var (letters, total, next) = await LettersAsync(MailboxKind.Outbox, code, nextLink, cancellationToken).ConfigureAwait(false);
        var items = letters.Select(l => new OutboxItem(
                l.Id, l.SentAt, l.View.Patient?.NameKanji, l.View.Patient?.NameKana, Party(l.View.Destination), Purpose(l.View),
                LetterDelivery.OpenedAt(l.Task)))
            .ToList();
        return new MailboxPage<OutboxItem>(MailboxAccess.Allowed, user.FacilityName, items, total, next);
    }

    /// <inheritdoc />
    public async Task<MailboxPage<InboxItem>> GetUnreadAsync(int take, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(cancellationToken).ConfigureAwait(false);
        if (user?.ClinicalFacility is not { } code)
        {
            return MailboxPage<InboxItem>.NoFacility;
        }

        // Unread is the Task's status as the inbox reads it (LetterDelivery.IsOpened): a letter is marked opened by moving
        // its Task from requested to received, so the unread ones are a standard status search.
        var (letters, total, _) = await LettersAsync(
            MailboxKind.Inbox, code, null, cancellationToken, Math.Clamp(take, 1, PageSize), FhirTask.TaskStatus.Requested).ConfigureAwait(false);
        var items = letters.Where(l => !LetterDelivery.IsOpened(l.Task)).Select(l => new InboxItem(
                l.Id, l.SentAt, l.View.Patient?.NameKanji, l.View.Patient?.NameKana, Party(l.View.Sender), Purpose(l.View), null))
            .ToList();
        return new MailboxPage<InboxItem>(MailboxAccess.Allowed, user.FacilityName, items, total, null);
    }

    /// <summary>Unread first, then newest first: the inbox order within what is loaded.</summary>
    public static IReadOnlyList<InboxItem> UnreadFirst(IEnumerable<InboxItem> items) =>
        items.OrderBy(i => i.IsRead).ThenByDescending(i => i.SentAt).ToList();

    private async Task<(List<Letter> Letters, int Total, string? Next)> LettersAsync(
        MailboxKind kind, string facilityCode, string? nextLink, CancellationToken cancellationToken, int count = PageSize, FhirTask.TaskStatus? status = null)
    {
        var organizationId = await organizations.IdOfAsync(facilityCode, cancellationToken).ConfigureAwait(false);
        if (organizationId is null)
        {
            // The base has no Organization for this facility, so no Task can name it: nothing was sent to or by it.
            return ([], 0, null);
        }

        Bundle page;
        if (nextLink is null)
        {
            var parameters = new FhirSearchParameters()
                .Add(kind == MailboxKind.Inbox ? "owner" : "requester", FhirSearchValue.Reference("Organization", organizationId))
                .Add("_sort", "-authored-on")
                .Add("_include", "Task:focus")
                .Add("_count", count.ToString(CultureInfo.InvariantCulture));
            if (status is { } wanted)
            {
                parameters.Add("status", Hl7.Fhir.Utility.EnumUtility.GetLiteral(wanted));
            }

            page = await client.SearchPostAsync<FhirTask>(parameters, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var link = new Bundle { Link = [new Bundle.LinkComponent { Relation = "next", Url = nextLink }] };
            page = await client.NextPageAsync(link, cancellationToken).ConfigureAwait(false)
                   ?? throw new InvalidOperationException("A paging link always answers a page.");
        }

        var tasks = page.Entry.Where(e => e.Search?.Mode is null or Bundle.SearchEntryMode.Match).Select(e => e.Resource).OfType<FhirTask>().ToList();
        var documents = await DocumentsAsync(page, tasks, cancellationToken).ConfigureAwait(false);
        var letters = new List<Letter>();
        var dropped = 0;
        foreach (var task in tasks)
        {
            var party = kind == MailboxKind.Inbox ? task.Owner : task.Requester;
            var documentId = FhirReferences.IdOf(task.Focus?.Reference, "Bundle");
            if (!FhirReferences.RefersTo(party, "Organization", organizationId)
                || documentId is null
                || !documents.TryGetValue(documentId, out var document)
                || !IsFacilityLetter(kind, facilityCode, task, document)
                || DocumentMapper.Map(document, documentId) is not { } view)
            {
                dropped++;
                continue;
            }

            letters.Add(new Letter(documentId, document.Timestamp, view, task));
        }

        if (dropped > 0)
        {
            Log.Dropped(logger, dropped, kind);
        }

        return (letters, page.Total ?? letters.Count, page.Link.FirstOrDefault(l => l.Relation == "next")?.Url);
    }

    /// <summary>The document says the same as the Task: this facility is its destination (sender), and it has the Task's identifier.</summary>
    internal static bool IsFacilityLetter(MailboxKind kind, string facilityCode, FhirTask task, Bundle document)
    {
        if (document.Type != Bundle.BundleType.Document)
        {
            return false;
        }

        var routing = DocumentRouting.From(document);
        var code = kind == MailboxKind.Inbox ? routing.DestinationCode : routing.SenderCode;
        return code == facilityCode
               && routing.BundleIdentifier is { } identifier
               && LetterDelivery.BundleIdentifierOf(task.Identifier) == identifier;
    }

    /// <summary>
    /// The documents the page's Tasks point at: the included ones, and for a server that did not include them one batch of
    /// reads for the rest.
    /// </summary>
    private async Task<Dictionary<string, Bundle>> DocumentsAsync(Bundle page, List<FhirTask> tasks, CancellationToken cancellationToken)
    {
        var documents = page.Entry.Select(e => e.Resource).OfType<Bundle>().Where(b => b.Id is not null)
            .GroupBy(b => b.Id!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var missing = tasks.Select(t => FhirReferences.IdOf(t.Focus?.Reference, "Bundle")).OfType<string>()
            .Where(id => !documents.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count == 0)
        {
            return documents;
        }

        var batch = new Bundle { Type = Bundle.BundleType.Batch };
        foreach (var id in missing)
        {
            batch.Entry.Add(new Bundle.EntryComponent { Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.GET, Url = "Bundle/" + id } });
        }

        var response = await client.TransactionAsync(batch, cancellationToken).ConfigureAwait(false);
        foreach (var (id, entry) in missing.Zip(response.Entry))
        {
            if (entry.Resource is Bundle { } document && document.Id == id)
            {
                documents[id] = document;
            }
        }

        return documents;
    }

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

    private sealed record Letter(string Id, DateTimeOffset? SentAt, DocumentView View, FhirTask Task);

    private static partial class Log
    {
        [LoggerMessage(EventId = 4510, Level = LogLevel.Warning,
            Message = "The central base answered the {Mailbox} search with {Count} letters that are not the facility's; they were dropped.")]
        public static partial void Dropped(ILogger logger, int count, MailboxKind mailbox);
    }
}

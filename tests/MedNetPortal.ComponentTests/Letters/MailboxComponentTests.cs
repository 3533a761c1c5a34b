using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Letters.Mailbox;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.ComponentTests.Letters;

internal sealed class FakeMailbox : IReferralMailbox
{
    public TaskCompletionSource? Gate { get; set; }

    public Func<string?, MailboxPage<InboxItem>> Inbox { get; set; } = _ => throw new FhirApiException(
        FhirApiErrorReason.ServerUnavailable, FhirApiException.DefaultMessage(FhirApiErrorReason.ServerUnavailable));

    public Func<string?, MailboxPage<OutboxItem>> Outbox { get; set; } = _ => throw new FhirApiException(
        FhirApiErrorReason.ServerUnavailable, FhirApiException.DefaultMessage(FhirApiErrorReason.ServerUnavailable));

    public List<string?> Calls { get; } = [];

    public async Task<MailboxPage<InboxItem>> GetInboxAsync(string? nextLink, CancellationToken cancellationToken)
    {
        Calls.Add(nextLink);
        if (Gate is { } gate)
        {
            await gate.Task;
        }

        return Inbox(nextLink);
    }

    public async Task<MailboxPage<OutboxItem>> GetOutboxAsync(string? nextLink, CancellationToken cancellationToken)
    {
        Calls.Add(nextLink);
        if (Gate is { } gate)
        {
            await gate.Task;
        }

        return Outbox(nextLink);
    }

    public Task<MailboxPage<InboxItem>> GetUnreadAsync(int take, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The mailbox pages never ask for the unread letters alone.");
}

public sealed class MailboxPageTests : PortalTestContext
{
    private static readonly DateTimeOffset Jan = new(2026, 1, 10, 9, 0, 0, TimeSpan.FromHours(9));
    private readonly FakeMailbox mailbox = new();

    public MailboxPageTests()
    {
        Services.AddSingleton<IReferralMailbox>(mailbox);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private static InboxItem In(string id, int day, bool read, string? purpose = "精査をお願いします。") =>
        new(id, Jan.AddDays(day), "山田 花子", "ヤマダ ハナコ", new MailboxParty("さくら内科クリニック", "内科", "森 一郎"), purpose, read ? Jan.AddDays(day + 1) : null);

    private static OutboxItem Out(string id, DateTimeOffset? opened) =>
        new(id, Jan, "山田 花子", "ヤマダ ハナコ", new MailboxParty("みどり台総合病院", "循環器内科", "青木 誠一"), "精査をお願いします。", opened);

    [Fact]
    public void Prerender_loads_nothing_and_shows_loading()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var cut = Render<InboxPage>();

        Shown.One(cut.FindAll("[data-testid=mailbox-loading]"));
        Assert.Empty(mailbox.Calls);
    }

    [Fact]
    public void Inbox_shows_loading_then_unread_first_in_bold_with_totals_and_more_loads_the_next_page_once()
    {
        mailbox.Gate = new TaskCompletionSource();
        var longPurpose = new string('あ', 60);
        mailbox.Inbox = link => link is null
            ? new MailboxPage<InboxItem>(MailboxAccess.Allowed, "みどり台総合病院", [In("a", 3, read: true), In("b", 2, read: false, longPurpose), In("c", 1, read: true)], 42, "next-1")
            : new MailboxPage<InboxItem>(MailboxAccess.Allowed, "みどり台総合病院", [In("d", 0, read: false)], 42, null);

        var cut = Render<InboxPage>();
        Shown.One(cut.FindAll("[data-testid=mailbox-loading]"));
        mailbox.Gate.SetResult();
        cut.WaitForElement("[data-testid=mailbox-table]");

        var rows = cut.FindAll("[data-testid=mailbox-row]");
        Assert.Equal(["b", "a", "c"], rows.Select(r => r.GetAttribute("data-letter-id")));
        Assert.Equal(["未読", "既読", "既読"], cut.FindAll("[data-testid=mailbox-state]").Select(s => s.TextContent.Trim()));
        Assert.Contains("mailbox-unread", rows[0].ClassList);
        Assert.DoesNotContain("mailbox-unread", rows[1].ClassList);
        Assert.Equal("letters/b", cut.FindAll("[data-testid=mailbox-open]")[0].GetAttribute("href"));
        Assert.Contains("ヤマダ ハナコ", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("さくら内科クリニック", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal(new string('あ', 40) + "…", cut.FindAll("[data-testid=mailbox-purpose]")[0].TextContent.Trim());
        Assert.Equal("3 / 42件", cut.Find("[data-testid=mailbox-count]").TextContent);
        Assert.Contains("みどり台総合病院宛て", cut.Find("[data-testid=mailbox-facility]").TextContent, StringComparison.Ordinal);

        cut.Find("[data-testid=mailbox-more]").Click();

        Assert.Equal(["b", "d", "a", "c"], cut.FindAll("[data-testid=mailbox-row]").Select(r => r.GetAttribute("data-letter-id")));
        Assert.Equal("4 / 42件", cut.Find("[data-testid=mailbox-count]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=mailbox-more]"));
        Assert.Equal([null, "next-1"], mailbox.Calls);
    }

    [Fact]
    public void Outbox_shows_opened_with_its_time_or_not_opened()
    {
        mailbox.Outbox = _ => new MailboxPage<OutboxItem>(MailboxAccess.Allowed, "さくら内科クリニック",
            [Out("a", new DateTimeOffset(2026, 1, 11, 5, 30, 0, TimeSpan.Zero)), Out("b", null)], 2, null);

        var cut = Render<OutboxPage>();
        cut.WaitForElement("[data-testid=mailbox-table]");

        Assert.Equal(["開封済み（2026年1月11日 14:30）", "未開封"], cut.FindAll("[data-testid=mailbox-state]").Select(s => s.TextContent.Trim()));
        Assert.Empty(cut.FindAll(".mailbox-unread"));
        Assert.Contains("みどり台総合病院", cut.Find("[data-testid=mailbox-row]").TextContent, StringComparison.Ordinal);
        Assert.Equal("2 / 2件", cut.Find("[data-testid=mailbox-count]").TextContent);
    }

    [Fact]
    public void Empty_lists_say_so()
    {
        mailbox.Inbox = _ => new MailboxPage<InboxItem>(MailboxAccess.Allowed, "みどり台総合病院", [], 0, null);
        mailbox.Outbox = _ => new MailboxPage<OutboxItem>(MailboxAccess.Allowed, "みどり台総合病院", [], 0, null);

        Assert.Contains("届いた紹介状はありません", Render<InboxPage>().WaitForElement("[data-testid=mailbox-empty]").TextContent, StringComparison.Ordinal);
        Assert.Contains("送信した紹介状はありません", Render<OutboxPage>().WaitForElement("[data-testid=mailbox-empty]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_says_what_failed_and_retry_loads_again()
    {
        var cut = Render<InboxPage>();

        var error = cut.WaitForElement("[data-testid=mailbox-error]");
        Assert.Contains("受信箱を読み込めませんでした", error.TextContent, StringComparison.Ordinal);
        mailbox.Inbox = _ => new MailboxPage<InboxItem>(MailboxAccess.Allowed, "みどり台総合病院", [In("a", 1, read: false)], 1, null);
        cut.Find("[data-testid=mailbox-error] button").Click();

        cut.WaitForElement("[data-testid=mailbox-table]");
        Assert.Equal(2, mailbox.Calls.Count);
    }

    [Fact]
    public void A_failed_next_page_keeps_what_is_loaded_and_offers_retry()
    {
        mailbox.Outbox = link => link is null
            ? new MailboxPage<OutboxItem>(MailboxAccess.Allowed, "さくら内科クリニック", [Out("a", null)], 5, "next")
            : throw new FhirApiException(FhirApiErrorReason.Timeout, FhirApiException.DefaultMessage(FhirApiErrorReason.Timeout));

        var cut = Render<OutboxPage>();
        cut.WaitForElement("[data-testid=mailbox-table]");
        cut.Find("[data-testid=mailbox-more]").Click();

        Shown.One(cut.FindAll("[data-testid=mailbox-more-error]"));
        Assert.Single(cut.FindAll("[data-testid=mailbox-row]"));
        Assert.Equal("1 / 5件", cut.Find("[data-testid=mailbox-count]").TextContent);
    }

    [Fact]
    public void An_account_without_a_facility_gets_an_explanation_not_a_list()
    {
        mailbox.Inbox = _ => MailboxPage<InboxItem>.NoFacility;

        var cut = Render<InboxPage>();

        Assert.Contains("医療機関に所属していない", cut.WaitForElement("[data-testid=mailbox-no-facility]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=mailbox-table]"));
        Assert.Empty(cut.FindAll("[data-testid=mailbox-empty]"));
    }
}

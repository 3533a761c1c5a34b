using AngleSharp.Dom;
using Bunit;
using MedNetPortal.ComponentTests.Letters;
using MedNetPortal.Web.Features.Letters.Mailbox;
using MedNetPortal.Web.Features.Patients;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.ComponentTests.Accessibility;

/// <summary>
/// WCAG 1.4.1: what a colour (or bold) marks is also said in words. Each test compares a marked row with an unmarked one by
/// their text alone, so a row that differs only by its class or colour fails.
/// </summary>
public sealed class ColourIsNeverTheOnlySignalTests : PortalTestContext
{
    private static readonly DateTimeOffset Jan = new(2026, 1, 10, 9, 0, 0, TimeSpan.FromHours(9));

    private static Allergy Item(string id, string substance, string criticality, AllergyCategory category = AllergyCategory.Medication) =>
        new(id, substance, category, criticality, [new AllergyReaction("血圧低下", "severe")], "active", "confirmed", null, "2024-06-01",
            "青木 誠一", null, IndicationMarks.None, new FacilityRef("1340123456", "はまかぜ記念病院"));

    /// <summary>The text of a cell, as a screen reader or a colour-blind reader gets it: no classes, no colours.</summary>
    private static string Words(IElement element) => element.TextContent.Trim();

    [Fact]
    public void An_absolute_contraindication_says_so_in_words_with_its_icon_and_a_relative_one_says_relative()
    {
        IReadOnlyList<Allergy> items = [Item("1", "ロキソプロフェン", "low"), Item("2", "ヨード造影剤", "high")];
        var list = Render<ContraindicationList>(p => p.Add(x => x.Items, items));

        var rows = list.FindAll("[data-testid=contraindication-row]");
        Assert.Equal("ヨード造影剤", Words(rows[0].QuerySelector("[data-testid=contraindication-drug]")!));
        Assert.Contains("patient-high", rows[0].ClassList);
        // The level column: words, not just the red chip.
        Assert.Equal("絶対禁忌", Words(rows[0].Children[1]));
        Assert.Equal("相対禁忌", Words(rows[1].Children[1]));
        // The chip's icon is decoration next to the words (hidden from screen readers), never instead of them.
        var chip = rows[0].QuerySelector("[data-testid=contraindication-absolute]")!;
        Assert.All(chip.QuerySelectorAll("svg"), svg => Assert.Equal("true", svg.GetAttribute("aria-hidden")));
    }

    [Fact]
    public void A_high_criticality_allergy_says_high_in_words_and_a_low_one_says_low()
    {
        IReadOnlyList<Allergy> items = [Item("1", "そば", "low", AllergyCategory.Food), Item("2", "ペニシリン", "high")];
        var list = Render<AllergyList>(p => p.Add(x => x.Items, items));

        var high = list.FindAll("[data-testid=allergy-row]").Single(r => r.TextContent.Contains("ペニシリン", StringComparison.Ordinal));
        var low = list.FindAll("[data-testid=allergy-row]").Single(r => r.TextContent.Contains("そば", StringComparison.Ordinal));
        Assert.Equal("高", Words(high.QuerySelector("[data-testid=allergy-high]")!));
        Assert.Equal("低", Words(low.Children[2]));
        Assert.NotEqual(Words(high.Children[2]), Words(low.Children[2]));
    }

    [Theory]
    [InlineData("ja-JP", "未読", "既読")]
    [InlineData("en", "Unread", "Read")]
    public void An_unread_letter_says_unread_in_words_next_to_its_icon_not_only_in_bold(string culture, string unread, string read)
    {
        UseCulture(culture);
        var mailbox = new FakeMailbox
        {
            Inbox = _ => new MailboxPage<InboxItem>(MailboxAccess.Allowed, "みどり台総合病院",
            [
                new("u", Jan, "山田 花子", "ヤマダ ハナコ", new MailboxParty("さくら内科クリニック", "内科", "森 一郎"), "精査をお願いします。", null),
                new("r", Jan, "佐藤 健一", "サトウ ケンイチ", new MailboxParty("さくら内科クリニック", "内科", "森 一郎"), "精査をお願いします。", Jan.AddDays(1)),
            ], 2, null),
        };
        Services.AddSingleton<IReferralMailbox>(mailbox);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var cut = Render<InboxPage>();
        cut.WaitForElement("[data-testid=mailbox-table]");

        var unreadRow = cut.Find("[data-testid=mailbox-row][data-letter-id=u]");
        var readRow = cut.Find("[data-testid=mailbox-row][data-letter-id=r]");
        Assert.Equal(unread, Words(unreadRow.QuerySelector("[data-testid=mailbox-state]")!));
        Assert.Equal(read, Words(readRow.QuerySelector("[data-testid=mailbox-state]")!));
        var icon = unreadRow.QuerySelector("[data-testid=mailbox-unread-icon]")!;
        Assert.Equal("true", icon.GetAttribute("aria-hidden"));
        Assert.Null(readRow.QuerySelector("[data-testid=mailbox-unread-icon]"));
    }
}

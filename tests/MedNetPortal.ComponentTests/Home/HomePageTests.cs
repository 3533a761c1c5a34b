using System.Data.Common;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Home;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.ComponentTests.Home;

/// <summary>The home page's tiles, each with its own answer (or failure) and an optional gate to hold it in loading.</summary>
internal sealed class FakeHome : IHomeService
{
    public HomeAudience Audience { get; set; } = new(Clinical: true, EmergencyReviews: false, Accounts: false);

    public TaskCompletionSource? Gate { get; set; }

    public Func<UnreadLetters?> Letters { get; set; } = () => new UnreadLetters(0, []);

    public Func<MyDrafts?> Drafts { get; set; } = () => new MyDrafts(0, []);

    public Func<IReadOnlyList<HomePatient>?> Recent { get; set; } = () => [];

    public Func<EmergencyReviews?> Emergency { get; set; } = () => new EmergencyReviews(0);

    public Func<AccountsNeedingAttention?> Accounts { get; set; } = () => new AccountsNeedingAttention(0, 0, 0, []);

    public List<string> Calls { get; } = [];

    public Task<HomeAudience> AudienceAsync(CancellationToken cancellationToken) => Task.FromResult(Audience);

    public Task<UnreadLetters?> GetUnreadLettersAsync(CancellationToken cancellationToken) => AnswerAsync("letters", Letters);

    public Task<MyDrafts?> GetMyDraftsAsync(CancellationToken cancellationToken) => AnswerAsync("drafts", Drafts);

    public Task<IReadOnlyList<HomePatient>?> GetRecentPatientsAsync(CancellationToken cancellationToken) => AnswerAsync("recent", Recent);

    public Task<EmergencyReviews?> GetEmergencyReviewsAsync(CancellationToken cancellationToken) => AnswerAsync("emergency", Emergency);

    public Task<AccountsNeedingAttention?> GetAccountsNeedingAttentionAsync(CancellationToken cancellationToken) => AnswerAsync("accounts", Accounts);

    private async Task<T> AnswerAsync<T>(string tile, Func<T> answer)
    {
        lock (Calls)
        {
            Calls.Add(tile);
        }

        if (Gate is { } gate)
        {
            await gate.Task;
        }

        return answer();
    }
}

public sealed class HomePageTests : PortalTestContext
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 3, 12, 0, 0, TimeSpan.FromHours(9));
    private readonly FakeHome home = new();

    public HomePageTests()
    {
        Services.AddSingleton<IHomeService>(home);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private static FhirApiException BaseDown() =>
        new(FhirApiErrorReason.Unreachable, FhirApiException.DefaultMessage(FhirApiErrorReason.Unreachable));

    private sealed class BrokenDatabase() : DbException("database is locked");

    [Fact]
    public void The_prerender_shows_every_tile_loading_and_asks_for_nothing()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var cut = Render<HomePage>();

        Assert.Equal("ホーム", cut.Find("h1").TextContent);
        Assert.Equal(3, cut.FindAll("[data-testid$=-loading]").Count);
        Assert.Empty(home.Calls);
    }

    [Fact]
    public void Each_tile_shows_loading_until_its_answer_then_its_count_and_newest_items()
    {
        home.Gate = new TaskCompletionSource();
        home.Letters = () => new UnreadLetters(5, [
            new HomeLetter("b-2", Noon, "さくら内科クリニック"),
            new HomeLetter("b-1", Noon.AddHours(-2), null),
            new HomeLetter("b-0", null, "あおば歯科医院"),
        ]);
        home.Drafts = () => new MyDrafts(1, [new HomeDraft(Guid.Parse("6f1c1e0a-0d1f-4c55-9a43-2a7f3f0e9b01"), "山田 花子", "みどり台総合病院", Noon)]);
        home.Recent = () => [new HomePatient("pat-7", "鈴木 トメ", "スズキ トメ", Noon)];

        var cut = Render<HomePage>();
        Assert.Equal(["home-letters-loading", "home-drafts-loading", "home-recent-loading"],
            cut.FindAll("[data-testid$=-loading]").Select(e => e.GetAttribute("data-testid")));
        Assert.Equal("true", cut.Find("[data-testid=home-letters] section").GetAttribute("aria-busy"));
        home.Gate.SetResult();
        cut.WaitForElement("[data-testid=home-letters-count]");

        Assert.Equal("5 件の未読", cut.Find("[data-testid=home-letters-count]").TextContent);
        Assert.Equal(["letters/b-2", "letters/b-1", "letters/b-0"], cut.FindAll("[data-testid=home-letter-open]").Select(a => a.GetAttribute("href")));
        Assert.Equal(["さくら内科クリニック", "送信元の記載なし", "あおば歯科医院"], cut.FindAll("[data-testid=home-letter-open]").Select(a => a.TextContent.Trim()));
        Assert.Contains("2026年12月3日 12:00 送信", cut.FindAll("[data-testid=home-letter]")[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("5 件のうち新しい 3 件を表示しています。", cut.Find("[data-testid=home-letters-shown]").TextContent);
        Assert.Equal("referrals/inbox", cut.Find("[data-testid=home-letters-inbox]").GetAttribute("href"));

        Assert.Equal("1 件", cut.Find("[data-testid=home-drafts-count]").TextContent);
        var draft = cut.Find("[data-testid=home-draft-open]");
        Assert.Equal("referrals/drafts/6f1c1e0a-0d1f-4c55-9a43-2a7f3f0e9b01", draft.GetAttribute("href"));
        Assert.Equal("山田 花子 の紹介状の続きを書く", draft.TextContent.Trim());
        Assert.Contains("宛先：みどり台総合病院", cut.Find("[data-testid=home-draft]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=home-drafts-shown]"));

        Assert.Equal("1 人", cut.Find("[data-testid=home-recent-count]").TextContent);
        var patient = cut.Find("[data-testid=home-recent-open]");
        Assert.Equal("patients/pat-7", patient.GetAttribute("href"));
        Assert.Equal("鈴木 トメ", patient.TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid$=-loading]"));
        Assert.Equal("false", cut.Find("[data-testid=home-letters] section").GetAttribute("aria-busy"));
    }

    [Fact]
    public void Empty_tiles_say_so_and_still_lead_on()
    {
        var cut = Render<HomePage>();
        cut.WaitForElement("[data-testid=home-recent-empty]");

        Assert.Equal("未読の紹介状はありません。", cut.Find("[data-testid=home-letters-empty]").TextContent);
        Assert.Equal("送信していない下書きはありません。", cut.Find("[data-testid=home-drafts-empty]").TextContent);
        Assert.Equal("このサインインでは、まだ患者の記録を開いていません。", cut.Find("[data-testid=home-recent-empty]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid$=-count]"));
        Assert.Equal("referrals/inbox", cut.Find("[data-testid=home-letters-inbox]").GetAttribute("href"));
        Assert.Equal("referrals/new", cut.Find("[data-testid=home-drafts-new]").GetAttribute("href"));
        Assert.Equal("patients", cut.Find("[data-testid=home-recent-lookup]").GetAttribute("href"));
    }

    [Fact]
    public void A_failing_base_fails_the_letters_tile_only_and_retry_loads_it_again()
    {
        var fail = true;
        home.Letters = () => fail ? throw BaseDown() : new UnreadLetters(1, [new HomeLetter("b-1", Noon, "さくら内科クリニック")]);
        home.Drafts = () => new MyDrafts(2, [new HomeDraft(Guid.NewGuid(), null, null, Noon)]);
        home.Recent = () => [new HomePatient("pat-7", "鈴木 トメ", "スズキ トメ", Noon)];

        var cut = Render<HomePage>();
        cut.WaitForElement("[data-testid=home-letters-error]");

        Assert.Equal("「未読の紹介状」を読み込めませんでした。 共有サーバーに接続できません。ネットワークを確認して再試行してください。",
            cut.Find("[data-testid=home-letters-error-text]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=home-letters-count]"));
        Assert.Equal("2 件", cut.Find("[data-testid=home-drafts-count]").TextContent);
        Assert.Equal("患者未入力 の紹介状の続きを書く", cut.Find("[data-testid=home-draft-open]").TextContent.Trim());
        Assert.Equal("鈴木 トメ", cut.Find("[data-testid=home-recent-open]").TextContent.Trim());

        fail = false;
        cut.Find("[data-testid=home-letters-retry]").Click();

        cut.WaitForElement("[data-testid=home-letters-count]");
        Assert.Empty(cut.FindAll("[data-testid=home-letters-error]"));
        Assert.Equal(2, home.Calls.Count(c => c == "letters"));
        Assert.Equal(1, home.Calls.Count(c => c == "drafts"));
    }

    [Fact]
    public void A_failing_database_fails_the_drafts_tile_with_its_own_message()
    {
        home.Drafts = () => throw new BrokenDatabase();

        var cut = Render<HomePage>();
        cut.WaitForElement("[data-testid=home-drafts-error]");

        Assert.Contains("ポータルのデータベースを読み込めませんでした", cut.Find("[data-testid=home-drafts-error]").TextContent, StringComparison.Ordinal);
        Assert.Equal("未読の紹介状はありません。", cut.Find("[data-testid=home-letters-empty]").TextContent);
    }

    [Fact]
    public void A_clinician_gets_no_administrator_tiles_and_an_administrator_no_clinical_ones()
    {
        var clinician = Render<HomePage>();
        clinician.WaitForElement("[data-testid=home-letters-empty]");
        Assert.Empty(clinician.FindAll("[data-testid=home-emergency], [data-testid=home-accounts]"));
        Assert.Equal(["patients", "referrals/new"], clinician.FindAll("[data-testid=home-actions] a").Select(a => a.GetAttribute("href")));

        home.Audience = new HomeAudience(Clinical: false, EmergencyReviews: true, Accounts: true);
        home.Calls.Clear();
        var admin = Render<HomePage>();
        admin.WaitForElement("[data-testid=home-accounts-empty]");
        Assert.Empty(admin.FindAll("[data-testid=home-letters], [data-testid=home-drafts], [data-testid=home-recent], [data-testid=home-actions]"));
        Assert.Equal(["accounts", "emergency"], home.Calls.Order());
    }

    [Fact]
    public void A_system_administrator_gets_the_accounts_tile_without_notifications()
    {
        home.Audience = new HomeAudience(Clinical: false, EmergencyReviews: false, Accounts: true);

        var cut = Render<HomePage>();
        cut.WaitForElement("[data-testid=home-accounts-empty]");

        Assert.Empty(cut.FindAll("[data-testid=home-emergency]"));
        Assert.Equal("停止中・ロック中のアカウントはありません。", cut.Find("[data-testid=home-accounts-empty]").TextContent);
    }

    [Fact]
    public void The_administrator_tiles_count_and_link_what_needs_attention()
    {
        home.Audience = new HomeAudience(Clinical: false, EmergencyReviews: true, Accounts: true);
        home.Emergency = () => new EmergencyReviews(2);
        home.Accounts = () => new AccountsNeedingAttention(Suspended: 6, Locked: 1, Total: 6, [
            new HomeAccount("u-1", "青木 誠一", "みどり台総合病院", Suspended: true, Locked: true),
            new HomeAccount("u-2", "森 一郎", null, Suspended: false, Locked: true),
            new HomeAccount("u-3", "山田 花子", null, Suspended: true, Locked: false),
            new HomeAccount("u-4", "佐藤 健一", null, Suspended: true, Locked: false),
            new HomeAccount("u-5", "高橋 誠", null, Suspended: true, Locked: false),
        ]);

        var cut = Render<HomePage>();
        cut.WaitForElement("[data-testid=home-accounts-count]");

        Assert.Equal("未確認 2 件", cut.Find("[data-testid=home-emergency-count]").TextContent);
        Assert.Equal("admin/notifications", cut.Find("[data-testid=home-emergency-open]").GetAttribute("href"));
        Assert.Equal("停止中 6 件・ロック中 1 件", cut.Find("[data-testid=home-accounts-count]").TextContent);
        Assert.Equal(["admin/accounts/u-1", "admin/accounts/u-2", "admin/accounts/u-3", "admin/accounts/u-4", "admin/accounts/u-5"],
            cut.FindAll("[data-testid=home-account-open]").Select(a => a.GetAttribute("href")));
        var first = cut.FindAll("[data-testid=home-account]")[0].TextContent;
        Assert.Contains("停止中・ロック中・みどり台総合病院", first, StringComparison.Ordinal);
        Assert.Contains("ロック中（サインインの失敗が続いたため）", cut.FindAll("[data-testid=home-account]")[1].TextContent, StringComparison.Ordinal);
        Assert.Equal("6 件のうち新しい 5 件を表示しています。", cut.Find("[data-testid=home-accounts-shown]").TextContent);
        Assert.Equal("admin/accounts", cut.Find("[data-testid=home-accounts-all]").GetAttribute("href"));
    }

    [Fact]
    public void An_administrator_tile_that_fails_says_so_while_the_other_shows()
    {
        home.Audience = new HomeAudience(Clinical: false, EmergencyReviews: true, Accounts: true);
        home.Emergency = () => throw new BrokenDatabase();
        home.Accounts = () => new AccountsNeedingAttention(1, 0, 1, [new HomeAccount("u-1", "青木 誠一", null, true, false)]);

        var cut = Render<HomePage>();
        cut.WaitForElement("[data-testid=home-emergency-error]");

        Assert.StartsWith("「緊急時アクセスの通知」を読み込めませんでした。", cut.Find("[data-testid=home-emergency-error-text]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("停止中 1 件・ロック中 0 件", cut.Find("[data-testid=home-accounts-count]").TextContent);
    }

    [Fact]
    public void An_account_with_no_tiles_is_told_so()
    {
        home.Audience = HomeAudience.Nobody;

        var cut = Render<HomePage>();

        Assert.Equal("このアカウントには、ホームに表示する項目がありません。左のメニューから操作してください。", cut.Find("[data-testid=home-nothing]").TextContent);
        Assert.Empty(home.Calls);
    }

    [Fact]
    public void In_English_the_tiles_speak_English()
    {
        UseCulture("en");
        home.Letters = () => new UnreadLetters(3, [new HomeLetter("b-1", Noon, "Sakura Clinic")]);
        home.Drafts = () => throw BaseDown();

        var cut = Render<HomePage>();
        cut.WaitForElement("[data-testid=home-letters-count]");
        cut.WaitForElement("[data-testid=home-drafts-error]");

        Assert.Equal("Home", cut.Find("h1").TextContent);
        Assert.Equal("3 unread", cut.Find("[data-testid=home-letters-count]").TextContent);
        Assert.Equal("Showing the newest 1 of 3.", cut.Find("[data-testid=home-letters-shown]").TextContent);
        Assert.StartsWith("Could not load “My drafts”.", cut.Find("[data-testid=home-drafts-error-text]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.DoesNotMatch("[\u3040-\u30ff\u4e00-\u9fff]", cut.Markup);
    }
}

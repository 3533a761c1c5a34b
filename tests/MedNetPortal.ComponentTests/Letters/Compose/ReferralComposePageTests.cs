using MedNetPortal.ComponentTests.Patients;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Letters.Compose;
using MedNetPortal.Web.Features.Patients;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MedNetPortal.ComponentTests.Letters.Compose;

/// <summary>The compose page's states, with the draft store faked (the store itself has integration tests) and time in the test's hand.</summary>
public sealed class ReferralComposePageTests : PortalTestContext
{
    private readonly FakeReferralDrafts drafts = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 3, 1, 0, 0, TimeSpan.Zero));

    public ReferralComposePageTests()
    {
        Services.AddSingleton<IReferralDraftService>(drafts);
        Services.AddSingleton<IFacilityDirectory>(new FakeFacilityDirectory());
        Services.AddSingleton<IPatientRecordService>(new FakeRecords());
        Services.AddSingleton<TimeProvider>(time);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private static ReferralForm Written() => new()
    {
        Purpose = "心窩部痛の精査加療をお願いします。",
        Diagnoses = "心窩部痛",
        Patient = new ReferralFormPatient { Insurer = "01130012", Number = "9876", NameKanji = "新規 太郎" },
    };

    private IRenderedComponent<ReferralComposePage> RenderStored(ReferralForm form, ReferralDraftStatus status = ReferralDraftStatus.Draft)
    {
        drafts.Stored = FakeReferralDrafts.Draft(form, status);
        var cut = Render<ReferralComposePage>(p => p.Add(c => c.DraftId, FakeReferralDrafts.StoredId));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=compose-loading]")));
        return cut;
    }

    private static string Status(IRenderedComponent<ReferralComposePage> cut) => cut.Find("[data-testid=save-status]").TextContent.Trim();

    [Fact]
    public void Loading_shows_a_status_until_the_draft_is_read()
    {
        drafts.Stored = FakeReferralDrafts.Draft(Written());
        drafts.LoadGate = new TaskCompletionSource();

        var cut = Render<ReferralComposePage>(p => p.Add(c => c.DraftId, FakeReferralDrafts.StoredId));

        Assert.Equal("下書きを読み込んでいます…", cut.Find("[data-testid=compose-loading]").TextContent.Trim());
        Assert.Empty(cut.FindAll("form, fieldset"));
        drafts.LoadGate.SetResult();
        cut.WaitForAssertion(() => Assert.Equal("心窩部痛", cut.Find($"#{ReferralText.FieldIds.Diagnoses}").GetAttribute("value")));
    }

    [Fact]
    public void A_new_letter_has_labelled_empty_fields_and_gets_its_draft_on_the_first_pause_in_typing()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        var cut = Render<ReferralComposePage>();
        cut.WaitForAssertion(() => Assert.Equal("入力すると下書きが自動で保存されます", Status(cut)));
        Shown.One(cut.FindAll("[data-testid=patient-new]"));
        Assert.Equal("紹介目的", cut.Find($"label[for={ReferralText.FieldIds.Purpose}]").TextContent.Trim().TrimEnd('*').Trim());
        Assert.Equal("保険者番号", cut.Find($"label[for={ReferralText.FieldIds.PatientInsurer}]").TextContent.Trim());

        cut.Find($"#{ReferralText.FieldIds.Purpose}").Input("精査をお願いします");
        cut.WaitForAssertion(() => Assert.Equal("未保存の変更があります（入力が止まると保存します）", Status(cut)));
        Assert.Empty(drafts.Creates);

        time.Advance(TimeSpan.FromSeconds(1));

        cut.WaitForAssertion(() => Assert.Equal("精査をお願いします", Assert.Single(drafts.Creates).Purpose));
        cut.WaitForAssertion(() => Assert.StartsWith("保存済み ", cut.Find("[data-testid=save-saved]").TextContent.Trim(), StringComparison.Ordinal));
        Assert.EndsWith($"/referrals/drafts/{FakeReferralDrafts.StoredId}", navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void A_restored_draft_shows_what_the_server_holds_and_says_it_is_saved()
    {
        var cut = RenderStored(Written());

        Assert.Equal("下書きは保存されています", Status(cut));
        Assert.Equal("心窩部痛の精査加療をお願いします。", cut.Find($"#{ReferralText.FieldIds.Purpose}").TextContent);
        Assert.Equal("01130012", cut.Find($"#{ReferralText.FieldIds.PatientInsurer}").GetAttribute("value"));
        Assert.Contains("さくら内科クリニック", cut.Find("[data-testid=sender]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=referral-problems]"));
    }

    [Fact]
    public void A_wrong_check_digit_is_named_under_its_field_and_the_preview_names_each_missing_field()
    {
        var form = Written();
        form.Purpose = null;
        var cut = RenderStored(form);

        // The identifier fields take their value after a pause or when left (no red field while a number is half typed).
        cut.Find($"#{ReferralText.FieldIds.PatientInsurer}").Input("01130013");
        cut.Find($"#{ReferralText.FieldIds.PatientInsurer}").Blur();

        cut.WaitForAssertion(() => Assert.Contains("保険者番号の検証番号が一致しません。番号を確認してください。", cut.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain("保険者番号の検証番号", cut.Find($"label[for={ReferralText.FieldIds.PatientNumber}]").ParentElement!.ParentElement!.TextContent, StringComparison.Ordinal);

        drafts.Preview = new DraftPreview(null,
        [
            new(ReferralProblemCode.Required, ReferralField.Purpose, "Purpose"),
            new(ReferralProblemCode.Required, ReferralField.PresentIllness, "PresentIllness"),
        ]);
        cut.Find("[data-testid=preview-button]").Click();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=referral-problem]")));
        var purpose = cut.Find($"[data-testid=referral-problem] a[data-field-id={ReferralText.FieldIds.Purpose}]");
        Assert.Equal("「紹介目的」を入力してください。", purpose.TextContent.Trim());
        Assert.Equal("「現病歴（症状経過及び検査結果）」を入力してください。", cut.Find($"[data-testid=referral-problem] a[data-field-id={ReferralText.FieldIds.PresentIllness}]").TextContent.Trim());
        Assert.Equal("入力が足りないためプレビューを作成できません。上の項目を直してください。", cut.Find("[data-testid=preview-unavailable]").TextContent.Trim());
    }

    [Fact]
    public void Saving_then_saved_with_the_time_in_Japan()
    {
        var cut = RenderStored(Written());
        var gate = new TaskCompletionSource<DraftSaveResult>();
        drafts.SaveGate = gate;

        cut.Find($"#{ReferralText.FieldIds.Remarks}").Input("備考");
        time.Advance(TimeSpan.FromSeconds(1));

        cut.WaitForAssertion(() => Assert.Equal("保存中…", Status(cut)));
        gate.SetResult(new DraftSaveResult(DraftSaveOutcome.Saved, 4, new DateTimeOffset(2026, 12, 3, 1, 30, 15, TimeSpan.Zero)));
        cut.WaitForAssertion(() => Assert.Equal("保存済み 10:30:15", cut.Find("[data-testid=save-saved]").TextContent.Trim()));
        Assert.Equal(("備考", 3L), (drafts.Saves[0].Form.Remarks, drafts.Saves[0].Version));
    }

    [Fact]
    public void A_failed_save_stays_on_screen_with_the_text_and_the_retry_saves_it()
    {
        var cut = RenderStored(Written());
        drafts.SaveFailure = new UnreachableDatabase();

        cut.Find($"#{ReferralText.FieldIds.Remarks}").Input("消えてはいけない備考");
        time.Advance(TimeSpan.FromSeconds(1));

        cut.WaitForAssertion(() => Assert.Equal(
            "下書きを保存できませんでした。入力内容はこの画面に残っています。", cut.Find("[data-testid=save-failed]").TextContent.Replace("再試行", "", StringComparison.Ordinal).Trim()));
        Assert.Equal("消えてはいけない備考", cut.Find($"#{ReferralText.FieldIds.Remarks}").TextContent);

        drafts.SaveFailure = null;
        cut.Find("[data-testid=save-retry]").Click();

        cut.WaitForAssertion(() => Shown.One(cut.FindAll("[data-testid=save-saved]")));
        Assert.Equal("消えてはいけない備考", drafts.Saves[^1].Form.Remarks);
    }

    [Fact]
    public void Another_tabs_newer_version_asks_before_anything_is_written_and_overwrite_saves_this_text()
    {
        var cut = RenderStored(Written());
        drafts.SaveOutcome = DraftSaveOutcome.Conflict;
        cut.Find($"#{ReferralText.FieldIds.Remarks}").Input("タブBの備考");
        time.Advance(TimeSpan.FromSeconds(1));
        cut.WaitForAssertion(() => Shown.One(cut.FindAll("[data-testid=save-conflict]")));

        drafts.SaveOutcome = DraftSaveOutcome.Saved;
        cut.Find("[data-testid=save-overwrite]").Click();

        cut.WaitForAssertion(() => Shown.One(cut.FindAll("[data-testid=save-saved]")));
        Assert.Equal(("タブBの備考", true), (drafts.Saves[^1].Form.Remarks, drafts.Saves[^1].Overwrite));
    }

    [Fact]
    public void While_sending_the_button_says_so_and_is_disabled_then_the_sent_letter_is_read_only_with_its_link()
    {
        var cut = RenderStored(Written());
        drafts.SendGate = new TaskCompletionSource<DraftSendResult>();

        cut.Find("[data-testid=send-button]").Click();

        cut.WaitForAssertion(() => Assert.Equal("送信中…", cut.Find("[data-testid=send-button]").TextContent.Trim()));
        Assert.True(cut.Find("[data-testid=send-button]").HasAttribute("disabled"));
        drafts.SendGate.SetResult(FakeReferralDrafts.Delivered("bundle-42"));

        cut.WaitForAssertion(() => Assert.Contains("紹介状を送信しました。", cut.Find("[data-testid=send-success]").TextContent, StringComparison.Ordinal));
        Assert.Equal("letters/bundle-42", cut.Find("[data-testid=sent-letter-link]").GetAttribute("href"));
        Assert.True(cut.Find("fieldset.referral-form").HasAttribute("disabled"));
        Assert.True(cut.Find("[data-testid=send-button]").HasAttribute("disabled"));
        Assert.Equal([FakeReferralDrafts.StoredId], drafts.Sends);
    }

    [Fact]
    public void A_failed_send_says_what_failed_and_that_sending_again_is_safe_and_offers_it()
    {
        var cut = RenderStored(Written());
        drafts.SendAnswer = FakeReferralDrafts.Failed(FhirApiErrorReason.Unreachable);

        cut.Find("[data-testid=send-button]").Click();

        cut.WaitForAssertion(() => Shown.One(cut.FindAll("[data-testid=send-outcome]")));
        var outcome = cut.Find("[data-testid=send-outcome]").TextContent;
        Assert.Contains("送信できませんでした。", outcome, StringComparison.Ordinal);
        Assert.Contains("共有サーバーに接続できません。", outcome, StringComparison.Ordinal);
        Assert.Contains("もう一度送信して問題ありません", outcome, StringComparison.Ordinal);
        Assert.False(cut.Find("fieldset.referral-form").HasAttribute("disabled"));

        drafts.SendAnswer = FakeReferralDrafts.Delivered("bundle-7");
        cut.Find("[data-testid=send-again]").Click();
        cut.WaitForAssertion(() => Shown.One(cut.FindAll("[data-testid=send-success]")));
        Assert.Empty(cut.FindAll("[data-testid=send-outcome]"));
    }

    [Fact]
    public void A_sent_draft_opens_read_only()
    {
        var cut = RenderStored(Written(), ReferralDraftStatus.Sent);

        Shown.One(cut.FindAll("[data-testid=send-success]"));
        Assert.True(cut.Find("fieldset.referral-form").HasAttribute("disabled"));
    }

    [Fact]
    public void A_missing_draft_a_user_without_facility_and_a_database_failure_each_say_so()
    {
        var missing = Render<ReferralComposePage>(p => p.Add(c => c.DraftId, Guid.NewGuid()));
        missing.WaitForAssertion(() => Assert.Contains("この下書きは見つかりません", missing.Find("[data-testid=compose-not-found]").TextContent, StringComparison.Ordinal));

        drafts.SenderFailure = new InvalidOperationException("No facility.");
        var noFacility = Render<ReferralComposePage>();
        noFacility.WaitForAssertion(() => Shown.One(noFacility.FindAll("[data-testid=compose-no-facility]")));

        drafts.SenderFailure = null;
        drafts.Stored = FakeReferralDrafts.Draft(Written());
        drafts.LoadFailure = new UnreachableDatabase();
        var failed = Render<ReferralComposePage>(p => p.Add(c => c.DraftId, FakeReferralDrafts.StoredId));
        failed.WaitForAssertion(() => Shown.One(failed.FindAll("[data-testid=compose-error]")));
        drafts.LoadFailure = null;
        failed.Find("[data-testid=compose-retry]").Click();
        failed.WaitForAssertion(() => Assert.Equal("下書きは保存されています", Status(failed)));
    }

    [Fact]
    public async Task Leaving_the_page_saves_what_was_typed_before_the_pause()
    {
        var cut = RenderStored(Written());
        cut.Find($"#{ReferralText.FieldIds.PresentIllness}").Input("昨日から労作時の胸");
        Assert.Empty(drafts.Saves);

        await DisposeComponentsAsync();

        Assert.Equal("昨日から労作時の胸", Assert.Single(drafts.Saves).Form.PresentIllness);
    }
}

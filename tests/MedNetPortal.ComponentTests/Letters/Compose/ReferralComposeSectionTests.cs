using MedNetPortal.ComponentTests.Patients;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Features.Letters.Compose;
using MedNetPortal.Web.Features.Patients;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MedNetPortal.ComponentTests.Letters.Compose;

public sealed class DraftSaveStatusTests : PortalTestContext
{
    [Theory]
    [InlineData(DraftSaveState.Idle, false, "入力すると下書きが自動で保存されます")]
    [InlineData(DraftSaveState.Idle, true, "下書きは保存されています")]
    [InlineData(DraftSaveState.Pending, true, "未保存の変更があります（入力が止まると保存します）")]
    [InlineData(DraftSaveState.Saving, true, "保存中…")]
    [InlineData(DraftSaveState.Saved, true, "保存済み 10:30:15")]
    public void Each_state_says_what_the_server_holds(DraftSaveState state, bool hasDraft, string text)
    {
        var cut = Render<DraftSaveStatus>(p => p.Add(c => c.State, state).Add(c => c.HasDraft, hasDraft)
            .Add(c => c.SavedAt, new DateTimeOffset(2026, 12, 3, 1, 30, 15, TimeSpan.Zero)));

        var status = cut.Find("[data-testid=save-status]");
        Assert.Equal(text, status.TextContent.Trim());
        Assert.Equal("polite", status.GetAttribute("aria-live"));
        Assert.Empty(cut.FindAll("[data-testid=save-retry], [data-testid=save-overwrite]"));
    }

    [Fact]
    public void A_failure_keeps_the_text_and_offers_a_retry_and_a_conflict_offers_both_choices()
    {
        var calls = new List<string>();
        var failed = Render<DraftSaveStatus>(p => p.Add(c => c.State, DraftSaveState.Failed).Add(c => c.OnRetry, () => calls.Add("retry")));
        Assert.Contains("入力内容はこの画面に残っています", failed.Find("[data-testid=save-failed]").TextContent, StringComparison.Ordinal);
        failed.Find("[data-testid=save-retry]").Click();

        var conflict = Render<DraftSaveStatus>(p => p.Add(c => c.State, DraftSaveState.Conflict)
            .Add(c => c.OnOverwrite, () => calls.Add("overwrite")).Add(c => c.OnLoadTheirs, () => calls.Add("theirs")));
        conflict.Find("[data-testid=save-overwrite]").Click();
        conflict.Find("[data-testid=save-load-theirs]").Click();

        Assert.Equal(["retry", "overwrite", "theirs"], calls);
    }

    [Fact]
    public void English_has_English_words()
    {
        UseCulture("en-US");
        var cut = Render<DraftSaveStatus>(p => p.Add(c => c.State, DraftSaveState.Pending));

        Assert.Equal("Unsaved changes (saved when you pause typing)", cut.Find("[data-testid=save-status]").TextContent.Trim());
    }
}

public sealed class ReferralSendBarTests : PortalTestContext
{
    [Fact]
    public void Send_is_offered_only_when_it_can_go_and_a_failure_offers_sending_again()
    {
        var sends = 0;
        var blocked = Render<ReferralSendBar>(p => p.Add(c => c.CanSend, false).Add(c => c.ShowPrintHint, true));
        Assert.True(blocked.Find("[data-testid=send-button]").HasAttribute("disabled"));
        Assert.Contains("印刷", blocked.Find("[data-testid=print-hint]").TextContent, StringComparison.Ordinal);

        var failed = Render<ReferralSendBar>(p => p.Add(c => c.CanSend, true)
            .Add(c => c.Outcome, new ReferralSendFeedback("送信できませんでした。", Severity.Error, CanRetry: true))
            .Add(c => c.OnSend, () => sends++));
        Assert.False(failed.Find("[data-testid=send-button]").HasAttribute("disabled"));
        Assert.Empty(failed.FindAll("[data-testid=print-hint]"));
        failed.Find("[data-testid=send-again]").Click();
        Assert.Equal(1, sends);

        var invalid = Render<ReferralSendBar>(p => p.Add(c => c.CanSend, true)
            .Add(c => c.Outcome, new ReferralSendFeedback("送信前の検証で問題が見つかりました。", Severity.Warning, CanRetry: false)));
        Assert.Empty(invalid.FindAll("[data-testid=send-again]"));
    }

    [Fact]
    public void While_sending_both_buttons_wait()
    {
        var cut = Render<ReferralSendBar>(p => p.Add(c => c.CanSend, true).Add(c => c.Sending, true));

        Assert.Equal("送信中…", cut.Find("[data-testid=send-button]").TextContent.Trim());
        Assert.True(cut.Find("[data-testid=send-button]").HasAttribute("disabled"));
        Assert.True(cut.Find("[data-testid=preview-button]").HasAttribute("disabled"));
    }

    [Theory]
    [InlineData(FhirApiErrorReason.Timeout, "送信できませんでした。", true)]
    [InlineData(null, "送信前の検証で問題が見つかりました。", false)]
    public void The_feedback_says_what_failed_and_whether_to_send_again(FhirApiErrorReason? reason, string start, bool retry)
    {
        var result = reason is { } r
            ? FakeReferralDrafts.Failed(r)
            : new DraftSendResult(DraftSendOutcome.Invalid, null, []);

        var feedback = ReferralSendFeedback.For(result, Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<MedNetPortal.Web.Resources.SharedResource>>());

        Assert.StartsWith(start, feedback!.Message, StringComparison.Ordinal);
        Assert.Equal(retry, feedback.CanRetry);
        Assert.Null(ReferralSendFeedback.For(FakeReferralDrafts.Delivered("b-1"), Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<MedNetPortal.Web.Resources.SharedResource>>()));
    }
}

public sealed class ReferralPreviewTests : PortalTestContext
{
    private static readonly AuditRecord Print = new(AuditAction.LetterPrinted);

    [Fact]
    public void Building_says_so_and_a_letter_that_cannot_be_built_says_why_without_claiming_a_check()
    {
        var building = Render<ReferralPreview>(p => p.Add(c => c.Building, true).Add(c => c.PrintAudit, Print));
        Shown.One(building.FindAll("[data-testid=preview-building]"));

        var unavailable = Render<ReferralPreview>(p => p.Add(c => c.PrintAudit, Print)
            .Add(c => c.Preview, new DraftPreview(null, [new(MedNetPortal.Fhir.Letters.ReferralProblemCode.Required, MedNetPortal.Fhir.Letters.ReferralField.Purpose, "Purpose")])));
        Shown.One(unavailable.FindAll("[data-testid=preview-unavailable]"));
        Assert.Empty(unavailable.FindAll("[data-testid=preview-valid], [data-testid=preview-profile-checked]"));

        var notChecked = Render<ReferralPreview>(p => p.Add(c => c.PrintAudit, Print)
            .Add(c => c.Preview, new DraftPreview(null, [], ProfileCheck.Unavailable)));
        Shown.One(notChecked.FindAll("[data-testid=preview-profile-unavailable]"));
        Assert.Empty(notChecked.FindAll("[data-testid=preview-profile-checked]"));
    }
}

public sealed class ReferralDestinationSectionTests : PortalTestContext
{
    private readonly FakeFacilityDirectory directory = new();
    private readonly ReferralForm form = new();
    private readonly List<ReferralFormEdit> edits = [];

    public ReferralDestinationSectionTests() => Services.AddSingleton<IFacilityDirectory>(directory);

    private IRenderedComponent<ReferralDestinationSection> RenderSection() =>
        Render<ReferralDestinationSection>(p => p.Add(c => c.Form, form).Add(c => c.OnEdit, (ReferralFormEdit e) =>
        {
            edits.Add(e);
            e.Apply();
        }));

    [Fact]
    public void A_search_lists_facilities_and_a_pick_fills_the_destination_at_once_and_offers_its_departments()
    {
        var cut = RenderSection();
        Assert.Equal("紹介先医療機関を検索", cut.Find($"label[for={ReferralText.FieldIds.DestinationSearch}]").TextContent.Trim());
        cut.Find($"#{ReferralText.FieldIds.DestinationSearch}").Input("みどり");
        cut.Find("[data-testid=destination-search-button]").Click();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=destination-result]").Count));
        Assert.Equal(["みどり"], directory.Queries);
        cut.FindAll("[data-testid=destination-result] button")[0].Click();

        var pick = Assert.Single(edits);
        Assert.True(pick.AtOnce);
        Assert.Equal(("みどり台総合病院", "1310123455", "〒1760001 東京都練馬区4-5-6"), (form.Destination.Name, form.Destination.Code, form.Destination.Address));
        cut.Render();
        Assert.Contains("みどり台総合病院", cut.Find("[data-testid=destination-picked]").TextContent, StringComparison.Ordinal);
        Assert.Contains("循環器内科", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_search_says_why_and_typing_a_doctor_waits_for_the_pause()
    {
        directory.Failure = FhirApiErrorReason.Timeout;
        var cut = RenderSection();
        cut.Find("[data-testid=destination-search-button]").Click();
        cut.WaitForAssertion(() => Assert.Contains("医療機関を検索できませんでした。", cut.Find("[data-testid=destination-search-error]").TextContent, StringComparison.Ordinal));

        cut.Find($"#{ReferralText.FieldIds.DestinationDoctor}").Input("山田 先生");

        Assert.False(Assert.Single(edits).AtOnce);
        Assert.Equal("山田 先生", form.Destination.DoctorName);
    }

    [Fact]
    public void A_picked_destination_that_takes_no_electronic_letters_says_so()
    {
        form.Destination = new ReferralFormDestination { Name = "すずらん歯科", Code = "1330000001", AcceptsElectronicLetters = false };

        var cut = RenderSection();

        Shown.One(cut.FindAll("[data-testid=destination-not-connected]"));
    }
}

public sealed class ReferralPatientSectionTests : PortalTestContext
{
    private readonly List<ReferralFormEdit> edits = [];

    private IRenderedComponent<ReferralPatientSection> RenderSection(ReferralFormPatient patient) =>
        Render<ReferralPatientSection>(p => p.Add(c => c.Patient, patient).Add(c => c.OnEdit, (ReferralFormEdit e) =>
        {
            edits.Add(e);
            e.Apply();
        }));

    [Fact]
    public void Every_field_of_a_new_patient_has_its_label_and_nothing_is_red_before_typing()
    {
        var cut = RenderSection(new ReferralFormPatient());

        foreach (var (id, label) in new[]
                 {
                     (ReferralText.FieldIds.PatientInsurer, "保険者番号"), (ReferralText.FieldIds.PatientName, "患者氏名（漢字）"),
                     (ReferralText.FieldIds.PatientKana, "患者氏名（カナ）"), (ReferralText.FieldIds.PatientBirthDate, "生年月日"),
                 })
        {
            Shown.One(cut.FindAll("#" + id));
            Assert.Equal(label, cut.Find($"label[for={id}]").TextContent.Trim());
        }

        Assert.Empty(cut.FindAll(".mud-input-error"));
    }

    [Fact]
    public void A_wrong_check_digit_is_named_under_the_insurer_field_and_the_sex_choice_saves_at_once()
    {
        var patient = new ReferralFormPatient { Insurer = "01130013", Number = "9876" };
        var cut = RenderSection(patient);

        Assert.Contains("保険者番号の検証番号が一致しません。番号を確認してください。", cut.Markup, StringComparison.Ordinal);

        cut.Find($"#{ReferralText.FieldIds.PatientSex}").Change(nameof(ReferralSex.Female));

        Assert.True(Assert.Single(edits).AtOnce);
        Assert.Equal(ReferralSex.Female, patient.Sex);
    }

    [Fact]
    public void A_patient_from_the_shared_record_is_shown_not_typed_but_the_address_stays_editable()
    {
        var cut = RenderSection(new ReferralFormPatient { BasePatientId = "p1", NameKanji = "鈴木 トメ", NameKana = "スズキ トメ", Insurer = "39130158", Number = "00123456" });

        Assert.Contains("鈴木 トメ", cut.Find("[data-testid=patient-from-base]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=patient-new]"));
        Shown.One(cut.FindAll($"#{ReferralText.FieldIds.PatientAddress}"));
    }
}

public sealed class ReferralSenderSectionTests : PortalTestContext
{
    [Fact]
    public void The_sender_comes_from_the_account_and_a_directory_failure_says_what_the_letter_will_lack()
    {
        var form = new ReferralForm();
        var shown = Render<ReferralSenderSection>(p => p.Add(c => c.Sender, FakeReferralDrafts.Clinic).Add(c => c.Form, form));
        Assert.Contains("さくら内科クリニック", shown.Find("[data-testid=sender]").TextContent, StringComparison.Ordinal);
        Assert.Contains("桜井 一郎", shown.Find("[data-testid=sender]").TextContent, StringComparison.Ordinal);

        var failed = Render<ReferralSenderSection>(p => p.Add(c => c.Failed, true).Add(c => c.Form, form));
        Assert.Contains("名称と医療機関コードのみ", failed.Find("[data-testid=sender-failed]").TextContent, StringComparison.Ordinal);
        Shown.One(failed.FindAll($"label[for={ReferralText.FieldIds.SenderDepartment}]"));
    }
}

public sealed class ReferralBodySectionTests : PortalTestContext
{
    private readonly FakeRecords records = new() { Answer = () => Samples.Record() };
    private readonly FakeReferralDrafts drafts = new();
    private readonly List<ReferralFormEdit> edits = [];

    public ReferralBodySectionTests()
    {
        Services.AddSingleton<IPatientRecordService>(records);
        Services.AddSingleton<IReferralDraftService>(drafts);
    }

    private IRenderedComponent<ReferralBodySection> RenderSection(ReferralForm form) =>
        Render<ReferralBodySection>(p => p.Add(c => c.Form, form).Add(c => c.OnEdit, (ReferralFormEdit e) =>
        {
            edits.Add(e);
            e.Apply();
        }));

    [Fact]
    public void Typing_waits_for_the_pause_and_the_category_saves_at_once()
    {
        var form = new ReferralForm();
        var cut = RenderSection(form);
        Assert.Equal("現病歴（症状経過及び検査結果）", cut.Find($"label[for={ReferralText.FieldIds.PresentIllness}]").TextContent.Trim().TrimEnd('*').Trim());
        Assert.Empty(cut.FindAll("[data-testid=picks-diagnosis]")); // a typed-in patient has no shared record

        cut.Find($"#{ReferralText.FieldIds.PresentIllness}").Input("昨日から");
        cut.Find($"#{ReferralText.FieldIds.Category}").Change(form.Category);

        Assert.Equal([false, true], edits.Select(e => e.AtOnce));
        Assert.Equal("昨日から", form.PresentIllness);
    }

    [Fact]
    public void For_a_base_patient_a_diagnosis_from_the_shared_record_is_copied_into_the_letter()
    {
        var form = new ReferralForm { Patient = new ReferralFormPatient { BasePatientId = "p1", NameKanji = "鈴木 トメ" } };
        var cut = RenderSection(form);

        cut.Find("[data-testid=picks-diagnosis] [data-testid=picks-open]").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=picks-diagnosis] input[type=checkbox]")));
        cut.Find("#pick-diagnosis-d1").Change(true);

        Assert.Equal([(SharedResourceKind.Diagnosis, "d1")], drafts.Copies);
        Assert.True(Assert.Single(edits).AtOnce);
        Assert.Equal("d1", Assert.Single(form.DiagnosisPicks).SourceId);
    }

    [Fact]
    public void A_refused_shared_record_says_so_next_to_the_picks()
    {
        records.Answer = () => throw new FhirApiException(FhirApiErrorReason.Forbidden, "x");
        var cut = RenderSection(new ReferralForm { Patient = new ReferralFormPatient { BasePatientId = "p1" } });

        cut.Find("[data-testid=picks-diagnosis] [data-testid=picks-open]").Click();

        cut.WaitForAssertion(() => Assert.Contains("再試行", cut.Find("[data-testid=picks-diagnosis]").TextContent, StringComparison.Ordinal));
        Assert.Empty(drafts.Copies);
    }
}

using Bunit.TestDoubles;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.Web.Features.Patients;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.ComponentTests.Patients;

internal sealed class FakeSearch : IPatientSearchService
{
    public int Calls { get; private set; }

    public Func<InsuranceMemberId, PatientSearchResult> Answer { get; set; } = _ => new PatientSearchResult([], 0);

    public TaskCompletionSource? Gate { get; set; }

    public async Task<PatientSearchResult> SearchAsync(InsuranceMemberId memberId, CancellationToken cancellationToken)
    {
        Calls++;
        if (Gate is not null)
        {
            await Gate.Task;
        }

        return Answer(memberId);
    }
}

internal sealed class FakeRecords : IPatientRecordService
{
    public int Loads { get; private set; }

    public int Mores { get; private set; }

    public Func<PatientRecord> Answer { get; set; } = () => throw new FhirApiException(FhirApiErrorReason.ServerUnavailable, "x");

    public TaskCompletionSource? Gate { get; set; }

    public async Task<PatientRecord> LoadAsync(string patientId, CancellationToken cancellationToken)
    {
        Loads++;
        if (Gate is not null)
        {
            await Gate.Task;
        }

        return Answer();
    }

    public Task<PageOf<Diagnosis>> MoreDiagnosesAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken)
    {
        Mores++;
        var items = Enumerable.Range(loadedSoFar, 100).Select(i => Samples.Diagnosis($"d{i}", $"病名{i}")).ToList();
        return Task.FromResult(new PageOf<Diagnosis>(items, new PageInfo(loadedSoFar + 100, 523, "next2")));
    }

    public Task<PageOf<Allergy>> MoreAllergiesAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken) =>
        throw new FhirApiException(FhirApiErrorReason.Timeout, "x");

    public Task<PageOf<LetterSummary>> MoreLettersAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken) =>
        throw new FhirApiException(FhirApiErrorReason.Timeout, "x");

    public Task<PageOf<Allergy>> MoreContraindicationsAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken) =>
        throw new FhirApiException(FhirApiErrorReason.Timeout, "x");

    /// <summary>The next page of labs: HbA1c results on further (earlier) days.</summary>
    public Task<PageOf<LabResult>> MoreLabsAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken)
    {
        Mores++;
        var items = Enumerable.Range(loadedSoFar, 10).Select(i => Samples.Lab($"lab{i}", "HbA1c", 6.0m + (i % 5) / 10m, new DateOnly(2023, 1, 1).AddDays(-i))).ToList();
        return Task.FromResult(new PageOf<LabResult>(items, new PageInfo(loadedSoFar + 10, loadedSoFar + 10, null)));
    }

    public Task<PageOf<LabResult>> MoreInfectionsAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken) =>
        throw new FhirApiException(FhirApiErrorReason.Timeout, "x");

    public Task<PageOf<Prescription>> MorePrescriptionsAsync(string patientId, string nextLink, int loadedSoFar, CancellationToken cancellationToken) =>
        throw new FhirApiException(FhirApiErrorReason.Timeout, "x");
}

internal static class Samples
{
    public static PatientSummary Patient { get; } = new("p1", "鈴木 トメ", "スズキ トメ", PatientSex.Female, "1936-02-20", "39130158::00123456:");

    public static Diagnosis Diagnosis(string id, string name, string? status = "active", bool suspected = false, bool coded = true, bool voided = false, bool uninformed = false) =>
        new(id, name, coded ? [new DiagnosisCode("20054178", PatientMapper.CodeSystemKeys.MedisKeyNumber, null)] : [], suspected, status, voided,
            "2025-03-01", null, "2025-03-05", "医師 太郎", "1311234567", new IndicationMarks(uninformed, false));

    public static Allergy Allergy(string id, string substance, bool high = false, bool voided = false) =>
        new(id, substance, AllergyCategory.Medication, high ? "high" : "low", [new AllergyReaction("発疹", "severe")], voided ? null : "active",
            voided ? "entered-in-error" : "confirmed", null, "2024-06-01", "医師", null, IndicationMarks.None);

    public static LetterSummary Letter(string id, string purpose) =>
        new(id, "2025-02-21T10:15:00+09:00", "診療情報提供書", "練馬中央病院", "循環器 医師", "地域クリニック", "老年内科", purpose, IndicationMarks.None);

    public static LabResult Lab(string id, string name, decimal value, DateOnly day, decimal? low = 4.6m, decimal? high = 6.2m, string unit = "%",
        string facility = "みどり台総合病院", bool infection = false, string? text = null, LabFlag? flag = null, bool undelivered = false) =>
        new(id, name, (infection ? "inf:" : "jlac10:") + name + "|" + unit, [new DiagnosisCode("3D046000001921002", PatientMapper.CodeSystemKeys.Jlac10, null)],
            day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "T09:00:00+09:00",
            text is null ? value : null, text ?? value.ToString(System.Globalization.CultureInfo.InvariantCulture), text is null ? unit : null, low, high,
            low is not null && high is not null ? $"{low}–{high}" : null,
            flag ?? (text is not null ? LabFlag.None : value > high ? LabFlag.High : value < low ? LabFlag.Low : LabFlag.Normal),
            "血清", "青木 誠一", new FacilityRef("1310123455", facility), "final", null, new IndicationMarks(false, undelivered));

    public static Prescription Prescription(string id, string drug, DateOnly start, int days, string facility = "みどり台総合病院", string? identifier = null,
        bool coded = true) =>
        new(id, drug, coded ? [new DiagnosisCode("H-1021", PatientMapper.CodeSystemKeys.LocalCode, null)] : [], null, "1回1錠 1日2回 朝夕食後", "経口", days, null,
            start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), start, start.AddDays(days - 1), "松本 由美",
            new FacilityRef("1310123455", facility), "completed", null, null, identifier, IndicationMarks.None);

    public static PatientRecord Record(int diagnoses = 3, int? total = null) => new(
        Patient,
        Enumerable.Range(0, diagnoses).Select(i => Diagnosis($"d{i}", $"病名{i}", i == 0 ? "resolved" : "active")).ToList(),
        new PageInfo(diagnoses, total ?? diagnoses, total > diagnoses ? "next" : null),
        [Allergy("a1", "ヨード造影剤", high: true)],
        new PageInfo(1, 1, null),
        [Letter("L1", "肺炎の治療後、ご自宅近くでの療養継続とリハビリテーションをお願いいたします。")],
        new PageInfo(1, 1, null));
}

public sealed class PatientLookupTests : PortalTestContext
{
    private readonly FakeSearch search = new();

    public PatientLookupTests()
    {
        Services.AddSingleton<IPatientSearchService>(search);
    }

    [Fact]
    public void Every_field_has_a_label_tied_to_its_input()
    {
        var page = Render<PatientLookup>();

        foreach (var (id, label) in new[] { ("lookup-insurer", "保険者番号"), ("lookup-symbol", "記号"), ("lookup-number", "番号"), ("lookup-branch", "枝番"), ("lookup-pasted", "まとめて貼り付け（保険者番号:記号:番号:枝番）") })
        {
            Assert.Equal(label, page.Find($"label[for={id}]").TextContent.Trim());
            Shown.One(page.FindAll($"input#{id}"));
        }
    }

    [Fact]
    public void Wrong_check_digit_shows_under_the_insurer_field_and_submitting_sends_nothing()
    {
        var page = Render<PatientLookup>();

        page.Find("input#lookup-insurer").Input("06134523");
        page.Find("input#lookup-number").Input("5678");
        page.Find("form").Submit();

        Assert.Contains("保険者番号の検証番号が一致しません", page.Markup, StringComparison.Ordinal);
        Assert.Equal(0, search.Calls);
    }

    [Fact]
    public void Empty_submit_marks_required_fields_and_sends_nothing()
    {
        var page = Render<PatientLookup>();

        page.Find("form").Submit();

        Assert.Contains("入力してください。", page.Markup, StringComparison.Ordinal);
        Assert.Equal("true", page.Find("input#lookup-insurer").GetAttribute("aria-invalid"));
        Assert.Equal("true", page.Find("input#lookup-number").GetAttribute("aria-invalid"));
        Assert.Equal("false", page.Find("input#lookup-symbol").GetAttribute("aria-invalid"));
        Assert.Equal(0, search.Calls);
    }

    [Fact]
    public void Pasted_value_fills_the_fields_and_shows_the_normalised_value()
    {
        var page = Render<PatientLookup>();

        page.Find("input#lookup-pasted").Input("１３８２１４：練馬：12345：");

        Assert.Equal("１３８２１４", page.Find("input#lookup-insurer").GetAttribute("value"));
        var normalised = page.Find("[data-testid=lookup-normalised]").TextContent;
        Assert.Contains("00138214:練馬:12345:", normalised, StringComparison.Ordinal);
        Assert.Contains("全角・半角のどちらで登録されていても検索します", normalised, StringComparison.Ordinal);
        Assert.Contains("先頭に00を付けた8桁", normalised, StringComparison.Ordinal);
    }

    [Fact]
    public void Pasted_value_with_wrong_separators_says_so()
    {
        var page = Render<PatientLookup>();

        page.Find("input#lookup-pasted").Input("06134522:1234:5678");

        Assert.Contains("コロンを3つ入れてください（2個あります）", page.Markup, StringComparison.Ordinal);
    }

    private IRenderedComponent<PatientLookup> SubmitValid()
    {
        var page = Render<PatientLookup>();
        page.Find("input#lookup-pasted").Input("06134522:1234:5678:01");
        page.Find("form").Submit();
        return page;
    }

    [Fact]
    public void Searching_then_not_found_repeats_the_search_and_the_causes()
    {
        search.Gate = new TaskCompletionSource();
        var page = SubmitValid();
        Shown.One(page.FindAll("[data-testid=lookup-searching]"));

        search.Gate.SetResult();

        var message = page.WaitForElement("[data-testid=lookup-not-found]").TextContent;
        Assert.Contains("06134522", message, StringComparison.Ordinal);
        Assert.Contains("枝番のない古い保険証", message, StringComparison.Ordinal);
        Assert.Equal(1, search.Calls);
    }

    [Fact]
    public void Several_matches_are_listed_with_kana_era_birth_date_and_sex()
    {
        search.Answer = _ => new PatientSearchResult(
            [Samples.Patient, Samples.Patient with { Id = "p2", BirthDate = "1972-11-30", Sex = PatientSex.Male }], 2);

        var page = SubmitValid();

        var rows = page.FindAll("[data-testid=lookup-match]");
        Assert.Equal(2, rows.Count);
        Assert.Contains("スズキ トメ", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("昭和11年2月20日", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("男性", rows[1].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void One_match_navigates_to_the_opaque_id()
    {
        search.Answer = _ => new PatientSearchResult([Samples.Patient], 1);

        SubmitValid();

        Assert.EndsWith("/patients/p1", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_failure_shows_a_message_and_retry_searches_again()
    {
        var calls = 0;
        search.Answer = _ => ++calls == 1 ? throw new FhirApiException(FhirApiErrorReason.Unreachable, "x") : new PatientSearchResult([], 0);

        var page = SubmitValid();
        Assert.Contains("共有サーバーに接続できません", page.Find("[data-testid=lookup-error]").TextContent, StringComparison.Ordinal);
        page.Find("[data-testid=lookup-retry]").Click();

        Shown.One(page.FindAll("[data-testid=lookup-not-found]"));
        Assert.Equal(2, search.Calls);
    }
}

public sealed class PatientRecordPageTests : PortalTestContext
{
    private readonly FakeRecords records = new();

    public PatientRecordPageTests()
    {
        Services.AddSingleton<IPatientRecordService>(records);
        Consent.ConsentTestServices.Add(Services);
        Services.AddSingleton<MedNetPortal.Web.Features.Letters.Compose.IReferralDraftStarter>(new Letters.FakeDraftStarter()); // the 紹介状を作成 button
        Services.AddPatientRecordAction<MedNetPortal.Web.Features.Letters.Compose.ComposeReferralButton>();
    }

    [Fact]
    public void Prerender_fetches_nothing_and_shows_loading()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var page = Render<PatientRecordPage>(p => p.Add(x => x.Id, "p1"));

        Shown.One(page.FindAll("[data-testid=record-loading]"));
        Assert.Equal(0, records.Loads);
    }

    [Fact]
    public void Interactive_render_loads_once_and_shows_every_section()
    {
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        records.Gate = new TaskCompletionSource();
        records.Answer = () => Samples.Record(100, 523);

        var page = Render<PatientRecordPage>(p => p.Add(x => x.Id, "p1"));
        Shown.One(page.FindAll("[data-testid=record-loading]"));
        records.Gate.SetResult();

        page.WaitForElement("[data-testid=patient-banner]");
        Assert.Equal(1, records.Loads);
        Assert.Equal("100 / 523件", page.Find("[data-testid=diagnoses-count]").TextContent);
        // A drug allergy is a drug contraindication in the banner, wherever the base put it.
        Assert.Contains("ヨード造影剤", page.Find("[data-testid=patient-contraindications]").TextContent, StringComparison.Ordinal);
        Assert.Single(page.FindAll("[data-testid=letter-row]"));
        foreach (var group in new[] { "diagnoses", "contraindications", "allergies", "prescriptions", "labs", "infections", "letters" })
        {
            Shown.One(page.FindAll($"[data-testid={group}]"));
        }

        page.Find("[data-testid=diagnoses-more]").Click();

        Assert.Equal("200 / 523件", page.Find("[data-testid=diagnoses-count]").TextContent);
        Assert.Equal(200, page.FindAll("[data-testid=diagnosis-row]").Count);
        Assert.Equal(1, records.Mores);
        Assert.Equal(1, records.Loads);
    }

    [Fact]
    public void Timeline_view_shows_the_loaded_items_and_loads_more_of_a_group_in_one_request()
    {
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var record = RecordGroupComponentTests.RecordWithGroups();
        records.Answer = () => record with { Labs = record.Labs with { Page = new PageInfo(2, 12, "next-labs") } };

        var page = Render<PatientRecordPage>(p => p.Add(x => x.Id, "p1"));
        page.WaitForElement("[data-testid=patient-banner]");
        Assert.Equal("true", page.Find("[data-testid=view-groups]").GetAttribute("aria-pressed"));
        page.Find("[data-testid=view-timeline]").Click();

        Assert.Empty(page.FindAll("[data-testid=diagnoses]"));
        Assert.Equal(7, page.FindAll("[data-testid=timeline-item]").Count);
        page.Find("[data-testid=timeline-more-lab]").Click();
        Assert.Equal(1, records.Mores);

        page.WaitForAssertion(() => Assert.Equal(17, page.FindAll("[data-testid=timeline-item]").Count));
        Assert.Equal(1, records.Mores);
        Assert.Equal(1, records.Loads);
        Assert.Empty(page.FindAll("[data-testid=timeline-more-lab]"));

        page.Find("[data-testid=view-groups]").Click();
        Assert.Equal("12 / 12件", page.Find("[data-testid=labs-count]").TextContent);
    }

    [Fact]
    public void Failure_shows_the_reason_and_retry_loads_again()
    {
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var page = Render<PatientRecordPage>(p => p.Add(x => x.Id, "p1"));
        Assert.Contains("共有サーバーが一時的に利用できません", page.Find("[data-testid=record-error]").TextContent, StringComparison.Ordinal);
        records.Answer = () => Samples.Record();
        page.Find("[data-testid=record-retry]").Click();

        page.WaitForElement("[data-testid=patient-banner]");
        Assert.Equal(2, records.Loads);
    }
}

public sealed class PatientSectionTests : PortalTestContext
{
    [Fact]
    public void Banner_masks_the_identifier_until_asked_and_shows_era_and_age()
    {
        var banner = Render<PatientBanner>(p => p.Add(x => x.Patient, Samples.Patient).Add(x => x.Today, new DateOnly(2026, 2, 19)));

        Assert.Equal("3913****::****:", banner.Find("[data-testid=patient-identifier]").TextContent);
        Assert.Contains("昭和11年2月20日", banner.Find("[data-testid=patient-birth]").TextContent, StringComparison.Ordinal);
        Assert.Contains("（89歳）", banner.Find("[data-testid=patient-birth]").TextContent, StringComparison.Ordinal);
        Assert.Empty(banner.FindAll("[data-testid=patient-high-allergies]"));

        banner.Find("[data-testid=patient-identifier-toggle]").Click();

        Assert.Equal("39130158::00123456:", banner.Find("[data-testid=patient-identifier]").TextContent);
    }

    [Fact]
    public void Diagnoses_states_loading_error_empty()
    {
        Shown.One(Render<DiagnosisList>(p => p.Add(x => x.Loading, true)).FindAll("[data-testid=diagnoses-loading]"));
        var error = Render<DiagnosisList>(p => p.Add(x => x.Error, FhirApiErrorReason.Timeout).Add(x => x.OnRetry, () => { }));
        Assert.Contains("傷病名を読み込めませんでした", error.Find("[data-testid=diagnoses-error]").TextContent, StringComparison.Ordinal);
        Assert.Contains("再試行", error.Find("[data-testid=diagnoses-error]").TextContent, StringComparison.Ordinal);
        Shown.One(Render<DiagnosisList>().FindAll("[data-testid=diagnoses-empty]"));
    }

    [Fact]
    public void Diagnoses_put_active_first_mark_suspected_uncoded_uninformed_and_keep_entered_in_error_apart()
    {
        IReadOnlyList<Diagnosis> items =
        [
            Samples.Diagnosis("1", "肺炎", status: "resolved"),
            Samples.Diagnosis("2", "狭心症の疑い", suspected: true),
            Samples.Diagnosis("3", "胸部不快感", coded: false, uninformed: true),
            Samples.Diagnosis("4", "誤った病名", voided: true),
        ];
        var list = Render<DiagnosisList>(p => p.Add(x => x.Items, items).Add(x => x.Page, new PageInfo(4, 4, null)));

        var names = list.FindAll("[data-testid=diagnosis-name]").Select(n => n.TextContent).ToList();
        Assert.Equal(["狭心症の疑い", "胸部不快感", "肺炎"], names);
        Assert.Single(list.FindAll("[data-testid=mark-suspected]"));
        Assert.Single(list.FindAll("[data-testid=mark-uncoded]"));
        Assert.Single(list.FindAll("[data-testid=mark-uninformed]"));
        Assert.Contains("病名管理番号（MEDIS）", list.Markup, StringComparison.Ordinal);
        Assert.Equal("誤った病名", list.Find("[data-testid=diagnoses-entered-in-error] s").TextContent);
        Assert.Equal("4 / 4件", list.Find("[data-testid=diagnoses-count]").TextContent);
        Assert.Empty(list.FindAll("[data-testid=diagnoses-more]"));

        list.Find("[data-testid=diagnoses-filter-resolved]").Click();

        Assert.Equal(["肺炎"], list.FindAll("[data-testid=diagnosis-name]").Select(n => n.TextContent));
        Assert.Contains("読み込み済み4件のうち1件を表示", list.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Allergies_states_and_high_criticality_first_and_entered_in_error_struck()
    {
        Shown.One(Render<AllergyList>(p => p.Add(x => x.Loading, true)).FindAll("[data-testid=allergies-loading]"));
        Shown.One(Render<AllergyList>(p => p.Add(x => x.Error, FhirApiErrorReason.Unreachable)).FindAll("[data-testid=allergies-error]"));
        Shown.One(Render<AllergyList>().FindAll("[data-testid=allergies-empty]"));

        IReadOnlyList<Allergy> items = [Samples.Allergy("1", "そば"), Samples.Allergy("2", "ペニシリン", high: true), Samples.Allergy("3", "ロキソプロフェン", voided: true)];
        var list = Render<AllergyList>(p => p.Add(x => x.Items, items).Add(x => x.Page, new PageInfo(3, 3, null)));

        var rows = list.FindAll("[data-testid=allergy-row]");
        Assert.Equal(2, rows.Count);
        Assert.Contains("ペニシリン", rows[0].TextContent, StringComparison.Ordinal);
        Assert.NotNull(rows[0].QuerySelector("[data-testid=allergy-high]"));
        Assert.Contains("重度", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("ロキソプロフェン", list.Find("[data-testid=allergies-entered-in-error] s").TextContent);
    }

    [Fact]
    public void Letters_states_many_with_paging_and_long_purpose_expands()
    {
        Shown.One(Render<LetterList>(p => p.Add(x => x.Loading, true)).FindAll("[data-testid=letters-loading]"));
        Shown.One(Render<LetterList>(p => p.Add(x => x.Error, FhirApiErrorReason.Unreachable)).FindAll("[data-testid=letters-error]"));
        Shown.One(Render<LetterList>().FindAll("[data-testid=letters-empty]"));

        var longPurpose = string.Concat(Enumerable.Repeat("精査をお願いします。", 10));
        IReadOnlyList<LetterSummary> items = [.. Enumerable.Range(0, 50).Select(i => Samples.Letter($"L{i}", i == 0 ? longPurpose : "短い目的"))];
        var list = Render<LetterList>(p => p.Add(x => x.Items, items).Add(x => x.Page, new PageInfo(50, 75, "next")));

        Assert.Equal(50, list.FindAll("[data-testid=letter-row]").Count);
        Assert.Equal("50 / 75件", list.Find("[data-testid=letters-count]").TextContent);
        Shown.One(list.FindAll("[data-testid=letters-more]"));
        Assert.Equal("letters/L0", list.FindAll("[data-testid=letter-link]")[0].GetAttribute("href"));
        Assert.EndsWith("…", list.FindAll("[data-testid=letter-purpose]")[0].TextContent, StringComparison.Ordinal);

        list.Find("[data-testid=letter-purpose-toggle]").Click();

        Assert.Equal(longPurpose, list.FindAll("[data-testid=letter-purpose]")[0].TextContent);
    }
}

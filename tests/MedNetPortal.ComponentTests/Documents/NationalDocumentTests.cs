using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Documents;
using MedNetPortal.Web.Features.Letters;
using MedNetPortal.Web.Features.Patients;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.ComponentTests.Documents;

/// <summary>The discharge summary and the check-up report in the document viewer, the record's list and 処方.</summary>
public sealed class NationalDocumentTests : PortalTestContext
{
    [Fact]
    public void A_discharge_summary_shows_its_stay_and_its_own_sections_in_order()
    {
        var document = DocumentMapper.Map(DemoDocuments.DischargeSummary(), "ds1")!;

        var cut = Render<DocumentViewer>(p => p.Add(v => v.Document, document));

        Assert.Equal(DocumentKind.DischargeSummary, document.Kind);
        Assert.Equal("退院時サマリー", cut.Find("[data-testid=document-type]").TextContent.Trim());
        Assert.Equal("2025年2月3日 入院 ～ 2025年2月21日 退院", cut.Find("[data-testid=document-stay]").TextContent.Trim());
        Assert.Equal("退院時文書", cut.Find("[data-testid=document-category]").TextContent.Trim());
        Assert.Contains("みどり台総合病院", cut.Find("[data-testid=document-author]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=document-destination]"));
        var titles = cut.FindAll("[data-testid=document-section-title]").Select(e => e.TextContent.Trim()).ToList();
        Assert.Equal(["構造情報", "入院時詳細", "入院時診断", "主訴", "入院理由", "現病歴", "既往歴", "入院中経過", "退院時詳細", "退院時診断", "退院時投薬指示", "退院時方針指示"], titles);
        Assert.Equal(2, cut.Find("[data-section-code='342']").QuerySelectorAll("[data-testid=document-entry][data-kind=Condition]").Length);
        Assert.Equal(3, cut.Find("[data-section-code='344']").QuerySelectorAll("[data-testid=document-entry][data-kind=Condition]").Length);
        Assert.Contains("セフトリアキソン", cut.Find("[data-section-code='333'] [data-testid=document-narrative]").TextContent, StringComparison.Ordinal);
        var medication = cut.Find("[data-section-code='444']");
        Assert.Equal(3, medication.QuerySelectorAll("[data-testid=document-entry][data-kind=Medication]").Length);
        Assert.Contains("酸化マグネシウム錠330mg", medication.TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=document-results]"));
    }

    [Fact]
    public void A_checkup_report_shows_its_results_as_a_table_with_reference_ranges_and_flags()
    {
        var document = DocumentMapper.Map(DemoDocuments.CheckupReport(), "ck1")!;

        var cut = Render<DocumentViewer>(p => p.Add(v => v.Document, document));

        Assert.Equal("健診結果報告書", cut.Find("[data-testid=document-type]").TextContent.Trim());
        Assert.Equal("健康診断結果のお知らせ", cut.Find("[data-testid=document-title]").TextContent.Trim());
        Assert.Equal("後期高齢者健診", cut.Find("[data-testid=document-category]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=document-stay]"));
        var rows = cut.FindAll("[data-testid=document-result]");
        Assert.Equal(15, rows.Count);
        // The Observations are the table; they are not listed a second time as entries.
        Assert.Empty(cut.FindAll("[data-testid=document-entry]"));
        var hba1c = rows.Single(r => r.QuerySelector("[data-testid=document-result-item]")!.TextContent.Contains("ＨｂＡ１ｃ", StringComparison.Ordinal));
        Assert.Equal("6.1", hba1c.QuerySelector("[data-testid=document-result-value]")!.TextContent);
        Assert.Equal("4.6–5.5", hba1c.QuerySelector("[data-testid=document-result-range]")!.TextContent);
        Assert.Equal("↑ 高値", hba1c.QuerySelector("[data-testid=document-result-flag]")!.TextContent);
        Assert.Contains("doc-result-abnormal", hba1c.ClassName, StringComparison.Ordinal);
        var hdl = rows.Single(r => r.TextContent.Contains("ＨＤＬ", StringComparison.Ordinal));
        Assert.Equal("基準範囲内", hdl.QuerySelector("[data-testid=document-result-flag]")!.TextContent);
        var urine = rows.Single(r => r.TextContent.Contains("尿蛋白", StringComparison.Ordinal));
        Assert.Equal("±", urine.QuerySelector("[data-testid=document-result-value]")!.TextContent);
        Assert.Equal(string.Empty, urine.QuerySelector("[data-testid=document-result-range]")!.TextContent);
        Assert.Contains("かかりつけ医", rows[^1].TextContent, StringComparison.Ordinal);
        Assert.Equal(["項目", "結果", "単位", "基準範囲", "判定"], cut.FindAll("[data-testid=document-results] thead th").Select(h => h.TextContent));
    }

    [Fact]
    public void The_official_checkup_report_sample_renders_every_result_of_both_sections()
    {
        var bundle = FhirJson.Deserialize<Hl7.Fhir.Model.Bundle>(Fixture("Bundle-Bundle-eCheckupReport-Sample-01.json"));
        var document = DocumentMapper.Map(bundle, "sample")!;

        var cut = Render<DocumentViewer>(p => p.Add(v => v.Document, document));

        Assert.Equal(DocumentKind.HealthCheckReport, document.Kind);
        Assert.Equal("健康診断結果のお知らせ", cut.Find("[data-testid=document-title]").TextContent.Trim());
        Assert.Equal("特定健診", cut.Find("[data-testid=document-category]").TextContent.Trim());
        Assert.Equal("2024年4月5日", cut.Find("[data-testid=document-date]").TextContent.Trim());
        var tables = cut.FindAll("[data-testid=document-results]");
        Assert.Equal(2, tables.Count);
        // Section 01011 holds 22 results and the two Coverages of the check-up (listed as entries, not as results).
        Assert.Equal(22, tables[0].QuerySelectorAll("[data-testid=document-result]").Length);
        Assert.Equal(2, cut.Find("[data-section-code='01011']").QuerySelectorAll("[data-testid=document-entry]").Length);
        Assert.Equal(22, tables[1].QuerySelectorAll("[data-testid=document-result]").Length);
        var rows = tables[0].QuerySelectorAll("[data-testid=document-result]").ToList();
        var height = rows.Single(r => r.QuerySelector("[data-testid=document-result-item]")!.TextContent.Trim() == "身長");
        Assert.Equal(["身長", "162.3", "cm", "", ""], height.Children.Select(c => c.TextContent.Trim()));
        var systolic = rows.Single(r => r.TextContent.Contains("収縮期血圧（１回目）", StringComparison.Ordinal));
        // The document's own judgement (N) is shown as written, even where the value lies outside the printed range.
        Assert.Equal(["収縮期血圧（１回目）", "149", "mmHg", "80–130", "基準範囲内"], systolic.Children.Select(c => c.TextContent.Trim()));
        var hba1c = rows.Single(r => r.TextContent.Contains("ＨｂＡ１ｃ（ＮＧＳＰ）", StringComparison.Ordinal));
        Assert.Equal(["ＨｂＡ１ｃ（ＮＧＳＰ）", "7", "%", "4.3–5.8", "↑ 高値"], hba1c.Children.Select(c => c.TextContent.Trim()));
        Assert.Contains(rows, r => r.TextContent.Contains("肝機能がわずかに異常", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.TextContent.Contains("特記事項有り", StringComparison.Ordinal));
    }

    [Fact]
    public void The_checkup_table_in_English()
    {
        UseCulture("en-US");
        var document = DocumentMapper.Map(DemoDocuments.CheckupReport(), "ck1")!;

        var cut = Render<DocumentViewer>(p => p.Add(v => v.Document, document));

        Assert.Equal("Health check report", cut.Find("[data-testid=document-type]").TextContent.Trim());
        Assert.Equal(["Item", "Result", "Unit", "Reference range", "Flag"], cut.FindAll("[data-testid=document-results] thead th").Select(h => h.TextContent));
        Assert.Contains("↑ High", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void A_discharge_summary_in_English_names_the_stay()
    {
        UseCulture("en-US");
        var document = DocumentMapper.Map(DemoDocuments.DischargeSummary(), "ds1")!;

        var cut = Render<DocumentViewer>(p => p.Add(v => v.Document, document));

        Assert.Equal("Discharge summary", cut.Find("[data-testid=document-type]").TextContent.Trim());
        Assert.Equal("Admitted 3 Feb 2025, discharged 21 Feb 2025", cut.Find("[data-testid=document-stay]").TextContent.Trim());
    }

    [Fact]
    public void A_checkup_result_tagged_uninformed_carries_its_mark_in_the_table()
    {
        var row = new ResultRow("ＨｂＡ１ｃ", null, "6.1", "%", "4.6–5.5", "H", "UNINFORMED");
        var document = Documents.Sample([new DocumentSection("01011", "健診セクション", "", [], []) { Results = [row] }]);

        var cut = Render<DocumentViewer>(p => p.Add(v => v.Document, document));

        Assert.Contains("未告知", cut.Find("[data-testid=document-result-item]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_letter_page_shows_a_discharge_summary_in_the_viewer_without_the_paper_form()
    {
        var source = new OneDocument(DocumentMapper.Map(DemoDocuments.DischargeSummary(), "ds1"));
        Services.AddSingleton<IDocumentSource>(source);
        Services.AddSingleton<IReadReceiptWriter>(new StubReadReceipts());
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(navigation.GetUriWithQueryParameter("patient", "p1"));
        var cut = Render<LetterPage>(p => p.Add(x => x.Id, "ds1"));
        cut.WaitForElement("[data-testid=document-viewer]");

        Assert.Empty(cut.FindAll("[data-testid=paper-preview-toggle]"));
        Assert.Contains("鈴木 トメ", cut.Find("[data-testid=print-running-header]").TextContent, StringComparison.Ordinal);
        Assert.Equal(("ds1", "p1"), Assert.Single(source.Requests));
    }

    private static string Fixture(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "tests", "MedNetPortal.IntegrationTests", "TestData", "jp-clins", name);
            if (File.Exists(path))
            {
                return File.ReadAllText(path);
            }
        }

        throw new FileNotFoundException(name);
    }

    private sealed class OneDocument(DocumentView? document) : IDocumentSource
    {
        public List<(string, string?)> Requests { get; } = [];

        public Task<DocumentView?> LoadAsync(string id, string? patientId, CancellationToken cancellationToken)
        {
            Requests.Add((id, patientId));
            return Task.FromResult(document);
        }
    }
}

/// <summary>The record's document list and 処方 with a discharge summary and a check-up report.</summary>
public sealed class RecordDocumentTests : PortalTestContext
{
    private static LetterSummary Summary(Hl7.Fhir.Model.Bundle bundle, string id)
    {
        bundle.Id = id;
        return LetterSummaryMapper.ToLetterSummary(bundle)!;
    }

    [Fact]
    public void The_list_names_each_kind_with_its_writer_and_summary_line()
    {
        var letters = new[]
        {
            Summary(DemoDocuments.CheckupReport(), "ck1"),
            Summary(DemoDocuments.DischargeSummary(), "ds1"),
            Summary(DemoLetters.ToDocument(DemoLetters.All[2]), "l1"),
        };

        var cut = Render<LetterList>(p => p.Add(x => x.PatientId, "p1").Add(x => x.Items, letters).Add(x => x.Page, new PageInfo(3, 3, null)));

        var rows = cut.FindAll("[data-testid=letter-row]");
        Assert.Equal(["checkupreport", "dischargesummary", "referralletter"], rows.Select(r => r.GetAttribute("data-kind")));
        Assert.Equal(["健診結果報告書", "退院時サマリー", "診療情報提供書"], cut.FindAll("[data-testid=letter-kind]").Select(k => k.TextContent.Trim()));
        Assert.Contains("はまかぜ記念病院", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("後期高齢者健診", rows[0].QuerySelector("[data-testid=letter-purpose]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("みどり台総合病院", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("肺炎（治癒）", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Equal("letters/ds1?patient=p1", rows[1].QuerySelector("[data-testid=letter-link]")!.GetAttribute("href"));
        Assert.Equal("文書（診療情報提供書・退院時サマリー・健診結果報告書）", cut.Find("#letters-heading").TextContent);
    }

    [Fact]
    public void Discharge_medication_is_counted_once_with_the_record_and_the_summary_only_line_says_where_it_comes_from()
    {
        var summary = Summary(DemoDocuments.DischargeSummary(), "ds1");
        var record = DemoRecords.For(DemoPatients.SuzukiTome.Key);
        var own = record.Medications.Where(m => m.Key is "suzuki-m1" or "suzuki-m2")
            .Select(m => PatientMapper.ToPrescription(DemoClinicalResources.ToMedicationRequest(m, "Patient/p1", k => "Practitioner/" + k), IncludedResources.None) with { Id = m.Key })
            .ToList();
        Assert.Equal(3, summary.Prescriptions.Count);

        var cut = Render<PrescriptionList>(p => p.Add(x => x.Items, own).Add(x => x.DocumentLines, summary.Prescriptions)
            .Add(x => x.Page, new PageInfo(2, 2, null)).Add(x => x.Today, new DateOnly(2025, 3, 1)));

        var rows = cut.FindAll("[data-testid=prescription-row]");
        Assert.Equal(3, rows.Count);
        Assert.Equal(1, rows.Count(r => r.TextContent.Contains("アピキサバン錠2.5mg", StringComparison.Ordinal)));
        var fromSummary = Assert.Single(cut.FindAll("[data-testid=prescription-source]"));
        Assert.Equal("退院時サマリーより", fromSummary.TextContent.Trim());
        Assert.Contains("酸化マグネシウム錠330mg", fromSummary.ParentElement!.ParentElement!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_record_own_lines_every_discharge_line_shows_once_from_the_summary()
    {
        var summary = Summary(DemoDocuments.DischargeSummary(), "ds1");

        var cut = Render<PrescriptionList>(p => p.Add(x => x.Items, Array.Empty<Prescription>()).Add(x => x.DocumentLines, summary.Prescriptions.Concat(summary.Prescriptions).ToList())
            .Add(x => x.Page, new PageInfo(0, 0, null)));

        Assert.Equal(3, cut.FindAll("[data-testid=prescription-row]").Count);
        Assert.Equal(3, cut.FindAll("[data-testid=prescription-source]").Count);
        Assert.Empty(cut.FindAll("[data-testid=prescriptions-empty]"));
    }

    [Fact]
    public void The_timeline_lists_both_documents_as_documents_and_filters_them()
    {
        var record = MedNetPortal.ComponentTests.Patients.Samples.Record(diagnoses: 1) with
        {
            Letters = [Summary(DemoDocuments.CheckupReport(), "ck1"), Summary(DemoDocuments.DischargeSummary(), "ds1")],
            LettersPage = new PageInfo(2, 2, null),
        };

        var timeline = Render<RecordTimelineView>(p => p.Add(x => x.Record, record));
        timeline.Find("[data-testid=timeline-kind-document]").Click();

        var items = timeline.FindAll("[data-testid=timeline-item]");
        Assert.Equal(2, items.Count);
        Assert.Contains("健診結果報告書", items[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("はまかぜ記念病院", items[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("退院時サマリー", items[1].TextContent, StringComparison.Ordinal);
        Assert.Equal("letters/ds1?patient=p1", items[1].QuerySelector("a[data-testid=timeline-title]")!.GetAttribute("href"));

        timeline.Find("[data-testid=timeline-kind-document]").Click();
        timeline.Find("[data-testid=timeline-kind-prescription]").Click();
        // The summary's three discharge lines (the record holds none of them here).
        Assert.Equal(3, timeline.FindAll("[data-testid=timeline-item]").Count);
    }

    [Fact]
    public void An_undelivered_discharge_summary_carries_the_mark_in_the_list_and_on_its_lines()
    {
        var bundle = DemoDocuments.DischargeSummary();
        bundle.Meta!.Tag.Add(new Hl7.Fhir.Model.Coding(JpFhir.Systems.EhrShareIndication, JpFhir.Tags.Undelivered));
        var summary = Summary(bundle, "ds1");

        var list = Render<LetterList>(p => p.Add(x => x.PatientId, "p1").Add(x => x.Items, new[] { summary }).Add(x => x.Page, new PageInfo(1, 1, null)));
        var prescriptions = Render<PrescriptionList>(p => p.Add(x => x.DocumentLines, summary.Prescriptions).Add(x => x.Page, new PageInfo(0, 0, null)));

        Assert.True(summary.Marks.Undelivered);
        Assert.NotEmpty(list.FindAll("[data-testid=mark-undelivered]"));
        Assert.Equal(3, prescriptions.FindAll("[data-testid=mark-undelivered]").Count);
    }
}

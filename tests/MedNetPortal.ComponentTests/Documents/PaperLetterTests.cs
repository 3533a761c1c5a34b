using MedNetPortal.Web.Features.Letters;
using Microsoft.AspNetCore.Components;
using System.Globalization;
using System.Text;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Documents;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.ComponentTests.Documents;

public sealed class PaperLetterTests : PortalTestContext
{
    private static DocumentView Demo(string key) =>
        DocumentMapper.Map(DemoLetters.ToDocument(DemoLetters.All.Single(l => l.Key == key)), key)!;

    private static string Text(AngleSharp.Dom.IElement element) => string.Join(" ", element.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public void The_form_has_the_title_the_date_in_the_era_the_addressee_with_gojishi_and_the_sender_block()
    {
        var clinic = DemoFacilities.Clinic;

        var cut = Render<PaperLetter>(p => p.Add(x => x.Document, Demo("clinic-to-hospital-yamada")));

        Assert.Equal("診療情報提供書", cut.Find("[data-testid=paper-title]").TextContent.Trim());
        Assert.Equal("令和7年1月21日（2025年）", cut.Find("[data-testid=paper-date]").TextContent.Trim());
        Assert.Equal("みどり台総合病院 循環器内科 青木 誠一 先生 御侍史", cut.Find("[data-testid=paper-addressee]").TextContent.Trim());
        Assert.Equal($"〒{clinic.PostalCode} {clinic.AddressText}", cut.Find("[data-testid=paper-sender-address]").TextContent.Trim());
        Assert.Equal(clinic.Name, cut.Find("[data-testid=paper-sender-facility]").TextContent.Trim());
        Assert.Equal($"電話番号 {clinic.Phone}", cut.Find("[data-testid=paper-sender-phone]").TextContent.Trim());
        Assert.Equal("医師氏名 内科 森 一郎", cut.Find("[data-testid=paper-sender-doctor]").TextContent.Trim());
        var patient = DemoPatients.YamadaHanako;
        Assert.Equal(patient.NameKanji, cut.Find("[data-testid=paper-patient-name]").TextContent.Trim());
        Assert.Equal(patient.NameKana, cut.Find("[data-testid=paper-patient-kana]").TextContent.Trim());
        Assert.Equal("女性", cut.Find("[data-testid=paper-patient-sex]").TextContent.Trim());
        Assert.StartsWith("昭和", cut.Find("[data-testid=paper-patient-birth]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.EndsWith("歳）", cut.Find("[data-testid=paper-patient-birth]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains($"患者: {patient.NameKanji}", cut.Find("[data-testid=print-running-header]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_named_doctor_the_letter_goes_to_the_doctor_in_charge()
    {
        var cut = Render<PaperLetter>(p => p.Add(x => x.Document, Demo("dental-to-hospital-ito")));

        Assert.Equal("みどり台総合病院 歯科口腔外科 ご担当先生 御侍史", cut.Find("[data-testid=paper-addressee]").TextContent.Trim());
    }

    [Fact]
    public void Sections_follow_the_paper_form_order_with_every_form_field_shown()
    {
        // The hospital's letter to the clinic has 950, 340, 360, 370, 510, 330, 430, 620 and 220.
        var cut = Render<PaperLetter>(p => p.Add(x => x.Document, Demo("hospital-to-clinic-sato")));

        Assert.Equal(["diagnoses", "purpose", "history", "course", "treatment", "medication", "allergies", "remarks"],
            cut.FindAll("[data-testid=paper-field]").Select(f => f.GetAttribute("data-field")));
        Assert.Equal(["傷病名", "紹介目的", "既往歴及び家族歴", "症状経過及び検査結果", "治療経過", "現在の処方", "アレルギー・不耐性反応", "備考"],
            cut.FindAll(".paper-field-label").Select(h => h.TextContent.Trim()));
        Assert.Equal(["340", "950", "370", "360", "620", "330", "430", "510", "220"],
            cut.FindAll("[data-testid=paper-section]").Select(s => s.GetAttribute("data-section-code")));
        // Sender and destination sections are the blocks at the top, not fields.
        Assert.Empty(cut.FindAll("[data-section-code='920'], [data-section-code='910']"));
    }

    [Fact]
    public void An_empty_form_field_says_so_and_an_unknown_section_comes_after_the_form_with_its_title()
    {
        var sections = new List<DocumentSection>
        {
            new("950", "紹介目的", "<p>精査依頼</p>", [], []),
            new("999", "独自の節", "<p>独自の本文</p>", [], []),
            new("340", "傷病名・主訴", "<p>胸痛</p>", [new DocumentEntry(EntryKind.Condition, "Condition", "狭心症", "I20", [])], []),
        };

        var cut = Render<PaperLetter>(p => p.Add(x => x.Document, Documents.Sample(sections)));

        var fields = cut.FindAll("[data-testid=paper-field]");
        Assert.Equal("other", fields[^1].GetAttribute("data-field"));
        Assert.Contains("独自の節", fields[^1].TextContent, StringComparison.Ordinal);
        Assert.Contains("独自の本文", fields[^1].TextContent, StringComparison.Ordinal);
        Assert.Contains("記載なし", cut.Find("[data-field=history]").TextContent, StringComparison.Ordinal);
        // An entry the narrative does not name is listed, so nothing coded is lost on paper.
        Assert.Contains("狭心症", cut.Find("[data-field=diagnoses]").TextContent, StringComparison.Ordinal);
        // The draft preview has no stored id and no sender section: the author fills the sender block.
        Assert.Contains("港診療所", cut.Find("[data-testid=paper-sender]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_letter_with_ten_thousand_characters_of_history_and_twenty_diagnoses_renders_all_its_text()
    {
        var history = LongHistory(10_000);
        var diagnoses = Enumerable.Range(1, 20).Select(i => $"診断名その{i.ToString(CultureInfo.InvariantCulture)}").ToList();
        var content = new ReferralLetterContent
        {
            Sender = new ReferralSender("港診療所", "1319876543", "〒106-9900 東京都港区新橋1-2-3", "03-9876-5432", "01", "内科", "大河内 勘三郎", null),
            Destination = new ReferralDestination("東京第一テスト病院", "1311234567", "081", "循環器内科"),
            Patient = new ReferralPatient("00131045:あいう:１８７:05", "牧野 爛漫", "マキノ ランマン", new DateOnly(1930, 6, 28), ReferralSex.Female, Address: "〒131-0045 東京都墨田区押上１−１−２"),
            Purpose = "精査をお願いします。",
            Diagnoses = string.Join("\n", diagnoses),
            PresentIllness = "現病歴です。",
            PastAndFamilyHistory = history,
            LocalId = "long-1",
            IssuedAt = new DateTimeOffset(2025, 4, 1, 9, 0, 0, TimeSpan.FromHours(9)),
        };
        var document = DocumentMapper.Map(ReferralDocumentBuilder.Build(content), string.Empty)!;

        var cut = Render<PaperLetter>(p => p.Add(x => x.Document, document));

        Assert.Equal(10_000, history.Length);
        Assert.Contains(history, cut.Find("[data-field=history]").TextContent, StringComparison.Ordinal);
        var diagnosisText = cut.Find("[data-field=diagnoses]").TextContent;
        Assert.All(diagnoses, d => Assert.Contains(d, diagnosisText, StringComparison.Ordinal));
        Assert.Equal(20, cut.Find("[data-field=diagnoses] .paper-narrative").QuerySelectorAll("br").Length + 1);
    }

    [Fact]
    public void English_ui_labels_the_form_in_english_and_leaves_the_letter_text_as_written()
    {
        UseCulture("en-US");

        var cut = Render<PaperLetter>(p => p.Add(x => x.Document, Demo("clinic-to-hospital-yamada")));

        Assert.Equal("みどり台総合病院 循環器内科 Dr 青木 誠一", Text(cut.Find("[data-testid=paper-addressee]")));
        Assert.Equal("21 Jan 2025", cut.Find("[data-testid=paper-date]").TextContent.Trim());
        Assert.Equal("Diagnoses", cut.Find("[data-field=diagnoses] .paper-field-label").TextContent.Trim());
    }

    /// <summary>Exactly <paramref name="length"/> characters of numbered sentences, ending with a recognisable last one.</summary>
    internal static string LongHistory(int length)
    {
        const string last = "以上が既往歴の全てです。";
        var builder = new StringBuilder();
        for (var i = 1; builder.Length < length - last.Length; i++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"【{i:D3}】高血圧症で加療中、父に心筋梗塞の既往があります。");
        }

        builder.Length = length - last.Length;
        return builder.Append(last).ToString();
    }
}

public sealed class LetterPagePrintTests : PortalTestContext
{
    private readonly DocumentView letter = DocumentMapper.Map(DemoLetters.ToDocument(DemoLetters.All[0]), "b1")!;
    private readonly OneDocument source;

    public LetterPagePrintTests()
    {
        source = new OneDocument(letter);
        Services.AddSingleton<IDocumentSource>(source);
        Services.AddSingleton<MedNetPortal.Web.Features.Letters.IReadReceiptWriter>(new StubReadReceipts());
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void A_referral_letter_prints_as_the_paper_form_and_the_toggle_shows_it_on_screen()
    {
        var cut = Render<LetterPage>(p => p.Add(x => x.Id, "b1"));
        cut.WaitForElement("[data-testid=document-viewer]");

        // Screen: the viewer; paper: the form (print-only), with exactly one running header.
        Shown.One(cut.FindAll(".print-hide [data-testid=document-viewer]"));
        Shown.One(cut.FindAll(".print-only [data-testid=paper-letter]"));
        Assert.Single(cut.FindAll("[data-testid=print-running-header]"));

        cut.Find("[data-testid=paper-preview-toggle]").Click();

        Assert.Empty(cut.FindAll("[data-testid=document-viewer]"));
        Shown.One(cut.FindAll(".paper-preview [data-testid=paper-letter]"));
        Assert.Equal("true", cut.Find("[data-testid=paper-preview-toggle]").GetAttribute("aria-pressed"));
        Assert.Single(cut.FindAll("[data-testid=print-running-header]"));
    }

    [Fact]
    public void A_document_that_is_not_a_referral_letter_prints_as_viewed()
    {
        source.Document = letter with { Kind = DocumentKind.DischargeSummary };

        var cut = Render<LetterPage>(p => p.Add(x => x.Id, "b1"));
        cut.WaitForElement("[data-testid=document-viewer]");

        Assert.Empty(cut.FindAll("[data-testid=paper-letter]"));
        Assert.Empty(cut.FindAll("[data-testid=paper-preview-toggle]"));
        Assert.Single(cut.FindAll("[data-testid=print-running-header]"));
    }

    private sealed class OneDocument(DocumentView document) : IDocumentSource
    {
        public DocumentView Document { get; set; } = document;

        public Task<DocumentView?> LoadAsync(string id, string? patientId, CancellationToken cancellationToken) => Task.FromResult<DocumentView?>(Document);
    }
}

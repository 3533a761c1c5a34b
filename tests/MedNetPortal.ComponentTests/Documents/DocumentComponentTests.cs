using MedNetPortal.Web.Features.Letters;
using AngleSharp.Dom;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Documents;
using MedNetPortal.Web.Features.Letters.Mailbox;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.ComponentTests.Documents;

public sealed class DocumentViewerTests : PortalTestContext
{
    [Fact]
    public void A_demo_letter_shows_its_header_and_every_section_in_order_with_entries_beside_the_narrative()
    {
        var letter = DemoLetters.All.Single(l => l.Key == "hospital-to-clinic-sato");
        var document = DocumentMapper.Map(DemoLetters.ToDocument(letter), "d1")!;

        var cut = Render<DocumentViewer>(p => p.Add(v => v.Document, document));

        Assert.Equal("診療情報提供書", cut.Find("[data-testid=document-title]").TextContent.Trim());
        Assert.Contains(letter.FromFacility.Name, cut.Find("[data-testid=document-sender]").TextContent, StringComparison.Ordinal);
        Assert.Contains(letter.ToFacility.Name, cut.Find("[data-testid=document-destination]").TextContent, StringComparison.Ordinal);
        Assert.Contains(letter.Patient.NameKanji, cut.Find("[data-testid=document-patient]").TextContent, StringComparison.Ordinal);
        Assert.Equal("2024年11月6日", cut.Find("[data-testid=document-date]").TextContent.Trim());
        var titles = cut.FindAll("[data-testid=document-section-title]").Select(e => e.TextContent.Trim()).ToList();
        Assert.Equal(document.AllSections.Select(s => s.Title), titles);
        var diagnoses = cut.Find("[data-section-code='340']");
        Assert.NotNull(diagnoses.QuerySelector(".doc-two-column"));
        Assert.Equal(2, diagnoses.QuerySelectorAll("[data-testid=document-entry][data-kind=Condition]").Length);
        Assert.Contains("傷病名", diagnoses.QuerySelector("[data-testid=document-entry]")!.TextContent, StringComparison.Ordinal);
        // Nested sections sit inside their parent (indented by CSS).
        Assert.NotNull(cut.Find("[data-section-code='300']").QuerySelector("[data-section-code='950']"));
    }

    [Fact]
    public void English_labels_and_dates_in_the_English_ui()
    {
        UseCulture("en-US");
        var document = DocumentMapper.Map(DemoLetters.ToDocument(DemoLetters.All[1]), "d1")!;

        var cut = Render<DocumentViewer>(p => p.Add(v => v.Document, document));

        Assert.Equal("6 Nov 2024", cut.Find("[data-testid=document-date]").TextContent.Trim());
        Assert.Contains("From", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Diagnosis", cut.Find("[data-section-code='340'] [data-testid=document-entry]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_twenty_section_document_shows_all_twenty()
    {
        var sections = Enumerable.Range(1, 20)
            .Select(i => new DocumentSection(i.ToString(System.Globalization.CultureInfo.InvariantCulture), $"節{i}", $"<p>本文{i}</p>", [], []))
            .ToList();
        var document = Documents.Sample(sections);

        var cut = Render<DocumentViewer>(p => p.Add(v => v.Document, document));

        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"節{i}"), cut.FindAll("[data-testid=document-section-title]").Select(e => e.TextContent.Trim()));
        Assert.Equal(20, cut.FindAll("[data-testid=document-narrative] p").Count);
    }

    [Fact]
    public void A_document_without_sections_says_so()
    {
        var cut = Render<DocumentViewer>(p => p.Add(v => v.Document, Documents.Sample([])));

        Shown.One(cut.FindAll("[data-testid=document-no-sections]"));
    }

    [Fact]
    public void Tagged_entries_carry_their_mark()
    {
        var entry = new DocumentEntry(EntryKind.Condition, "Condition", "胃癌", null, [], "UNINFORMED");
        var document = Documents.Sample([new DocumentSection("340", "傷病名", "", [entry], [])]);

        var cut = Render<DocumentViewer>(p => p.Add(v => v.Document, document));

        Assert.Equal("未告知", cut.Find("[data-testid=document-entry-indication]").TextContent.Trim());
    }
}

public sealed class LetterPageTests : PortalTestContext
{
    private readonly StubDocumentSource source = new();
    private readonly StubReadReceipts receipts = new();

    public LetterPageTests()
    {
        Services.AddSingleton<IDocumentSource>(source);
        Services.AddSingleton<IReadReceiptWriter>(receipts);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void The_interactive_render_asks_for_the_read_receipt_once_with_the_letter_routing_and_a_failing_receipt_still_shows_the_letter()
    {
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var letter = DemoLetters.All[0];
        source.Next = id => Task.FromResult(DocumentMapper.Map(DemoLetters.ToDocument(letter), id));
        receipts.Outcome = ReceiptOutcome.Failed;

        var cut = Render<LetterPage>(p => p.Add(x => x.Id, "b1"));
        cut.WaitForElement("[data-testid=document-viewer]");
        cut.Render();
        cut.Render();

        var (id, routing) = Assert.Single(receipts.Calls);
        Assert.Equal("b1", id);
        Assert.Equal(letter.BundleIdentifier, routing!.BundleIdentifier);
        Assert.Equal(letter.FromFacility.Code, routing.SenderCode);
        Assert.Equal(letter.ToFacility.Code, routing.DestinationCode);
        Shown.One(cut.FindAll("[data-testid=document-viewer]"));
    }

    [Fact]
    public void The_prerender_writes_no_receipt()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        source.Next = id => Task.FromResult(DocumentMapper.Map(DemoLetters.ToDocument(DemoLetters.All[0]), id));

        var cut = Render<LetterPage>(p => p.Add(x => x.Id, "b1"));
        cut.WaitForElement("[data-testid=document-viewer]");

        Assert.Empty(receipts.Calls);
    }

    [Fact]
    public void Shows_loading_until_the_document_arrives_then_the_document_with_a_print_header()
    {
        var pending = new TaskCompletionSource<DocumentView?>();
        source.Next = _ => pending.Task;

        var cut = Render<LetterPage>(p => p.Add(x => x.Id, "b1"));

        Shown.One(cut.FindAll("[data-testid=letter-loading]"));
        pending.SetResult(DocumentMapper.Map(DemoLetters.ToDocument(DemoLetters.All[0]), "b1"));
        cut.WaitForElement("[data-testid=document-viewer]");
        Assert.Contains(DemoLetters.All[0].Patient.NameKanji, cut.Find("[data-testid=print-running-header]").TextContent, StringComparison.Ordinal);
        Shown.One(cut.FindAll("[data-testid=print-button]"));
        Assert.Equal(["b1"], source.Requests);
    }

    [Fact]
    public void Not_found_says_so()
    {
        source.Next = _ => Task.FromResult<DocumentView?>(null);

        var cut = Render<LetterPage>(p => p.Add(x => x.Id, "missing"));

        Shown.One(cut.FindAll("[data-testid=letter-not-found]"));
        Assert.Empty(cut.FindAll("[data-testid=document-viewer]"));
    }

    [Fact]
    public void An_error_shows_what_failed_and_retry_loads_again()
    {
        source.Next = _ => throw new FhirApiException(FhirApiErrorReason.ServerUnavailable, FhirApiException.DefaultMessage(FhirApiErrorReason.ServerUnavailable));

        var cut = Render<LetterPage>(p => p.Add(x => x.Id, "b1"));

        Assert.Contains("文書を読み込めませんでした", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("unavailable", cut.Find("[data-testid=letter-error]").TextContent, StringComparison.Ordinal);
        source.Next = _ => Task.FromResult(DocumentMapper.Map(DemoLetters.ToDocument(DemoLetters.All[0]), "b1"));
        cut.Find("[data-testid=letter-retry]").Click();
        cut.WaitForElement("[data-testid=document-viewer]");
        Assert.Equal(["b1", "b1"], source.Requests);
    }

    private sealed class StubDocumentSource : IDocumentSource
    {
        public Func<string, Task<DocumentView?>> Next { get; set; } = _ => Task.FromResult<DocumentView?>(null);

        public List<string> Requests { get; } = [];

        public Task<DocumentView?> LoadAsync(string id, string? patientId, CancellationToken cancellationToken)
        {
            Requests.Add(id);
            return Next(id);
        }
    }
}

internal static class Documents
{
    public static DocumentView Sample(IReadOnlyList<DocumentSection> sections) =>
        new("x", DocumentKind.ReferralLetter, "57133-1", "診療情報提供書", "診療情報提供書", "2025-04-01", "1.0",
            new DocumentParty("港診療所", null, "大河内 勘三郎"), null, null, new DocumentPatient("山田 花子", "ヤマダ ハナコ", "1950-05-01", "female"), sections);
}

using MedNetPortal.Web.Features.Patients;

namespace MedNetPortal.ComponentTests.Patients;

public sealed class PagingFooterTests : PortalTestContext
{
    [Fact]
    public void A_total_above_the_rows_shown_without_a_next_link_says_the_rest_cannot_be_shown()
    {
        var footer = Render<PagingFooter>(p => p
            .Add(f => f.TestId, "diagnoses")
            .Add(f => f.Page, new PageInfo(20, 342, null)));

        Assert.Equal("342件のうち20件しか表示できません。中央基盤が続きのページを返しませんでした。残りは基盤の管理者にお問い合わせください。",
            footer.Find("[data-testid=diagnoses-truncated]").TextContent.Trim());
        Assert.Empty(footer.FindAll("[data-testid=diagnoses-more]"));
    }

    [Fact]
    public void A_next_link_offers_more_and_no_truncation_notice()
    {
        var footer = Render<PagingFooter>(p => p
            .Add(f => f.TestId, "diagnoses")
            .Add(f => f.Page, new PageInfo(20, 342, "https://base.example/fhir?page=2")));

        Assert.Single(footer.FindAll("[data-testid=diagnoses-more]"));
        Assert.Empty(footer.FindAll("[data-testid=diagnoses-truncated]"));
    }

    [Fact]
    public void Everything_loaded_shows_no_notice()
    {
        var footer = Render<PagingFooter>(p => p
            .Add(f => f.TestId, "diagnoses")
            .Add(f => f.Page, new PageInfo(20, 20, null)));

        Assert.Empty(footer.FindAll("[data-testid=diagnoses-truncated]"));
        Assert.Equal("20 / 20件", footer.Find("[data-testid=diagnoses-count]").TextContent.Trim());
    }

    [Fact]
    public void The_notice_reads_in_English_too()
    {
        UseCulture("en-US");
        var footer = Render<PagingFooter>(p => p
            .Add(f => f.TestId, "letters")
            .Add(f => f.Page, new PageInfo(5, 9, null)));

        Assert.StartsWith("Only 5 of 9 can be shown", footer.Find("[data-testid=letters-truncated]").TextContent.Trim(), StringComparison.Ordinal);
    }
}

using MedNetPortal.ComponentTests.Patients;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Patients;
using MedNetPortal.Web.Host.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.ComponentTests.Faults;

/// <summary>Each way the central base can fail, as the lookup and record pages put it: a reason in words and a retry.</summary>
public sealed class FaultMessageTests : PortalTestContext
{
    private readonly FakeSearch search = new();
    private readonly FakeRecords records = new();

    public FaultMessageTests()
    {
        Services.AddSingleton<IPatientSearchService>(search);
        Services.AddSingleton<IPatientRecordService>(records);
        Consent.ConsentTestServices.Add(Services);
        Services.AddSingleton<MedNetPortal.Web.Features.Letters.Compose.IReferralDraftStarter>(new Letters.FakeDraftStarter());
        Services.AddPatientRecordAction<MedNetPortal.Web.Features.Letters.Compose.ComposeReferralButton>();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    public static TheoryData<FhirApiErrorReason, string> Reasons => new()
    {
        { FhirApiErrorReason.Unreachable, "共有サーバーに接続できません" },
        { FhirApiErrorReason.Timeout, "応答" },
        { FhirApiErrorReason.ServerUnavailable, "共有サーバーが一時的に利用できません" },
        { FhirApiErrorReason.MalformedResponse, "読み取れ" },
        { FhirApiErrorReason.CircuitOpen, "一時停止" },
    };

    [Theory]
    [MemberData(nameof(Reasons))]
    public void Lookup_names_the_fault_and_retry_searches_again(FhirApiErrorReason reason, string words)
    {
        var calls = 0;
        search.Answer = _ => ++calls == 1 ? throw new FhirApiException(reason, "x") : new PatientSearchResult([], 0);
        var page = Render<PatientLookup>();
        page.Find("input#lookup-pasted").Input("06134522:1234:5678:01");
        page.Find("form").Submit();

        Assert.Contains(words, page.Find("[data-testid=lookup-error]").TextContent, StringComparison.Ordinal);
        page.Find("[data-testid=lookup-retry]").Click();

        Shown.One(page.FindAll("[data-testid=lookup-not-found]"));
        Assert.Equal(2, search.Calls);
    }

    [Theory]
    [MemberData(nameof(Reasons))]
    public void Record_page_names_the_fault_and_retry_loads_again(FhirApiErrorReason reason, string words)
    {
        records.Answer = () => throw new FhirApiException(reason, "x");
        var page = Render<PatientRecordPage>(p => p.Add(x => x.Id, "p1"));

        Assert.Contains(words, page.Find("[data-testid=record-error]").TextContent, StringComparison.Ordinal);
        records.Answer = () => Samples.Record();
        page.Find("[data-testid=record-retry]").Click();

        page.WaitForElement("[data-testid=patient-banner]");
        Assert.Equal(2, records.Loads);
    }

    [Fact]
    public void Lookup_over_the_rate_limit_says_to_wait_and_offers_a_retry()
    {
        var calls = 0;
        search.Answer = _ => ++calls == 1 ? throw new RateLimitExceededException(RateLimitKind.Lookup, TimeSpan.FromSeconds(30)) : new PatientSearchResult([], 0);
        var page = Render<PatientLookup>();
        page.Find("input#lookup-pasted").Input("06134522:1234:5678:01");
        page.Find("form").Submit();

        Assert.Contains("検索が多すぎます。しばらくしてから", page.Find("[data-testid=lookup-error]").TextContent, StringComparison.Ordinal);
        page.Find("[data-testid=lookup-retry]").Click();
        Shown.One(page.FindAll("[data-testid=lookup-not-found]"));
    }
}

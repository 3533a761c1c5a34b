using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Letters.Compose;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.ComponentTests.Letters;

public sealed class ReferralProblemListTests : PortalTestContext
{
    [Fact]
    public void Each_problem_is_a_localised_message_that_links_to_its_field_and_asks_the_page_to_focus_it()
    {
        var form = new ReferralForm { Patient = new ReferralFormPatient { Insurer = "01130013", Number = "1", BirthDate = "2000-01-01" } };
        var sender = new ReferralSenderInfo("さくら内科クリニック", "1310267898", null, null, "桜井 一郎");
        var problems = ReferralFormMapper.Validate(form, sender, "R1", DateTimeOffset.Now);
        string? focused = null;

        var cut = Render<ReferralProblemList>(p => p
            .Add(c => c.Problems, problems)
            .Add(c => c.OnFocus, (string id) => focused = id));

        var links = cut.FindAll("[data-testid=referral-problem] a");
        Assert.Equal(problems.Count, links.Count);
        var purpose = links.Single(a => a.GetAttribute("data-field-id") == ReferralText.FieldIds.Purpose);
        Assert.Equal("#" + ReferralText.FieldIds.Purpose, purpose.GetAttribute("href"));
        Assert.Equal("「紹介目的」を入力してください。", purpose.TextContent.Trim());
        var insurer = links.Single(a => a.GetAttribute("data-field-id") == ReferralText.FieldIds.PatientInsurer);
        Assert.Contains("患者の被保険者番号が正しくありません。", insurer.TextContent, StringComparison.Ordinal);
        Assert.Contains("検証番号", insurer.TextContent, StringComparison.Ordinal); // the identifier problem itself, localised
        Assert.Contains(links, a => a.GetAttribute("data-field-id") == ReferralText.FieldIds.DestinationSearch);
        Assert.Contains(links, a => a.GetAttribute("data-field-id") == ReferralText.FieldIds.PresentIllness);

        purpose.Click();

        Assert.Equal(ReferralText.FieldIds.Purpose, focused);
    }

    [Fact]
    public void A_structural_problem_says_it_cannot_be_fixed_in_the_form_and_English_has_English_messages()
    {
        UseCulture("en-US");
        IReadOnlyList<ReferralProblem> problems =
        [
            new(ReferralProblemCode.FullUrlNotUuid, ReferralField.Document, "Bundle.entry[0].fullUrl"),
            new(ReferralProblemCode.Required, ReferralField.Purpose, "Purpose"),
        ];

        var cut = Render<ReferralProblemList>(p => p.Add(c => c.Problems, problems));

        var items = cut.FindAll("[data-testid=referral-problem]");
        Assert.Empty(items[0].QuerySelectorAll("a"));
        Assert.Contains("cannot be fixed in the form", items[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("Enter the Purpose of referral.", items[1].QuerySelector("a")!.TextContent.Trim());
    }

    [Theory]
    [InlineData("ja-JP", "「患者住所」: 公式プロファイル（JP-CLINS）で必須の項目 address がありません。", "検証器の報告: Missing required member: 'address'（Bundle.entry[1].resource）")]
    [InlineData("en-US", "Patient address: the official JP-CLINS profiles require address, which is missing.", "Validator: Missing required member: 'address' (Bundle.entry[1].resource)")]
    public void An_official_profile_error_is_localised_links_to_its_field_and_shows_the_validators_words(string culture, string message, string detail)
    {
        UseCulture(culture);
        IReadOnlyList<ReferralProblem> problems =
        [
            new(ReferralProblemCode.ProfileViolation, ReferralField.PatientAddress, "Bundle.entry[1].resource")
            {
                Profile = ReferralProfileProblems.Describe("Missing required member: 'address'"),
            },
        ];

        var cut = Render<ReferralProblemList>(p => p.Add(c => c.Problems, problems));

        var link = cut.Find("[data-testid=referral-problem] a");
        Assert.Equal(ReferralText.FieldIds.PatientAddress, link.GetAttribute("data-field-id"));
        Assert.Equal(message, link.TextContent.Trim());
        Assert.Equal(detail, cut.Find("[data-testid=referral-problem-detail]").TextContent.Trim());
    }

    [Fact]
    public void No_problems_render_nothing()
    {
        var cut = Render<ReferralProblemList>(p => p.Add(c => c.Problems, Array.Empty<ReferralProblem>()));

        Assert.Empty(cut.FindAll("[data-testid=referral-problems]"));
    }
}

public sealed class DestinationStatusTests : PortalTestContext
{
    [Fact]
    public void A_destination_that_is_not_connected_says_so_and_offers_the_printed_letter()
    {
        var cut = Render<DestinationStatus>(p => p.Add(c => c.AcceptsElectronicLetters, false));

        var warning = cut.Find("[data-testid=destination-not-connected]");
        Assert.Contains("電子的な紹介状の受け取りに対応していません", warning.TextContent, StringComparison.Ordinal);
        Assert.Contains("印刷", warning.TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=destination-unknown]"));
    }

    [Fact]
    public void An_unknown_destination_allows_sending_with_a_note_and_a_connected_one_says_it_receives()
    {
        var unknown = Render<DestinationStatus>(p => p.Add(c => c.AcceptsElectronicLetters, (bool?)null));
        var connected = Render<DestinationStatus>(p => p.Add(c => c.AcceptsElectronicLetters, true));

        Assert.Contains("確認できていません", unknown.Find("[data-testid=destination-unknown]").TextContent, StringComparison.Ordinal);
        Assert.Empty(unknown.FindAll("[data-testid=destination-not-connected]"));
        Shown.One(connected.FindAll("[data-testid=destination-connected]"));
    }
}

internal sealed class FakeDraftStarter : IReferralDraftStarter
{
    public List<string?> Calls { get; } = [];

    public DraftCreateResult Answer { get; set; } = new(DraftCreateOutcome.Created, Guid.Parse("6f1c1a52-8a3e-4a6b-9f57-2b7c1f0e9d11"));

    public Task<DraftCreateResult> CreateAsync(string? basePatientId, CancellationToken cancellationToken)
    {
        Calls.Add(basePatientId);
        return Task.FromResult(Answer);
    }
}

public sealed class ComposeReferralButtonTests : PortalTestContext
{
    private readonly FakeDraftStarter starter = new();

    public ComposeReferralButtonTests()
    {
        Services.AddSingleton<IReferralDraftStarter>(starter);
    }

    [Fact]
    public void Creates_the_draft_on_the_server_for_the_patient_and_goes_to_it_with_only_the_draft_id_in_the_url()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        var cut = Render<ComposeReferralButton>(p => p.Add(c => c.PatientId, "p-123"));

        Assert.Equal("紹介状を作成", cut.Find("[data-testid=compose-referral]").TextContent.Trim());
        cut.Find("[data-testid=compose-referral]").Click();

        Assert.Equal(["p-123"], starter.Calls);
        Assert.EndsWith("/referrals/drafts/6f1c1a52-8a3e-4a6b-9f57-2b7c1f0e9d11", navigation.Uri, StringComparison.Ordinal);
        Assert.DoesNotContain("p-123", navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_without_a_facility_is_told_why_and_stays()
    {
        starter.Answer = new DraftCreateResult(DraftCreateOutcome.NoFacility, null);
        var navigation = Services.GetRequiredService<NavigationManager>();
        var before = navigation.Uri;
        var cut = Render<ComposeReferralButton>(p => p.Add(c => c.PatientId, "p-123"));

        cut.Find("[data-testid=compose-referral]").Click();

        Assert.Contains("医療機関に所属していない", cut.Find("[data-testid=compose-referral-error]").TextContent, StringComparison.Ordinal);
        Assert.Equal(before, navigation.Uri);
    }
}

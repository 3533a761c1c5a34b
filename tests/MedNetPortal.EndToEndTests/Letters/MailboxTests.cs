using System.Net.Http.Json;
using System.Text.Json;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Demo;
using Microsoft.Playwright;
using FhirJson = MedNetPortal.Fhir.FhirJson;

namespace MedNetPortal.EndToEndTests.Letters;

/// <summary>
/// A clinic → hospital letter through the browser, posted to the base as a bare document Bundle (as an outside EHR would;
/// the embedded base gives it its DocumentReference and routing Task): 未開封 in the clinic's outbox and unread (bold) in the
/// hospital's inbox; the clinic opening its own letter changes nothing; the hospital opens it from the inbox (the document
/// view), its Task goes from requested to received, then it is 既読 there and 開封済み in the clinic's outbox.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MailboxTests(BrowserFixture browser)
{
    // A page loads once its circuit is up; on a busy 2-core machine that can take longer than Playwright's 5 s default.
    private const float Slow = 30_000;

    [Fact]
    public async Task A_sent_letter_is_unread_in_the_hospital_inbox_read_after_opening_and_opened_in_the_clinic_outbox()
    {
        var id = await SendLetterAsync();
        var row = $"[data-testid=mailbox-row][data-letter-id='{id}']";

        await using var clinicContext = await browser.NewContextAsync();
        var clinic = await clinicContext.NewPageAsync();
        await SignIn.AsAsync(clinic, "doctor@clinic.example");
        // The menu links there; opened by address, because a click before the page is live can be lost.
        await Assertions.Expect(clinic.GetByTestId("nav-drawer").GetByRole(AriaRole.Link, new() { Name = "送信済み" })).ToHaveAttributeAsync("href", "referrals/outbox");
        await clinic.GotoInteractiveAsync("referrals/outbox");
        await Assertions.Expect(clinic.Locator($"{row} [data-testid=mailbox-state]")).ToHaveTextAsync("未開封", new() { Timeout = Slow });
        await Assertions.Expect(clinic).ToHaveTitleAsync("送信済みの紹介状 - MedNetPortal", new() { Timeout = Slow });
        // The sender reading its own letter writes no receipt.
        await clinic.Locator($"{row} [data-testid=mailbox-open]").ClickAsync();
        await Assertions.Expect(clinic.Locator("[data-testid=document-viewer]")).ToBeVisibleAsync(new() { Timeout = Slow });

        await using var hospitalContext = await browser.NewContextAsync();
        var hospital = await hospitalContext.NewPageAsync();
        await SignIn.AsAsync(hospital, "doctor@hospital.example");
        // The menu links there; opened by address, because a click before the page is live can be lost.
        await Assertions.Expect(hospital.GetByTestId("nav-drawer").GetByRole(AriaRole.Link, new() { Name = "受信箱" })).ToHaveAttributeAsync("href", "referrals/inbox");
        await hospital.GotoInteractiveAsync("referrals/inbox");
        await Assertions.Expect(hospital.Locator($"{row} [data-testid=mailbox-state]")).ToHaveTextAsync("未読", new() { Timeout = Slow });
        await Assertions.Expect(hospital.Locator(row)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mailbox-unread"), new() { Timeout = Slow });
        await Assertions.Expect(hospital.Locator($"{row}")).ToContainTextAsync("開封 確認", new() { Timeout = Slow });
        await Assertions.Expect(hospital.Locator($"{row}")).ToContainTextAsync(DemoFacilities.Clinic.Name, new() { Timeout = Slow });
        Assert.Equal("requested", await TaskStatusAsync());

        await hospital.Locator($"{row} [data-testid=mailbox-open]").ClickAsync();
        await Assertions.Expect(hospital.Locator("[data-testid=document-viewer]")).ToBeVisibleAsync(new() { Timeout = Slow });
        await Assertions.Expect(hospital.Locator("[data-testid=document-sender]")).ToContainTextAsync(DemoFacilities.Clinic.Name, new() { Timeout = Slow });
        await Eventually.PassAsync(async () => Assert.Equal("received", await TaskStatusAsync()));

        await hospital.GoBackAsync();
        await Assertions.Expect(hospital.Locator($"{row} [data-testid=mailbox-state]")).ToHaveTextAsync("既読", new() { Timeout = Slow });
        await Assertions.Expect(hospital.Locator(row)).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mailbox-unread"), new() { Timeout = Slow });

        await clinic.GotoInteractiveAsync("referrals/outbox");
        await Assertions.Expect(clinic.Locator($"{row} [data-testid=mailbox-state]")).ToContainTextAsync("開封済み（", new() { Timeout = Slow });
        Assert.Equal("received", await TaskStatusAsync());

        async Task<string?> TaskStatusAsync()
        {
            using var http = browser.Portal.CreateBaseClient();
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["identifier"] = MedNetPortal.Fhir.FhirSearchValue.Token(MedNetPortal.Fhir.JpFhir.Systems.BundleIdentifier, BundleIdentifier),
            });
            using var response = await http.PostAsync("fhir/Task/_search", form);
            response.EnsureSuccessStatusCode();
            var bundle = await response.Content.ReadFromJsonAsync<JsonElement>();
            var entries = bundle.TryGetProperty("entry", out var e) ? e.EnumerateArray().ToList() : [];
            return Assert.Single(entries).GetProperty("resource").GetProperty("status").GetString();
        }
    }

    private string BundleIdentifier { get; set; } = string.Empty;

    private async Task<string> SendLetterAsync()
    {
        // The base registers a posted document's Task against the facilities' Organizations, which the demo seeding writes
        // in the background after start-up: run first (as it now can, one collection at a time), the test had posted
        // before they existed, and the Task named no Organization.
        await DemoSeeding.PatientIdAsync(browser.Portal, DemoPatients.SatoKenichi);
        var clinic = DemoFacilities.Clinic;
        var hospital = DemoFacilities.Hospital;
        var content = new ReferralLetterContent
        {
            Sender = new ReferralSender(clinic.Name, clinic.Code, clinic.AddressText, clinic.Phone, "01", "内科", "森 一郎", "モリ イチロウ"),
            Destination = new ReferralDestination(hospital.Name, hospital.Code, "081", "循環器内科", "青木 誠一"),
            Patient = new ReferralPatient("00131045:あいう:１８７:05", "開封 確認", "カイフウ カクニン", new DateOnly(1960, 4, 1), ReferralSex.Male, Address: "〒131-0045 東京都墨田区押上１−１−２"),
            Purpose = "開封確認のための紹介です。",
            Diagnoses = "高血圧症",
            PresentIllness = "特記すべき経過はありません。",
            LocalId = "E2E-" + Guid.NewGuid().ToString("N"),
            IssuedAt = DateTimeOffset.UtcNow,
        };
        BundleIdentifier = ReferralDocumentBuilder.BundleIdentifierValue(content);
        using var http = browser.Portal.CreateBaseClient();
        using var body = new StringContent(FhirJson.Serialize(ReferralDocumentBuilder.Build(content)), System.Text.Encoding.UTF8, "application/fhir+json");
        using var response = await http.PostAsync("fhir/Bundle", body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}

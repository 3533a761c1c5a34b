// Firely models are nullable throughout; these tests dereference what the assertions just established.
#nullable disable warnings
using MedNetPortal.IntegrationTests.Infrastructure;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Referrals;
using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Documents;
using MedNetPortal.Web.Features.Referrals;
using MedNetPortal.Web.Features.Referrals.Mailbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Task = System.Threading.Tasks.Task;

namespace MedNetPortal.IntegrationTests.Referrals;

/// <summary>
/// Inbox, outbox and read receipts against the real portal with the demo data: a clinic → hospital letter is unread in
/// the hospital's inbox and 未開封 in the clinic's outbox until a hospital user opens it, which writes exactly one
/// Communication whoever opens it and however often; only the two facilities see it; each page is two requests.
/// </summary>
public sealed class MailboxIntegrationTests(MailboxIntegrationTests.DemoPortal portal) : IClassFixture<MailboxIntegrationTests.DemoPortal>
{
    private static readonly CurrentUser HospitalDoctor = User("h1", DemoFacilities.Hospital);
    private static readonly CurrentUser HospitalAdmin = User("h2", DemoFacilities.Hospital);
    private static readonly CurrentUser ClinicDoctor = User("c1", DemoFacilities.Clinic);
    private static readonly CurrentUser RegionalDoctor = User("r1", DemoFacilities.RegionalHospital);
    private static readonly CurrentUser DentalDoctor = User("d1", DemoFacilities.DentalClinic);

    private static CurrentUser User(string id, DemoFacility facility) => new(id, "テスト 利用者", facility.Code, facility.Name, [MedNetPortal.Web.Features.Account.PortalRoles.Clinician]);

    [Fact]
    public async Task A_clinic_letter_is_unread_in_the_hospital_inbox_and_not_opened_in_the_clinic_outbox_two_requests_per_page()
    {
        var letter = await portal.SendAsync(DemoFacilities.Clinic, DemoFacilities.Hospital);

        var (inbox, inboxRequests) = portal.Mailbox(HospitalDoctor);
        var inboxPage = await inbox.GetInboxAsync(null, CancellationToken.None);
        var (outbox, outboxRequests) = portal.Mailbox(ClinicDoctor);
        var outboxPage = await outbox.GetOutboxAsync(null, CancellationToken.None);

        var received = Assert.Single(inboxPage.Items, i => i.LetterId == letter);
        Assert.False(received.IsRead);
        Assert.Equal("牧野 爛漫", received.PatientKanji);
        Assert.Equal("マキノ ランマン", received.PatientKana);
        Assert.Equal(DemoFacilities.Clinic.Name, received.From.Facility);
        Assert.Equal("大河内 勘三郎", received.From.Doctor);
        Assert.Equal("腹痛精査お願いします。", received.Purpose);
        Assert.Equal(MailboxAccess.Allowed, inboxPage.Access);
        // The demo letters to the hospital are there too, newest first, and the total counts them all.
        var demoToHospital = DemoLetters.All.Count(l => l.ToFacility.Code == DemoFacilities.HospitalCode);
        Assert.True(inboxPage.Total >= demoToHospital + 1);
        Assert.Equal(inboxPage.Items.OrderByDescending(i => i.SentAt).Select(i => i.LetterId), inboxPage.Items.Select(i => i.LetterId));

        var sent = Assert.Single(outboxPage.Items, i => i.LetterId == letter);
        Assert.False(sent.IsOpened);
        Assert.Equal(DemoFacilities.Hospital.Name, sent.To.Facility);
        Assert.DoesNotContain(outboxPage.Items, i => i.To.Facility == DemoFacilities.Clinic.Name);

        Assert.Equal(2, inboxRequests.Requests);
        Assert.Equal(2, outboxRequests.Requests);
    }

    [Fact]
    public async Task Opening_as_the_destination_writes_one_receipt_whoever_opens_it_and_however_often_then_the_outbox_shows_opened()
    {
        var letter = await portal.SendAsync(DemoFacilities.Clinic, DemoFacilities.Hospital);
        var routing = await portal.RoutingAsync(letter);

        Assert.Equal(ReceiptOutcome.NotRecipient, await portal.Receipts(ClinicDoctor).RecordOpenedAsync(letter, routing, CancellationToken.None));
        Assert.Equal(ReceiptOutcome.NotRecipient, await portal.Receipts(RegionalDoctor).RecordOpenedAsync(letter, routing, CancellationToken.None));
        Assert.Empty(await portal.ReceiptsForAsync(routing));
        var (outbox, _) = portal.Mailbox(ClinicDoctor);
        Assert.False(Assert.Single((await outbox.GetOutboxAsync(null, CancellationToken.None)).Items, i => i.LetterId == letter).IsOpened);

        Assert.Equal(ReceiptOutcome.Recorded, await portal.Receipts(HospitalDoctor).RecordOpenedAsync(letter, routing, CancellationToken.None));
        Assert.Equal(ReceiptOutcome.AlreadyRecorded, await portal.Receipts(HospitalDoctor).RecordOpenedAsync(letter, routing, CancellationToken.None));
        Assert.Equal(ReceiptOutcome.AlreadyRecorded, await portal.Receipts(HospitalAdmin).RecordOpenedAsync(letter, routing, CancellationToken.None));

        var receipt = Assert.Single(await portal.ReceiptsForAsync(routing));
        Assert.Equal(EventStatus.Completed, receipt.Status);
        Assert.Equal(ReadReceipts.LetterOpenedCode, receipt.Category.Single().Coding.Single().Code);
        Assert.Equal(ReadReceipts.CategorySystem, receipt.Category.Single().Coding.Single().System);
        Assert.Equal("Bundle/" + letter, receipt.About.Single().Reference);
        Assert.Equal(DemoFacilities.HospitalCode, receipt.Sender.Identifier.Value);
        Assert.Equal(JpFhir.Systems.MedicalInstitutionCode, receipt.Sender.Identifier.System);
        Assert.Equal(DemoFacilities.ClinicCode, receipt.Recipient.Single().Identifier.Value);
        Assert.Equal(ReadReceipts.PayloadText, ((FhirString)receipt.Payload.Single().Content).Value);

        var opened = Assert.Single((await outbox.GetOutboxAsync(null, CancellationToken.None)).Items, i => i.LetterId == letter);
        Assert.True(opened.IsOpened);
        Assert.NotNull(opened.OpenedAt);
        var (inbox, _) = portal.Mailbox(HospitalAdmin);
        var inboxPage = await inbox.GetInboxAsync(null, CancellationToken.None);
        Assert.True(Assert.Single(inboxPage.Items, i => i.LetterId == letter).IsRead);
        // Unread first within the page.
        var ordered = ReferralMailboxService.UnreadFirst(inboxPage.Items);
        Assert.Equal(ordered.Where(i => !i.IsRead).Concat(ordered.Where(i => i.IsRead)), ordered);
    }

    [Fact]
    public async Task A_third_facility_sees_neither_and_an_account_without_facility_gets_no_mailbox_and_no_request()
    {
        var letter = await portal.SendAsync(DemoFacilities.Clinic, DemoFacilities.Hospital);

        var (third, requests) = portal.Mailbox(RegionalDoctor);
        var inbox = await third.GetInboxAsync(null, CancellationToken.None);
        var outbox = await third.GetOutboxAsync(null, CancellationToken.None);
        Assert.DoesNotContain(inbox.Items, i => i.LetterId == letter);
        Assert.DoesNotContain(outbox.Items, i => i.LetterId == letter);
        // What the regional hospital does see is its own demo mail only.
        Assert.Equal(DemoLetters.All.Count(l => l.ToFacility.Code == DemoFacilities.RegionalHospitalCode), inbox.Total);
        Assert.Equal(DemoLetters.All.Count(l => l.FromFacility.Code == DemoFacilities.RegionalHospitalCode), outbox.Total);
        Assert.All(inbox.Items, i => Assert.NotEqual(DemoFacilities.Clinic.Name, i.From.Facility));
        Assert.Equal(4, requests.Requests);

        var (none, noneRequests) = portal.Mailbox(new CurrentUser("s1", "システム管理者", null, null, ["sysadmin"]));
        Assert.Equal(MailboxAccess.NoFacility, (await none.GetInboxAsync(null, CancellationToken.None)).Access);
        Assert.Equal(MailboxAccess.NoFacility, (await none.GetOutboxAsync(null, CancellationToken.None)).Access);
        Assert.Equal(0, noneRequests.Requests);
    }

    [Fact]
    public async Task More_than_a_page_shows_the_total_and_the_next_page_through_the_base_link_two_requests_each()
    {
        // The dental clinic receives no demo letters: exactly these.
        for (var i = 0; i < ReferralMailboxService.PageSize + 1; i++)
        {
            await portal.SendAsync(DemoFacilities.RegionalHospital, DemoFacilities.DentalClinic);
        }

        var (mailbox, requests) = portal.Mailbox(DentalDoctor);
        var first = await mailbox.GetInboxAsync(null, CancellationToken.None);
        Assert.Equal(ReferralMailboxService.PageSize, first.Items.Count);
        Assert.Equal(ReferralMailboxService.PageSize + 1, first.Total);
        Assert.True(first.HasMore);
        Assert.Equal(2, requests.Requests);

        var second = await mailbox.GetInboxAsync(first.NextLink, CancellationToken.None);
        Assert.Single(second.Items);
        Assert.False(second.HasMore);
        Assert.Equal(4, requests.Requests);
        Assert.Empty(first.Items.Select(i => i.LetterId).Intersect(second.Items.Select(i => i.LetterId)));
    }

    /// <summary>The portal with demo data, and clients to its embedded base that count their requests.</summary>
    public sealed class DemoPortal : IAsyncLifetime
    {
        private readonly PortalFactory _factory = new(new Dictionary<string, string?> { ["Demo:Enabled"] = "true" });
        private readonly List<ServiceProvider> _providers = [];
        private int _letters;

        private Uri BaseUri => new(_factory.RootUri, "fhir/");

        public async Task InitializeAsync()
        {
            _ = _factory.RootUri;
            // The demo data is seeded in the background at start-up: wait until the demo letters are in.
            var client = Client().Client;
            for (var attempt = 0; attempt < 300; attempt++)
            {
                var page = await client.SearchAsync<Bundle>(new FhirSearchParameters().Add("type", "document").Add("_summary", "count"), CancellationToken.None);
                if (page.Total >= DemoLetters.All.Count)
                {
                    return;
                }

                await Task.Delay(100);
            }

            throw new TimeoutException("The demo letters were not seeded.");
        }

        private (CentralFhirClient Client, TimeoutAfterServerHandler Handler) Client()
        {
            var handler = new TimeoutAfterServerHandler(0);
            var services = ReferralClient.Services(BaseUri, handler);
            _providers.Add(services);
            return (services.GetRequiredService<CentralFhirClient>(), handler);
        }

        internal (ReferralMailboxService Mailbox, TimeoutAfterServerHandler Requests) Mailbox(CurrentUser user)
        {
            var (client, handler) = Client();
            return (new ReferralMailboxService(client, new FixedUser(user)), handler);
        }

        internal ReadReceiptService Receipts(CurrentUser user) =>
            new(Client().Client, new FixedUser(user), TimeProvider.System, new MedNetPortal.IntegrationTests.RecordingAuditTrail(), NullLogger<ReadReceiptService>.Instance);

        internal async Task<string> SendAsync(DemoFacility from, DemoFacility to)
        {
            var content = ReferralClient.Letter($"MBX-{Interlocked.Increment(ref _letters)}-{Guid.NewGuid():N}") with
            {
                Sender = new ReferralSender(from.Name, from.Code, from.AddressText, from.Phone, "01", "内科", "大河内 勘三郎", "オオコウチ カンザブロウ"),
                Destination = new ReferralDestination(to.Name, to.Code),
                IssuedAt = DateTimeOffset.UtcNow,
            };
            var result = await new ReferralLetterSender(Client().Client, TestProfileValidators.Unavailable).SendAsync(content, CancellationToken.None);
            Assert.Equal(SendOutcome.Sent, result.Outcome);
            return result.BundleId!;
        }

        internal async Task<DocumentRouting> RoutingAsync(string letterId) =>
            DocumentRouting.From(await Client().Client.ReadAsync<Bundle>(letterId, CancellationToken.None));

        internal async Task<List<Communication>> ReceiptsForAsync(DocumentRouting routing)
        {
            var page = await Client().Client.SearchPostAsync<Communication>(
                new FhirSearchParameters().Add("identifier", ReadReceipts.IdentifierSearchValue([routing.BundleIdentifier!])), CancellationToken.None);
            return page.Entry.Select(e => e.Resource).OfType<Communication>().ToList();
        }

        public async Task DisposeAsync()
        {
            foreach (var provider in _providers)
            {
                await provider.DisposeAsync();
            }

            await _factory.DisposeAsync();
        }
    }

    private sealed class FixedUser(CurrentUser user) : ICurrentUserAccessor
    {
        public Task<CurrentUser?> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult<CurrentUser?>(user);
    }
}

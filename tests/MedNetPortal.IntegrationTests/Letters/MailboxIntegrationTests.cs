// Firely models are nullable throughout; these tests dereference what the assertions just established.
#nullable disable warnings
using MedNetPortal.Web.Features.Letters;
using MedNetPortal.IntegrationTests.Infrastructure;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Documents;
using MedNetPortal.Web.Features.Letters.Compose;
using MedNetPortal.Web.Features.Letters.Mailbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Task = System.Threading.Tasks.Task;
using MedNetPortal.TestSupport;

namespace MedNetPortal.IntegrationTests.Letters;

/// <summary>
/// Inbox, outbox and read status against the real portal with the demo data: a clinic → hospital letter is unread in
/// the hospital's inbox and 未開封 in the clinic's outbox until a hospital user opens it, which moves its routing Task from
/// requested to received exactly once whoever opens it and however often; only the two facilities see it; a page is one
/// Task search (plus the facility's Organization lookup, once per instance).
/// </summary>
public sealed class MailboxIntegrationTests(MailboxIntegrationTests.DemoPortal portal) : IClassFixture<MailboxIntegrationTests.DemoPortal>
{
    private static readonly CurrentUser HospitalDoctor = User("h1", DemoFacilities.Hospital);
    private static readonly CurrentUser HospitalAdmin = User("h2", DemoFacilities.Hospital);
    private static readonly CurrentUser ClinicDoctor = User("c1", DemoFacilities.Clinic);
    private static readonly CurrentUser RegionalDoctor = User("r1", DemoFacilities.RegionalHospital);
    private static readonly CurrentUser DentalDoctor = User("d1", DemoFacilities.DentalClinic);

    private static CurrentUser User(string id, DemoFacility facility) => new(id, "テスト 利用者", facility.Code, facility.Name, [MedNetPortal.Web.Host.Identity.PortalRoles.Clinician]);

    [Fact]
    public async Task A_clinic_letter_is_unread_in_the_hospital_inbox_and_not_opened_in_the_clinic_outbox_one_search_per_page()
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
        // The demo letters to the hospital are there too (the seeder writes their Tasks), newest first, and the total counts them all.
        var demoToHospital = DemoLetters.All.Count(l => l.ToFacility.Code == DemoFacilities.HospitalCode);
        Assert.True(inboxPage.Total >= demoToHospital + 1);
        Assert.Equal(inboxPage.Items.OrderByDescending(i => i.SentAt).Select(i => i.LetterId), inboxPage.Items.Select(i => i.LetterId));

        var sent = Assert.Single(outboxPage.Items, i => i.LetterId == letter);
        Assert.False(sent.IsOpened);
        Assert.Equal(DemoFacilities.Hospital.Name, sent.To.Facility);
        Assert.DoesNotContain(outboxPage.Items, i => i.To.Facility == DemoFacilities.Clinic.Name);

        // The facility's Organization id (once per instance), then one Task search with the documents included.
        Assert.Equal(2, inboxRequests.Requests);
        Assert.Equal(2, outboxRequests.Requests);
        Assert.NotNull(await inbox.GetInboxAsync(null, CancellationToken.None));
        Assert.Equal(3, inboxRequests.Requests);
    }

    [Fact]
    public async Task A_bare_document_posted_by_an_outside_EHR_is_in_the_sender_outbox_and_the_destination_inbox()
    {
        var content = portal.Letter(DemoFacilities.Clinic, DemoFacilities.Hospital);
        var posted = await portal.Client.CreateAsync(ReferralDocumentBuilder.Build(content), null, CancellationToken.None);

        var (outbox, _) = portal.Mailbox(ClinicDoctor);
        var (inbox, _) = portal.Mailbox(HospitalDoctor);
        Assert.Contains((await inbox.GetInboxAsync(null, CancellationToken.None)).Items, i => i.LetterId == posted.Id);
        Assert.Contains((await outbox.GetOutboxAsync(null, CancellationToken.None)).Items, i => i.LetterId == posted.Id);
    }

    [Fact]
    public async Task A_bare_document_posted_before_its_facilities_are_in_the_base_reaches_the_inbox_once_they_are()
    {
        var sender = DemoFacilities.Clinic with { Code = $"13{Random.Shared.Next(10000000, 99999999)}", Name = "後から登録される診療所" };
        var destination = DemoFacilities.Hospital with { Code = $"13{Random.Shared.Next(10000000, 99999999)}", Name = "後から登録される病院" };
        var posted = await portal.Client.CreateAsync(ReferralDocumentBuilder.Build(portal.Letter(sender, destination)), null, CancellationToken.None);
        var destinationDoctor = User("n1", destination);
        var senderDoctor = User("n2", sender);
        Assert.Empty((await portal.Mailbox(destinationDoctor).Mailbox.GetInboxAsync(null, CancellationToken.None)).Items);

        foreach (var facility in new[] { destination, sender })
        {
            await portal.Client.CreateAsync(new Organization
            {
                Identifier = [new Identifier(JpFhir.Systems.MedicalInstitutionCode, facility.Code)],
                Name = facility.Name,
            }, null, CancellationToken.None);
        }

        var received = Assert.Single((await portal.Mailbox(destinationDoctor).Mailbox.GetInboxAsync(null, CancellationToken.None)).Items);
        Assert.Equal(posted.Id, received.LetterId);
        Assert.Equal(sender.Name, received.From.Facility);
        Assert.False(received.IsRead);
        Assert.Equal(posted.Id, Assert.Single((await portal.Mailbox(senderDoctor).Mailbox.GetOutboxAsync(null, CancellationToken.None)).Items).LetterId);
    }

    [Fact]
    public async Task Sending_stores_one_document_one_DocumentReference_and_one_Task_whatever_the_number_of_attempts()
    {
        var content = portal.Letter(DemoFacilities.Clinic, DemoFacilities.Hospital);
        var results = new List<SendResult>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            results.Add(await new ReferralLetterSender(portal.Client, TestProfileValidators.Unavailable).SendAsync(content, CancellationToken.None));
        }

        Assert.Equal(SendOutcome.Sent, results[0].Outcome);
        Assert.All(results.Skip(1), r => Assert.Equal(SendOutcome.AlreadySent, r.Outcome));
        Assert.Single(results.Select(r => r.BundleId).Distinct());
        var identifier = FhirSearchValue.Token(JpFhir.Systems.BundleIdentifier, results[0].BundleIdentifier);
        var bundles = await portal.SearchAsync<Bundle>(identifier);
        var references = await portal.SearchAsync<DocumentReference>(identifier);
        var tasks = await portal.SearchAsync<Hl7.Fhir.Model.Task>(identifier);
        Assert.Equal(results[0].BundleId, Assert.Single(bundles).Id);

        var reference = Assert.Single(references);
        Assert.Equal(DocumentReferenceStatus.Current, reference.Status);
        Assert.Equal("57133-1", reference.Type.Coding.Single().Code);
        Assert.Equal(JpFhir.Systems.DocumentTypeCodes, reference.Type.Coding.Single().System);
        Assert.Equal(LetterDelivery.AttachmentContentType, reference.Content.Single().Attachment.ContentType);
        Assert.Equal("Bundle/" + results[0].BundleId, reference.Content.Single().Attachment.Url);
        Assert.Equal("Bundle/" + results[0].BundleId, reference.Context.Related.Single().Reference);
        // The letter's patient was new to the base: created once by the transaction, by the insured-person identifier.
        var patient = await portal.PatientIdAsync(
            MedNetPortal.Fhir.Identifiers.InsuranceMemberId.ParsePasted(content.Patient.MemberId, verifyCheckDigit: false).Value.Value);
        Assert.Equal("Patient/" + patient, reference.Subject.Reference);

        var task = Assert.Single(tasks);
        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.Requested, task.Status);
        Assert.Equal(Hl7.Fhir.Model.Task.TaskIntent.Order, task.Intent);
        Assert.Equal("Bundle/" + results[0].BundleId, task.Focus.Reference);
        Assert.Equal("Patient/" + patient, task.For.Reference);
        Assert.Equal("Organization/" + await portal.OrganizationIdAsync(DemoFacilities.ClinicCode), task.Requester.Reference);
        Assert.Equal("Organization/" + await portal.OrganizationIdAsync(DemoFacilities.HospitalCode), task.Owner.Reference);
        Assert.Equal(DemoFacilities.HospitalCode, task.Owner.Identifier.Value);
        Assert.NotNull(task.AuthoredOn);
    }

    [Fact]
    public async Task Opening_as_the_destination_marks_the_task_received_once_whoever_opens_it_and_however_often_then_the_outbox_shows_opened()
    {
        var letter = await portal.SendAsync(DemoFacilities.Clinic, DemoFacilities.Hospital);
        var routing = await portal.RoutingAsync(letter);

        Assert.Equal(ReceiptOutcome.NotRecipient, await portal.Receipts(ClinicDoctor).RecordOpenedAsync(letter, routing, CancellationToken.None));
        Assert.Equal(ReceiptOutcome.NotRecipient, await portal.Receipts(RegionalDoctor).RecordOpenedAsync(letter, routing, CancellationToken.None));
        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.Requested, (await portal.TaskForAsync(routing)).Status);
        var (outbox, _) = portal.Mailbox(ClinicDoctor);
        Assert.False(Assert.Single((await outbox.GetOutboxAsync(null, CancellationToken.None)).Items, i => i.LetterId == letter).IsOpened);

        Assert.Equal(ReceiptOutcome.Recorded, await portal.Receipts(HospitalDoctor).RecordOpenedAsync(letter, routing, CancellationToken.None));
        Assert.Equal(ReceiptOutcome.AlreadyRecorded, await portal.Receipts(HospitalDoctor).RecordOpenedAsync(letter, routing, CancellationToken.None));
        Assert.Equal(ReceiptOutcome.AlreadyRecorded, await portal.Receipts(HospitalAdmin).RecordOpenedAsync(letter, routing, CancellationToken.None));

        var task = await portal.TaskForAsync(routing);
        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.Received, task.Status);
        Assert.NotNull(task.LastModified);
        // Requested, then received: two versions, whatever the number of opens.
        Assert.Equal("2", task.Meta.VersionId);

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
        // What the regional hospital does see is its own demo mail only (no test here sends to or from it).
        Assert.Equal(DemoLetters.All.Count(l => l.ToFacility.Code == DemoFacilities.RegionalHospitalCode), inbox.Total);
        Assert.Equal(DemoLetters.All.Count(l => l.FromFacility.Code == DemoFacilities.RegionalHospitalCode), outbox.Total);
        Assert.All(inbox.Items, i => Assert.NotEqual(DemoFacilities.Clinic.Name, i.From.Facility));
        Assert.Equal(3, requests.Requests);

        var (none, noneRequests) = portal.Mailbox(new CurrentUser("s1", "システム管理者", null, null, ["sysadmin"]));
        Assert.Equal(MailboxAccess.NoFacility, (await none.GetInboxAsync(null, CancellationToken.None)).Access);
        Assert.Equal(MailboxAccess.NoFacility, (await none.GetOutboxAsync(null, CancellationToken.None)).Access);
        Assert.Equal(0, noneRequests.Requests);
    }

    [Fact]
    public async Task More_than_a_page_shows_the_total_and_the_next_page_through_the_base_link_one_request_each()
    {
        // The dental clinic receives no demo letters: exactly these.
        for (var i = 0; i < ReferralMailboxService.PageSize + 1; i++)
        {
            await portal.SendAsync(DemoFacilities.Hospital, DemoFacilities.DentalClinic);
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
        Assert.Equal(3, requests.Requests);
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
            // The demo data is seeded in the background at start-up: wait until the demo letters' Tasks are in (the last
            // entry of each letter's transaction). A busy machine may time a search out meanwhile: ask again.
            var client = NewClient().Client;
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (DateTime.UtcNow < deadline)
            {
                try
                {
                    var page = await client.SearchAsync<Hl7.Fhir.Model.Task>(new FhirSearchParameters().Add("_summary", "count"), CancellationToken.None);
                    if (page.Total >= DemoLetters.All.Count)
                    {
                        return;
                    }
                }
                catch (FhirApiException ex) when (ex.Reason is FhirApiErrorReason.Timeout or FhirApiErrorReason.ServerUnavailable)
                {
                }

                await Task.Delay(200);
            }

            throw new TimeoutException("The demo letters were not seeded.");
        }

        private (CentralFhirClient Client, TimeoutAfterServerHandler Handler) NewClient()
        {
            var handler = new TimeoutAfterServerHandler(0);
            var services = ReferralClient.Services(BaseUri, handler);
            _providers.Add(services);
            return (services.GetRequiredService<CentralFhirClient>(), handler);
        }

        internal CentralFhirClient Client => NewClient().Client;

        internal (ReferralMailboxService Mailbox, TimeoutAfterServerHandler Requests) Mailbox(CurrentUser user)
        {
            var (client, handler) = NewClient();
            return (new ReferralMailboxService(client, new TestUser(user), Organizations(client), NullLogger<ReferralMailboxService>.Instance), handler);
        }

        internal ReadReceiptService Receipts(CurrentUser user)
        {
            var client = NewClient().Client;
            return new(client, new TestUser(user), Organizations(client), TimeProvider.System, new MedNetPortal.IntegrationTests.RecordingAuditTrail(),
                NullLogger<ReadReceiptService>.Instance);
        }

        private static FacilityOrganizations Organizations(CentralFhirClient client) => new(client, new FacilityOrganizationCache());

        internal ReferralLetterContent Letter(DemoFacility from, DemoFacility to) =>
            ReferralClient.Letter($"MBX-{Interlocked.Increment(ref _letters)}-{Guid.NewGuid():N}") with
            {
                Sender = new ReferralSender(from.Name, from.Code, from.AddressText, from.Phone, "01", "内科", "大河内 勘三郎", "オオコウチ カンザブロウ"),
                Destination = new ReferralDestination(to.Name, to.Code),
                IssuedAt = DateTimeOffset.UtcNow,
            };

        internal async Task<string> SendAsync(DemoFacility from, DemoFacility to)
        {
            var result = await new ReferralLetterSender(NewClient().Client, TestProfileValidators.Unavailable).SendAsync(Letter(from, to), CancellationToken.None);
            Assert.Equal(SendOutcome.Sent, result.Outcome);
            return result.BundleId!;
        }

        internal async Task<DocumentRouting> RoutingAsync(string letterId) =>
            DocumentRouting.From(await NewClient().Client.ReadAsync<Bundle>(letterId, CancellationToken.None));

        internal async Task<List<T>> SearchAsync<T>(string identifier)
            where T : Resource
        {
            var page = await NewClient().Client.SearchPostAsync<T>(new FhirSearchParameters().Add("identifier", identifier), CancellationToken.None);
            return page.Entry.Select(e => e.Resource).OfType<T>().ToList();
        }

        internal async Task<Hl7.Fhir.Model.Task> TaskForAsync(DocumentRouting routing) =>
            Assert.Single(await SearchAsync<Hl7.Fhir.Model.Task>(FhirSearchValue.Token(JpFhir.Systems.BundleIdentifier, routing.BundleIdentifier!)));

        internal async Task<string> PatientIdAsync(string memberId) =>
            Assert.Single(await SearchAsync<Patient>(FhirSearchValue.Token(JpFhir.Systems.InsuranceMemberId, memberId))).Id;

        internal async Task<string> OrganizationIdAsync(string code) =>
            Assert.Single(await SearchAsync<Organization>(FhirSearchValue.Token(JpFhir.Systems.MedicalInstitutionCode, code))).Id;

        public async Task DisposeAsync()
        {
            foreach (var provider in _providers)
            {
                await provider.DisposeAsync();
            }

            await _factory.DisposeAsync();
        }
    }
}

// Firely models are nullable throughout; these tests dereference what the assertions just established.
#nullable disable warnings
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.IntegrationTests.Account;
using MedNetPortal.IntegrationTests.Infrastructure;
using MedNetPortal.IntegrationTests.Letters;
using MedNetPortal.IntegrationTests.Patients;
using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Consent;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Emergency;
using MedNetPortal.Web.Features.Facilities;
using MedNetPortal.Web.Features.Home;
using MedNetPortal.Web.Features.Letters;
using MedNetPortal.Web.Features.Letters.Compose;
using MedNetPortal.Web.Features.Patients;
using MedNetPortal.Web.Host.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Task = System.Threading.Tasks.Task;

namespace MedNetPortal.IntegrationTests.Home;

/// <summary>
/// The home page's service in the real app with the embedded base and the demo data: the unread count follows sending and
/// reading letters, a home load costs exactly one request to the base (the unread letters' Task search) once the facility's
/// Organization is known, drafts and recent patients cost none, and each tile answers only the roles it is for, a facility
/// administrator only about their own facility.
/// </summary>
public sealed class HomeServiceIntegrationTests(HomeServiceIntegrationTests.HomePortal portal) : IClassFixture<HomeServiceIntegrationTests.HomePortal>
{
    [Fact]
    public async Task The_unread_count_follows_sending_and_reading_and_a_home_load_is_one_Task_search()
    {
        var receiver = await portal.NewFacilityAsync();
        var doctor = await portal.AccountAsync(PortalRoles.Clinician, receiver);

        // Nothing was ever sent to the facility: the base has no Organization for it, so no Task search is made.
        portal.Counter.Clear();
        var none = await portal.HomeOf(doctor).GetUnreadLettersAsync(CancellationToken.None);
        Assert.Equal(0, none.Total);
        Assert.Empty(none.Newest);
        Assert.Equal(["POST /fhir/Organization/_search"], portal.Counter.Requests);

        var letters = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            letters.Add(await portal.SendAsync(DemoFacilities.Clinic, receiver));
        }

        portal.Counter.Clear();
        var four = await portal.HomeOf(doctor).GetUnreadLettersAsync(CancellationToken.None);
        Assert.Equal(4, four.Total);
        Assert.Equal(Enumerable.Reverse(letters).Take(HomeService.Newest), four.Newest.Select(l => l.LetterId));
        Assert.All(four.Newest, l => Assert.Equal(DemoFacilities.Clinic.Name, l.SenderFacility));
        Assert.Equal(["POST /fhir/Organization/_search", "POST /fhir/Task/_search"], portal.Counter.Requests);

        // The next home load: the Organization id is known; the clinical tiles cost one request in all.
        portal.Counter.Clear();
        var home = portal.HomeOf(doctor);
        var again = await home.GetUnreadLettersAsync(CancellationToken.None);
        await home.GetMyDraftsAsync(CancellationToken.None);
        await home.GetRecentPatientsAsync(CancellationToken.None);
        Assert.Equal(4, again.Total);
        Assert.Equal(["POST /fhir/Task/_search"], portal.Counter.Requests);

        // Reading the newest as the receiver moves its Task to received: it is no longer counted or listed.
        await portal.OpenAsync(doctor, letters[^1]);
        var three = await portal.HomeOf(doctor).GetUnreadLettersAsync(CancellationToken.None);
        Assert.Equal(3, three.Total);
        Assert.Equal(Enumerable.Reverse(letters).Skip(1).Take(HomeService.Newest), three.Newest.Select(l => l.LetterId));

        // The sender's own unread count is not touched by what it sent.
        var sender = await portal.AccountAsync(PortalRoles.Clinician, DemoFacilities.Clinic);
        var clinic = await portal.HomeOf(sender).GetUnreadLettersAsync(CancellationToken.None);
        Assert.DoesNotContain(clinic.Newest, l => letters.Contains(l.LetterId));
    }

    [Fact]
    public async Task My_drafts_are_the_users_own_unsent_ones_newest_first_from_the_portal_database_only()
    {
        var facility = await portal.NewFacilityAsync();
        var me = await portal.AccountAsync(PortalRoles.Clinician, facility);
        var colleague = await portal.AccountAsync(PortalRoles.Clinician, facility);
        var ids = new List<Guid>();
        foreach (var name in new[] { "一 太郎", "二 次郎", "三 三郎", "四 四郎" })
        {
            ids.Add(await portal.DraftAsync(me, name));
        }

        await portal.DraftAsync(colleague, "他 人");

        portal.Counter.Clear();
        var mine = await portal.HomeOf(me).GetMyDraftsAsync(CancellationToken.None);
        var theirs = await portal.HomeOf(colleague).GetMyDraftsAsync(CancellationToken.None);

        Assert.Equal(4, mine.Total);
        Assert.Equal(Enumerable.Reverse(ids).Take(HomeService.Newest), mine.Newest.Select(d => d.Id));
        Assert.Equal(["四 四郎", "三 三郎", "二 次郎"], mine.Newest.Select(d => d.PatientName));
        Assert.Equal(1, theirs.Total);
        Assert.Equal("他 人", Assert.Single(theirs.Newest).PatientName);
        Assert.Empty(portal.Counter.Requests);
    }

    [Fact]
    public async Task Recent_patients_are_the_records_opened_in_this_session_newest_first_once_each_and_no_one_elses()
    {
        var doctor = await portal.AccountAsync(PortalRoles.Clinician, DemoFacilities.Hospital);
        var session = doctor with { SessionId = "session-" + Guid.NewGuid().ToString("N") };
        var sato = portal.PatientId(DemoPatients.SatoKenichi);
        var suzuki = portal.PatientId(DemoPatients.SuzukiTome);

        Assert.Empty(await portal.HomeOf(session).GetRecentPatientsAsync(CancellationToken.None));
        await portal.OpenRecordAsync(session, sato);
        await portal.OpenRecordAsync(session, suzuki);
        await portal.OpenRecordAsync(session, sato);

        portal.Counter.Clear();
        var recent = await portal.HomeOf(session).GetRecentPatientsAsync(CancellationToken.None);
        Assert.Equal([sato, suzuki], recent.Select(p => p.PatientId));
        Assert.Equal(["佐藤 健一", "鈴木 トメ"], recent.Select(p => p.NameKanji));
        Assert.Empty(portal.Counter.Requests);

        // Another sign-in of the same account, and another account, start with nothing.
        Assert.Empty(await portal.HomeOf(doctor with { SessionId = "session-" + Guid.NewGuid().ToString("N") }).GetRecentPatientsAsync(CancellationToken.None));
        var colleague = await portal.AccountAsync(PortalRoles.Clinician, DemoFacilities.Hospital);
        Assert.Empty(await portal.HomeOf(colleague with { SessionId = session.SessionId }).GetRecentPatientsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_facility_administrator_sees_only_their_own_facility_notifications_and_accounts_and_a_system_administrator_all_accounts()
    {
        var a = await portal.NewFacilityAsync();
        var b = await portal.NewFacilityAsync();
        var adminA = await portal.AccountAsync(PortalRoles.FacilityAdmin, a);
        var adminB = await portal.AccountAsync(PortalRoles.FacilityAdmin, b);
        await portal.NotifyAsync(a.Code, PortalNotificationKinds.EmergencyAccess, read: false);
        await portal.NotifyAsync(a.Code, PortalNotificationKinds.EmergencyAccess, read: false);
        await portal.NotifyAsync(a.Code, PortalNotificationKinds.EmergencyAccess, read: true);
        await portal.NotifyAsync(a.Code, PortalNotificationKinds.ReceptionConsent, read: false);
        await portal.NotifyAsync(b.Code, PortalNotificationKinds.EmergencyAccess, read: false);
        var suspendedA = await portal.AccountAsync(PortalRoles.Clinician, a, u => u.IsSuspended = true);
        var lockedA = await portal.AccountAsync(PortalRoles.Clinician, a, u => u.LockoutEnd = DateTimeOffset.UtcNow.AddMinutes(10));
        await portal.AccountAsync(PortalRoles.Clinician, a, u => u.LockoutEnd = DateTimeOffset.UtcNow.AddMinutes(-10));
        await portal.AccountAsync(PortalRoles.Clinician, a);
        var suspendedB = await portal.AccountAsync(PortalRoles.Clinician, b, u => u.IsSuspended = true);

        Assert.Equal(2, (await portal.HomeOf(adminA).GetEmergencyReviewsAsync(CancellationToken.None)).Unread);
        Assert.Equal(1, (await portal.HomeOf(adminB).GetEmergencyReviewsAsync(CancellationToken.None)).Unread);

        var accountsA = await portal.HomeOf(adminA).GetAccountsNeedingAttentionAsync(CancellationToken.None);
        Assert.Equal((1, 1, 2), (accountsA.Suspended, accountsA.Locked, accountsA.Total));
        Assert.Equal(new[] { lockedA.UserId, suspendedA.UserId }.Order(StringComparer.Ordinal), accountsA.First.Select(x => x.Id).Order(StringComparer.Ordinal));
        Assert.Equal([false, true], accountsA.First.OrderBy(x => x.Suspended).Select(x => x.Suspended));
        var accountsB = await portal.HomeOf(adminB).GetAccountsNeedingAttentionAsync(CancellationToken.None);
        Assert.Equal(suspendedB.UserId, Assert.Single(accountsB.First).Id);

        var system = await portal.HomeOf(await portal.AccountAsync(PortalRoles.SystemAdmin, null)).GetAccountsNeedingAttentionAsync(CancellationToken.None);
        // Every facility's: at least A's and B's (other tests add their own).
        Assert.True(system.Total >= accountsA.Total + accountsB.Total, $"{system.Total} accounts");
        Assert.True(system.Suspended >= 2 && system.Locked >= 1, $"{system.Suspended} suspended, {system.Locked} locked");
    }

    [Fact]
    public async Task Each_tile_answers_only_the_roles_it_is_for()
    {
        var clinician = portal.HomeOf(await portal.AccountAsync(PortalRoles.Clinician, DemoFacilities.Hospital));
        var facilityAdmin = portal.HomeOf(await portal.AccountAsync(PortalRoles.FacilityAdmin, DemoFacilities.Hospital));
        var systemAdmin = portal.HomeOf(await portal.AccountAsync(PortalRoles.SystemAdmin, null));
        var nobody = portal.HomeOf(null);

        Assert.Equal(new HomeAudience(true, false, false), await clinician.AudienceAsync(CancellationToken.None));
        Assert.Equal(new HomeAudience(false, true, true), await facilityAdmin.AudienceAsync(CancellationToken.None));
        Assert.Equal(new HomeAudience(false, false, true), await systemAdmin.AudienceAsync(CancellationToken.None));
        Assert.Equal(HomeAudience.Nobody, await nobody.AudienceAsync(CancellationToken.None));

        Assert.Null(await clinician.GetEmergencyReviewsAsync(CancellationToken.None));
        Assert.Null(await clinician.GetAccountsNeedingAttentionAsync(CancellationToken.None));
        foreach (var admin in new[] { facilityAdmin, systemAdmin, nobody })
        {
            Assert.Null(await admin.GetUnreadLettersAsync(CancellationToken.None));
            Assert.Null(await admin.GetMyDraftsAsync(CancellationToken.None));
            Assert.Null(await admin.GetRecentPatientsAsync(CancellationToken.None));
        }

        Assert.Null(await systemAdmin.GetEmergencyReviewsAsync(CancellationToken.None));
        Assert.Null(await nobody.GetEmergencyReviewsAsync(CancellationToken.None));
        Assert.Null(await nobody.GetAccountsNeedingAttentionAsync(CancellationToken.None));
    }

    /// <summary>The demo portal with a request counter on its HTTP clients; audit forwarding is off so the counter sees only the features.</summary>
    public sealed class HomePortal : IAsyncLifetime
    {
        private readonly PortalServer factory;
        private readonly Dictionary<string, string> patientIds = new(StringComparer.Ordinal);
        private int facilities;

        public HomePortal() => factory = new PortalServer(Counter);

        public RequestCounter Counter { get; } = new();

        private IServiceProvider Services => factory.Services;

        public string PatientId(DemoPatient patient) => patientIds[patient.Key];

        public IHomeService HomeOf(CurrentUser user) =>
            (user is null ? Services.CreateAsyncScope() : SignedInScope.Create(Services, user)).ServiceProvider.GetRequiredService<IHomeService>();

        /// <summary>A facility of its own (portal and, once a letter names it, base), so counts start at zero.</summary>
        public async Task<DemoFacility> NewFacilityAsync()
        {
            var n = Interlocked.Increment(ref facilities);
            var code = "13185" + n.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
            var facility = DemoFacilities.Hospital with { Code = code, Name = $"ホーム試験病院{n}" };
            await using var scope = Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            db.Facilities.Add(new PortalFacility { Code = facility.Code, Name = facility.Name, Active = true, UpdatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
            return facility;
        }

        public async Task<CurrentUser> AccountAsync(string role, DemoFacility facility, Action<PortalUser> configure = null)
        {
            var email = $"home-{Guid.NewGuid():N}@home.test";
            var id = await TestAccounts.CreateAsync(Services, email, role, facility, configure: u =>
            {
                u.FacilityCode = facility?.Code;
                u.FacilityName = facility?.Name;
                configure?.Invoke(u);
            });
            return new CurrentUser(id, "試験 太郎", facility?.Code, facility?.Name, [role]);
        }

        public async Task<string> SendAsync(DemoFacility from, DemoFacility to)
        {
            var content = ReferralClient.Letter($"HOME-{Guid.NewGuid():N}") with
            {
                Sender = new ReferralSender(from.Name, from.Code, from.AddressText, from.Phone, "01", "内科", "大河内 勘三郎", "オオコウチ カンザブロウ"),
                Destination = new ReferralDestination(to.Name, to.Code),
                IssuedAt = DateTimeOffset.UtcNow,
            };
            await using var scope = Services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<ReferralLetterSender>().SendAsync(content, CancellationToken.None);
            Assert.Equal(SendOutcome.Sent, result.Outcome);
            return result.BundleId!;
        }

        /// <summary>Opens a letter as the user would on the letter page: its read receipt.</summary>
        public async Task OpenAsync(CurrentUser user, string letterId)
        {
            await using var scope = SignedInScope.Create(Services, user);
            var document = await scope.ServiceProvider.GetRequiredService<CentralFhirClient>().ReadAsync<Bundle>(letterId, CancellationToken.None);
            var outcome = await scope.ServiceProvider.GetRequiredService<IReadReceiptWriter>()
                .RecordOpenedAsync(letterId, DocumentRouting.From(document), CancellationToken.None);
            Assert.Equal(ReceiptOutcome.Recorded, outcome);
        }

        public async Task OpenRecordAsync(CurrentUser user, string patientId)
        {
            await using var scope = SignedInScope.Create(Services, user);
            await scope.ServiceProvider.GetRequiredService<IPatientRecordService>().LoadAsync(patientId, CancellationToken.None);
        }

        public async Task<Guid> DraftAsync(CurrentUser user, string patientName)
        {
            await using var scope = SignedInScope.Create(Services, user);
            var form = new ReferralForm();
            form.Patient.NameKanji = patientName;
            var created = await scope.ServiceProvider.GetRequiredService<ReferralDraftService>().CreateAsync(form, CancellationToken.None);
            Assert.Equal(DraftCreateOutcome.Created, created.Outcome);
            // Drafts are ordered by their last save; keep each one's time distinct.
            await Task.Delay(20);
            return created.DraftId!.Value;
        }

        public async Task NotifyAsync(string facilityCode, string kind, bool read)
        {
            await using var scope = Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            db.Set<PortalNotification>().Add(new PortalNotification
            {
                Id = Guid.NewGuid(), FacilityCode = facilityCode, Kind = kind, CreatedUtc = DateTime.UtcNow, ReadUtc = read ? DateTime.UtcNow : null,
            });
            await db.SaveChangesAsync();
        }

        public async Task InitializeAsync()
        {
            _ = factory.RootUri;
            // The seeder writes through the counted clients: wait until it has finished, so the counts are the features' own.
            var seeder = Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<DemoSeedingService>().Single();
            await seeder.ExecuteTask!.WaitAsync(TimeSpan.FromMinutes(3));
            var deadline = DateTime.UtcNow.AddMinutes(3);
            using var http = factory.CreateBaseClient();
            while (patientIds.Count < 2)
            {
                foreach (var patient in new[] { DemoPatients.SatoKenichi, DemoPatients.SuzukiTome })
                {
                    using var response = await http.GetAsync(new Uri(
                        $"Patient?identifier={Uri.EscapeDataString(JpFhir.Systems.InsuranceMemberId + "|" + patient.QualificationIdentifier)}", UriKind.Relative));
                    var found = response.IsSuccessStatusCode ? FhirJson.Deserialize<Bundle>(await response.Content.ReadAsStringAsync()).Entry.Select(e => e.Resource).OfType<Patient>().FirstOrDefault() : null;
                    if (found?.Id is { } id)
                    {
                        patientIds[patient.Key] = id;
                    }
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException("Demo seeding did not finish.");
                }

                await Task.Delay(300);
            }

            // The consents come after the patients in the seeding: wait for the record to open.
            var doctor = await AccountAsync(PortalRoles.Clinician, DemoFacilities.Hospital);
            while (true)
            {
                try
                {
                    await OpenRecordAsync(doctor, patientIds[DemoPatients.SuzukiTome.Key]);
                    break;
                }
                catch (PatientAccessDeniedException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(300);
                }
            }
        }

        public async Task DisposeAsync() => await factory.DisposeAsync();

        private sealed class PortalServer(RequestCounter counter) : PortalFactory(new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Audit:ForwardToCentralBase"] = "false",
        })
        {
            protected override void ConfigureWebHost(IWebHostBuilder builder)
            {
                base.ConfigureWebHost(builder);
                builder.ConfigureTestServices(services => services.ConfigureAll<HttpClientFactoryOptions>(
                    o => o.HttpMessageHandlerBuilderActions.Add(b => b.AdditionalHandlers.Add(counter.NewHandler()))));
            }
        }
    }
}

// Firely models are nullable throughout; these tests dereference what the assertions just established.
#nullable disable warnings
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.IntegrationTests.Infrastructure;
using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Consent;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Letters;
using MedNetPortal.Web.Features.Letters.Mailbox;
using MedNetPortal.Web.Features.Patients;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Task = System.Threading.Tasks.Task;

namespace MedNetPortal.IntegrationTests.Letters;

/// <summary>
/// A server ignoring a parameter cannot widen what a user sees. The real portal with the demo data (many facilities'
/// letters, many patients' records) talks to a base that, between the portal and the embedded base, drops the search
/// parameters that decide whose data comes back (<c>owner</c>, <c>requester</c>, <c>focus</c>, <c>patient</c>,
/// <c>identifier</c>, <c>_id</c>), as a lenient R4 server that does not support them would: it then answers with everybody's
/// Tasks, documents, diagnoses, allergies, consents and patients. Every page and service must still show exactly (a subset
/// of) what the honest base shows.
/// </summary>
public sealed class LenientBaseTests : IClassFixture<LenientBaseTests.LenientPortal>
{
    private readonly LenientPortal portal;

    public LenientBaseTests(LenientPortal portal)
    {
        // Each test starts with an honest base.
        portal.Ignored = [];
        this.portal = portal;
    }

    private static readonly string[] Deciding = ["owner", "requester", "focus", "patient", "identifier", "_id"];

    private static CurrentUser Clinician(DemoFacility facility) =>
        new("lenient-" + facility.Code, "試験 太郎", facility.Code, facility.Name, [PortalRoles.Clinician]);

    [Fact]
    public async Task The_inbox_and_outbox_show_only_the_facilitys_letters_when_the_base_ignores_owner_and_requester()
    {
        var clinic = Clinician(DemoFacilities.Clinic);
        var (inbox, outbox) = await MailboxAsync(clinic);
        // The honest base gives the clinic some mail, and there is plenty of other facilities' mail a lenient base returns.
        Assert.NotEmpty(inbox);
        Assert.NotEmpty(outbox);
        Assert.True(await portal.CountAsync("Task") > inbox.Count + outbox.Count);

        portal.Ignored = Deciding;
        var (lenientInbox, lenientOutbox) = await MailboxAsync(clinic);

        Assert.Subset(inbox.ToHashSet(), lenientInbox.ToHashSet());
        Assert.Subset(outbox.ToHashSet(), lenientOutbox.ToHashSet());
        Assert.True(portal.Dropped > 0, "The lenient base did not answer with anything to drop: the test proves nothing.");
    }

    [Fact]
    public async Task A_record_shows_only_that_patients_diagnoses_allergies_and_documents_when_the_base_ignores_patient()
    {
        var hospital = Clinician(DemoFacilities.Hospital);
        var sato = await portal.PatientIdAsync(DemoPatients.SatoKenichi);
        var honest = await RecordAsync(hospital, sato);
        Assert.NotEmpty(honest.Diagnoses);
        Assert.NotEmpty(honest.Letters);

        portal.Ignored = Deciding;
        var lenient = await RecordAsync(hospital, sato);

        Assert.Subset(honest.Diagnoses.Select(d => d.Id).ToHashSet(), lenient.Diagnoses.Select(d => d.Id).ToHashSet());
        Assert.Subset(honest.Allergies.Select(a => a.Id).ToHashSet(), lenient.Allergies.Select(a => a.Id).ToHashSet());
        Assert.Subset(honest.Letters.Select(l => l.Id).ToHashSet(), lenient.Letters.Select(l => l.Id).ToHashSet());
        // The base's total counted everybody's: it is not shown.
        Assert.Null(lenient.DiagnosesPage.Total);
        Assert.True(portal.Dropped > 0, "The lenient base did not answer with anything to drop: the test proves nothing.");
    }

    [Fact]
    public async Task A_patient_without_consent_stays_refused_when_the_base_answers_with_other_patients_consents()
    {
        var hospital = Clinician(DemoFacilities.Hospital);
        var kobayashi = await portal.PatientIdAsync(DemoPatients.KobayashiMinoru);

        portal.Ignored = Deciding;
        await using var scope = SignedInScope.Create(portal.Services, hospital);
        var access = await scope.ServiceProvider.GetRequiredService<IPatientAccessGate>().CheckAsync(kobayashi, CancellationToken.None);

        Assert.False(access.Allowed);
        Assert.Equal(PatientAccessDenial.NoConsent, access.Denial);
        await Assert.ThrowsAsync<PatientAccessDeniedException>(() =>
            scope.ServiceProvider.GetRequiredService<IPatientRecordService>().LoadAsync(kobayashi, CancellationToken.None));
    }

    [Fact]
    public async Task A_letter_between_two_other_facilities_does_not_open_as_own_correspondence_when_the_base_ignores_focus()
    {
        var letter = await portal.LetterAsync(DemoFacilities.HospitalCode, DemoFacilities.RegionalHospitalCode);
        var ownLetter = await portal.LetterAsync(DemoFacilities.HospitalCode, DemoFacilities.ClinicCode);
        var clinic = Clinician(DemoFacilities.Clinic);

        portal.Ignored = Deciding;
        await using var scope = SignedInScope.Create(portal.Services, clinic);
        var documents = scope.ServiceProvider.GetRequiredService<IDocumentSource>();

        Assert.Null(await documents.LoadAsync(letter, null, CancellationToken.None));
        // The facility's own letter still opens: the checks drop only what is not the facility's.
        Assert.NotNull(await documents.LoadAsync(ownLetter, null, CancellationToken.None));
    }

    [Fact]
    public async Task A_lookup_shows_only_the_patient_with_the_identifier_typed_when_the_base_ignores_identifier()
    {
        var hospital = Clinician(DemoFacilities.Hospital);
        var memberId = MedNetPortal.Fhir.Identifiers.InsuranceMemberId.ParsePasted(DemoPatients.SatoKenichi.QualificationIdentifier, verifyCheckDigit: false).Value;

        portal.Ignored = Deciding;
        await using var scope = SignedInScope.Create(portal.Services, hospital);
        var result = await scope.ServiceProvider.GetRequiredService<IPatientSearchService>().SearchAsync(memberId, CancellationToken.None);

        var found = Assert.Single(result.Matches);
        Assert.Equal(await portal.PatientIdAsync(DemoPatients.SatoKenichi), found.Id);
        Assert.Equal(1, result.Total);
        Assert.True(portal.Dropped > 0, "The lenient base did not answer with anything to drop: the test proves nothing.");
    }

    private async Task<(List<string> Inbox, List<string> Outbox)> MailboxAsync(CurrentUser user)
    {
        await using var scope = SignedInScope.Create(portal.Services, user);
        var mailbox = scope.ServiceProvider.GetRequiredService<IReferralMailbox>();
        var inbox = await mailbox.GetInboxAsync(null, CancellationToken.None);
        var outbox = await mailbox.GetOutboxAsync(null, CancellationToken.None);
        return (inbox.Items.Select(i => i.LetterId).ToList(), outbox.Items.Select(i => i.LetterId).ToList());
    }

    private async Task<PatientRecord> RecordAsync(CurrentUser user, string patientId)
    {
        await using var scope = SignedInScope.Create(portal.Services, user);
        return await scope.ServiceProvider.GetRequiredService<IPatientRecordService>().LoadAsync(patientId, CancellationToken.None);
    }

    /// <summary>The portal with demo data; its FHIR clients pass through <see cref="IgnoringHandler"/>, off until a test turns it on.</summary>
    public sealed class LenientPortal : IAsyncLifetime
    {
        private readonly IgnoringHandler.Switch state = new();
        private readonly Server factory;

        public LenientPortal() => factory = new Server(state);

        public IServiceProvider Services => factory.Services;

        /// <summary>The parameters the base ignores from now on (none at the start of each test).</summary>
        public string[] Ignored
        {
            get => state.Ignored;
            set
            {
                state.Ignored = value;
                state.Dropped = 0;
            }
        }

        /// <summary>How many resources the portal's checks dropped since <see cref="Ignored"/> was set (from its warnings).</summary>
        public int Dropped => state.Dropped;

        public async Task InitializeAsync()
        {
            _ = factory.RootUri;
            // The demo data is seeded in the background at start-up; the letters' Tasks come last.
            var deadline = DateTime.UtcNow.AddMinutes(4);
            while (DateTime.UtcNow < deadline)
            {
                if (await CountAsync("Task") >= DemoLetters.All.Count)
                {
                    return;
                }

                await Task.Delay(250);
            }

            throw new TimeoutException("The demo letters were not seeded.");
        }

        public async Task<int> CountAsync(string type)
        {
            using var http = factory.CreateBaseClient();
            var bundle = await http.GetFromJsonAsync<JsonElement>($"{type}?_summary=count");
            return bundle.GetProperty("total").GetInt32();
        }

        public async Task<string> PatientIdAsync(DemoPatient patient)
        {
            using var http = factory.CreateBaseClient();
            var bundle = await http.GetFromJsonAsync<JsonElement>(
                "Patient?identifier=" + Uri.EscapeDataString(JpFhir.Systems.InsuranceMemberId + "|" + patient.QualificationIdentifier));
            return bundle.GetProperty("entry").EnumerateArray().Single().GetProperty("resource").GetProperty("id").GetString();
        }

        /// <summary>A demo letter's document id by its sender and destination (from its routing Task).</summary>
        public async Task<string> LetterAsync(string senderCode, string destinationCode)
        {
            using var http = factory.CreateBaseClient();
            var bundle = await http.GetFromJsonAsync<JsonElement>("Task?_count=200");
            var task = bundle.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("resource")).First(t =>
                t.GetProperty("requester").GetProperty("identifier").GetProperty("value").GetString() == senderCode
                && t.GetProperty("owner").GetProperty("identifier").GetProperty("value").GetString() == destinationCode);
            return task.GetProperty("focus").GetProperty("reference").GetString()!["Bundle/".Length..];
        }

        public async Task DisposeAsync() => await factory.DisposeAsync();

        private sealed class Server(IgnoringHandler.Switch state) : PortalFactory(new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Audit:ForwardToCentralBase"] = "false",
        })
        {
            protected override void ConfigureWebHost(IWebHostBuilder builder)
            {
                base.ConfigureWebHost(builder);
                builder.ConfigureTestServices(services =>
                {
                    services.ConfigureAll<HttpClientFactoryOptions>(o => o.HttpMessageHandlerBuilderActions.Add(b => b.AdditionalHandlers.Add(new IgnoringHandler(state))));
                    services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(new DroppedCounter(state));
                });
            }
        }
    }

    /// <summary>
    /// Between the portal and the base: removes the switched-on parameters from POST <c>_search</c> bodies, GET query strings
    /// and the GET entries of a batch, so the base answers as if it did not know them.
    /// </summary>
    private sealed class IgnoringHandler(IgnoringHandler.Switch state) : DelegatingHandler
    {
        public sealed class Switch
        {
            public volatile string[] Ignored = [];

            public int Dropped;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var ignored = state.Ignored;
            if (ignored.Length > 0 && request.RequestUri is { } uri && request.RequestUri.AbsolutePath.Contains("/fhir/", StringComparison.Ordinal))
            {
                if (request.Method == HttpMethod.Post && uri.AbsolutePath.EndsWith("/_search", StringComparison.Ordinal) && request.Content is not null)
                {
                    var form = QueryHelpers.ParseQuery(await request.Content.ReadAsStringAsync(cancellationToken));
                    request.Content = new FormUrlEncodedContent(Keep(form, ignored));
                }
                else if (request.Method == HttpMethod.Get && uri.Query.Length > 1)
                {
                    request.RequestUri = new Uri(Strip(uri.GetLeftPart(UriPartial.Path) + uri.Query, ignored));
                }
                else if (request.Method == HttpMethod.Post && uri.AbsolutePath.EndsWith("/fhir/", StringComparison.Ordinal) && request.Content is not null)
                {
                    var bundle = FhirJson.Deserialize<Bundle>(await request.Content.ReadAsStringAsync(cancellationToken));
                    if (bundle.Type == Bundle.BundleType.Batch)
                    {
                        foreach (var entry in bundle.Entry.Where(e => e.Request?.Method == Bundle.HTTPVerb.GET))
                        {
                            entry.Request.Url = Strip(entry.Request.Url, ignored);
                        }

                        request.Content = new StringContent(FhirJson.Serialize(bundle), Encoding.UTF8, "application/fhir+json");
                    }
                }
            }

            return await base.SendAsync(request, cancellationToken);
        }

        private static List<KeyValuePair<string, string>> Keep(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query, string[] ignored) =>
            [.. query.Where(p => !ignored.Contains(p.Key.Split(':')[0])).SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? string.Empty)))];

        private static string Strip(string url, string[] ignored)
        {
            var question = url.IndexOf('?', StringComparison.Ordinal);
            if (question < 0)
            {
                return url;
            }

            var kept = Keep(QueryHelpers.ParseQuery(url[question..]), ignored);
            return url[..question] + (kept.Count == 0 ? string.Empty : "?" + string.Join('&', kept.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")));
        }
    }

    /// <summary>Counts what the portal's checks dropped, from their warnings (event ids 4510-4529, each with a Count).</summary>
    private sealed class DroppedCounter(IgnoringHandler.Switch state) : Microsoft.Extensions.Logging.ILoggerProvider
    {
        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(state);

        public void Dispose()
        {
        }

        private sealed class Logger(IgnoringHandler.Switch state) : Microsoft.Extensions.Logging.ILogger
        {
            public IDisposable BeginScope<TState>(TState s)
                where TState : notnull => null!;

            public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

            public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState s, Exception exception, Func<TState, Exception, string> formatter)
            {
                if (eventId.Id is >= 4510 and <= 4529 && s is IReadOnlyList<KeyValuePair<string, object>> values
                    && values.FirstOrDefault(v => v.Key == "Count").Value is int count)
                {
                    Interlocked.Add(ref state.Dropped, count);
                }
            }
        }
    }
}

using MedNetPortal.Fhir.Letters;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.IntegrationTests.Account;
using MedNetPortal.IntegrationTests.Infrastructure;
using MedNetPortal.IntegrationTests.Patients;
using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Admin.Facilities;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Documents;
using MedNetPortal.Web.Features.Facilities;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Task = System.Threading.Tasks.Task;

namespace MedNetPortal.IntegrationTests.Security;

[CollectionDefinition(Name)]
public sealed class SecurityCollection : ICollectionFixture<SecurityPortal>
{
    public const string Name = "Security";
}

/// <summary>Who a security test acts as.</summary>
public enum Actor
{
    Anonymous,

    /// <summary>A clinician of facility A (the demo hospital, an emergency hospital).</summary>
    ClinicianA,

    /// <summary>A clinician of facility B (the demo clinic).</summary>
    ClinicianB,

    /// <summary>The facility administrator of facility A.</summary>
    FacilityAdminA,

    SystemAdmin,

    /// <summary>A clinician of facility D, signed in before D was deactivated.</summary>
    DeactivatedClinician,
}

/// <summary>
/// The real portal with the demo data (facility A = the demo hospital, B = the demo clinic) and, for the deactivated-user case,
/// facility D registered only in the portal. Audit forwarding is off so the request counter sees only what the features ask.
/// </summary>
public sealed class SecurityPortal : IAsyncLifetime
{
    public const string FacilityD = "1319999991";
    public const string Password = TestAccounts.Password;

    private readonly PortalServer factory;
    private readonly Dictionary<Actor, (string Id, string Email, string? Facility, string Role)> accounts = [];
    private readonly Dictionary<string, string> patientIds = new(StringComparer.Ordinal);

    public SecurityPortal()
    {
        factory = new PortalServer(Counter);
    }

    public RequestCounter Counter { get; } = new();

    public PortalFactory Factory => factory;

    public IServiceProvider Services => factory.Services;

    /// <summary>A letter from A to B (the clinic's and the hospital's correspondence).</summary>
    public string LetterAtoB { get; private set; } = string.Empty;

    /// <summary>A letter from A to the regional hospital: neither B's correspondence nor D's.</summary>
    public string LetterAtoRegional { get; private set; } = string.Empty;

    public string PatientId(DemoPatient patient) => patientIds[patient.Key];

    public string IdOf(Actor actor) => accounts[actor].Id;

    public string EmailOf(Actor actor) => accounts[actor].Email;

    public CurrentUser UserOf(Actor actor)
    {
        var (id, _, facility, role) = accounts[actor];
        var name = facility switch
        {
            DemoFacilities.HospitalCode => DemoFacilities.Hospital.Name,
            DemoFacilities.ClinicCode => DemoFacilities.Clinic.Name,
            null => null,
            _ => "閉院した診療所",
        };
        return new CurrentUser(id, "試験 太郎", facility, name, [role]);
    }

    /// <summary>A service scope whose signed-in user (as in a Blazor circuit) is <paramref name="actor"/>.</summary>
    public AsyncServiceScope As(Actor actor) => SignedInScope.Create(Services, UserOf(actor));

    public IReadOnlyList<AuditEntry> AuditAfter(long id)
    {
        using var scope = Services.CreateScope();
        return [.. scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditEntries.AsNoTracking().Where(e => e.Id > id).OrderBy(e => e.Id)];
    }

    public long LastAuditId()
    {
        using var scope = Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditEntries.Max(e => (long?)e.Id) ?? 0;
    }

    /// <summary>A browser signed in as <paramref name="actor"/> through the real sign-in form (anonymous: not signed in).</summary>
    public async Task<PortalBrowser> BrowserAsync(Actor actor) =>
        actor == Actor.Anonymous ? PortalBrowser.Open(factory) : await PortalBrowser.SignedInAsync(factory, EmailOf(actor));

    /// <summary>A client for the embedded base (to write test data as another FHIR client would).</summary>
    public HttpClient BaseClient() => factory.CreateBaseClient();

    /// <summary>Creates test data in the base as the test client (the portal's own client may not write patients' records).</summary>
    public async Task<T> CreateAsync<T>(T resource)
        where T : Resource
    {
        using var http = factory.CreateBaseClient();
        using var content = new StringContent(MedNetPortal.Fhir.FhirJson.Serialize(resource), System.Text.Encoding.UTF8, MedNetPortal.Fhir.FhirJson.MediaType);
        using var response = await http.PostAsync(new Uri(resource.TypeName, UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
        return MedNetPortal.Fhir.FhirJson.Deserialize<T>(await response.Content.ReadAsStringAsync());
    }

    public async Task InitializeAsync()
    {
        _ = factory.RootUri;
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            using var http = factory.CreateBaseClient();
            var documents = await SearchAsync<Bundle>(http, "Bundle?type=document&_count=50");
            foreach (var patient in new[] { DemoPatients.SatoKenichi, DemoPatients.SuzukiTome, DemoPatients.KobayashiMinoru })
            {
                var found = await SearchAsync<Hl7.Fhir.Model.Patient>(http, $"Patient?identifier={Uri.EscapeDataString(JpFhir.Systems.InsuranceMemberId + "|" + patient.QualificationIdentifier)}");
                if (found.FirstOrDefault()?.Id is { } id)
                {
                    patientIds[patient.Key] = id;
                }
            }

            var toClinic = documents.FirstOrDefault(d => DocumentRouting.From(d) is { SenderCode: DemoFacilities.HospitalCode, DestinationCode: DemoFacilities.ClinicCode });
            var toRegional = documents.FirstOrDefault(d => DocumentRouting.From(d) is { SenderCode: DemoFacilities.HospitalCode, DestinationCode: DemoFacilities.RegionalHospitalCode });
            if (patientIds.Count == 3 && toClinic is not null && toRegional is not null
                && (await SearchAsync<Hl7.Fhir.Model.Consent>(http, $"Consent?patient=Patient/{patientIds[DemoPatients.SatoKenichi.Key]}")).Count == 2)
            {
                LetterAtoB = toClinic.Id!;
                LetterAtoRegional = toRegional.Id!;
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Demo seeding did not finish.");
            }

            await Task.Delay(300);
        }

        await using (var scope = Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            db.Facilities.Add(new PortalFacility { Code = FacilityD, Name = "閉院した診療所", Active = true, UpdatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        await AddAccountAsync(Actor.ClinicianA, PortalRoles.Clinician, DemoFacilities.HospitalCode, DemoFacilities.Hospital.Name);
        await AddAccountAsync(Actor.ClinicianB, PortalRoles.Clinician, DemoFacilities.ClinicCode, DemoFacilities.Clinic.Name);
        await AddAccountAsync(Actor.FacilityAdminA, PortalRoles.FacilityAdmin, DemoFacilities.HospitalCode, DemoFacilities.Hospital.Name);
        await AddAccountAsync(Actor.SystemAdmin, PortalRoles.SystemAdmin, null, null);
        await AddAccountAsync(Actor.DeactivatedClinician, PortalRoles.Clinician, FacilityD, "閉院した診療所");
    }

    /// <summary>Deactivates facility D as a SystemAdmin would (through the facility service).</summary>
    public async Task DeactivateFacilityDAsync()
    {
        await using var scope = As(Actor.SystemAdmin);
        var result = await scope.ServiceProvider.GetRequiredService<FacilityAdminService>().SetActiveAsync(FacilityD, false, CancellationToken.None);
        if (result.Outcome != FacilityAdminOutcome.Ok)
        {
            throw new InvalidOperationException("Facility D was not deactivated: " + result.Outcome);
        }
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private async Task AddAccountAsync(Actor actor, string role, string? facility, string? facilityName)
    {
        var email = $"{actor.ToString().ToLowerInvariant()}@security.test";
        var id = await TestAccounts.CreateAsync(Services, email, role, configure: u =>
        {
            u.FacilityCode = facility;
            u.FacilityName = facilityName;
        });
        accounts[actor] = (id, email, facility, role);
    }

    private static async Task<List<T>> SearchAsync<T>(HttpClient http, string query)
        where T : Resource
    {
        using var response = await http.GetAsync(new Uri(query, UriKind.Relative));
        return response.IsSuccessStatusCode
            ? FhirJson.Deserialize<Bundle>(await response.Content.ReadAsStringAsync()).Entry.Select(e => e.Resource).OfType<T>().ToList()
            : [];
    }

    private sealed class PortalServer(RequestCounter counter) : PortalFactory(new Dictionary<string, string?>
    {
        ["Demo:Enabled"] = "true",
        ["Audit:ForwardToCentralBase"] = "false",
        ["Security:SessionRevalidationSeconds"] = "1",
        // Rate-limit windows are aligned to the clock: a day-long one keeps a boundary (which resets counts) out of a test.
        ["RateLimits:EmergencyWindowSeconds"] = "86400",
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

using MedNetPortal.IntegrationTests.Infrastructure;
using MedNetPortal.Tests.Shared;

namespace MedNetPortal.IntegrationTests.FhirBase.Security;

/// <summary>
/// The embedded base with one OAuth client per scope set the security tests need, registered through configuration like
/// any deployment's clients. Every client has the secret <see cref="Secret"/>.
/// </summary>
public sealed class SecuredBaseFixture : IAsyncLifetime
{
    public const string Secret = "security-test-secret-0123456789";

    /// <summary>Client id → its registered scopes.</summary>
    public static readonly IReadOnlyDictionary<string, string> Clients = new Dictionary<string, string>
    {
        ["reader"] = "system/*.rs",
        ["v1-reader"] = "system/*.read",
        ["patient-r"] = "system/Patient.r",
        ["patient-rs"] = "system/Patient.rs",
        ["patient-cr"] = "system/Patient.cr",
        ["patient-cruds"] = "system/Patient.cruds",
        ["condition-rs"] = "system/Condition.rs",
        // The portal's scopes in appsettings.Development.json and appsettings.sample.json.
        ["portal"] = "system/*.rs system/AuditEvent.c system/Bundle.c system/Consent.c system/DocumentReference.c system/Organization.cu system/Patient.c system/Task.cu",
    };

    private readonly List<HttpClient> _clients = [];
    private Task<Seeded>? _seeded;

    /// <summary>A stored Patient (version 2), a Condition about it, and a paging link of a Patient search.</summary>
    public sealed record Seeded(string PatientId, string ConditionId, string PatientPageLink);

    public EmbeddedFhirBaseFixture Base { get; } = new(Clients.SelectMany(c => new KeyValuePair<string, string?>[]
    {
        new($"FhirBase:Auth:Clients:{c.Key}:Secret", Secret),
        new($"FhirBase:Auth:Clients:{c.Key}:Scopes", c.Value),
    }).ToDictionary());

    /// <summary>The test client: every scope.</summary>
    public HttpClient Full => Base.Http;

    /// <summary>A client of the base that gets its tokens as <paramref name="clientId"/>.</summary>
    public HttpClient As(string clientId)
    {
        var http = BaseClientCredentials.CreateHttpClient(Base.BaseUri, clientId: clientId, secret: Secret);
        _clients.Add(http);
        return http;
    }

    /// <summary>A client without any token.</summary>
    public HttpClient Anonymous()
    {
        var http = new HttpClient { BaseAddress = Base.BaseUri };
        _clients.Add(http);
        return http;
    }

    /// <summary>Stores the <see cref="Seeded"/> data once, as the test client.</summary>
    public Task<Seeded> SeedAsync() => _seeded ??= SeedOnceAsync();

    private async Task<Seeded> SeedOnceAsync()
    {
        var patient = await Full.CreateAsync(FhirTestClient.NewPatient("SEC-" + Guid.NewGuid().ToString("N")));
        patient.BirthDate = "1971-01-01";
        using (var update = await Full.PutAsync($"Patient/{patient.Id}", FhirTestClient.Json(patient)))
        {
            update.EnsureSuccessStatusCode();
        }
        await Full.CreateAsync(FhirTestClient.NewPatient("SEC-" + Guid.NewGuid().ToString("N")));
        var condition = await Full.CreateAsync(new Hl7.Fhir.Model.Condition
        {
            Subject = new Hl7.Fhir.Model.ResourceReference($"Patient/{patient.Id}"),
            Code = new Hl7.Fhir.Model.CodeableConcept { Text = "高血圧症" },
        });
        using var search = await Full.GetAsync("Patient?_count=1");
        var page = await search.ReadAsync<Hl7.Fhir.Model.Bundle>();
        return new Seeded(patient.Id!, condition.Id!, page.NextLink!.ToString());
    }

    public Task InitializeAsync() => Base.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Base.DisposeAsync();
    }
}

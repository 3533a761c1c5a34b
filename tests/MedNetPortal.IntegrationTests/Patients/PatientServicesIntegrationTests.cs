using System.Collections.Concurrent;
using System.Text;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.IntegrationTests.Infrastructure;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Patients;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.IntegrationTests.Patients;

/// <summary>Requests sent by the CentralFhir client (method and path only).</summary>
public sealed class RequestCounter
{
    private readonly ConcurrentQueue<string> requests = new();

    public IReadOnlyList<string> Requests => [.. requests];

    public void Clear() => requests.Clear();

    public DelegatingHandler NewHandler() => new CountingHandler(this);

    private sealed class CountingHandler(RequestCounter counter) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            counter.requests.Enqueue($"{request.Method} {request.RequestUri?.AbsolutePath}");
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>A clinician of the demo hospital, for service tests that are not about who may search.</summary>
internal sealed class ClinicianUser : MedNetPortal.Web.Features.Account.ICurrentUserAccessor
{
    public static readonly ClinicianUser Instance = new();

    public Task<MedNetPortal.Web.Features.Account.CurrentUser?> GetAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<MedNetPortal.Web.Features.Account.CurrentUser?>(new(
            "clinician-1", "医師", MedNetPortal.Web.Features.Demo.DemoFacilities.HospitalCode, MedNetPortal.Web.Features.Demo.DemoFacilities.Hospital.Name,
            [MedNetPortal.Web.Features.Account.PortalRoles.Clinician]));
}

internal sealed class AllowingGate : MedNetPortal.Web.Features.Consent.IPatientAccessGate
{
    public Task<MedNetPortal.Web.Features.Consent.PatientAccess> CheckAsync(string patientId, CancellationToken cancellationToken) =>
        Task.FromResult(new MedNetPortal.Web.Features.Consent.PatientAccess(MedNetPortal.Web.Features.Consent.PatientAccessKind.Consent, null, null));

    public Task<MedNetPortal.Web.Features.Consent.PatientAccess> EnsureAsync(string patientId, CancellationToken cancellationToken) =>
        CheckAsync(patientId, cancellationToken);

    public void Forget(string patientId)
    {
    }
}

/// <summary>The embedded base with the demo data, plus two official JP-CLINS resources written by a plain HTTP client.</summary>
public sealed class SeededBaseFixture : IAsyncLifetime
{
    public EmbeddedFhirBaseFixture Base { get; } = new();

    public RequestCounter Counter { get; } = new();

    public MedNetPortal.IntegrationTests.RecordingAuditTrail Audit { get; } = new();

    public ServiceProvider Services { get; private set; } = null!;

    public string MakinoId { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        await Base.InitializeAsync();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(Base.ClientSettings())
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCentralFhirClient(configuration).AddHttpMessageHandler(Counter.NewHandler);
        services.AddPatients();
        // These tests are about reading the record; the consent gate has its own tests.
        services.AddScoped<MedNetPortal.Web.Features.Consent.IPatientAccessGate, AllowingGate>();
        services.AddSingleton<MedNetPortal.Web.Features.Account.ICurrentUserAccessor>(ClinicianUser.Instance);
        services.AddSingleton<MedNetPortal.Web.Features.Audit.IAuditTrail>(Audit);
        Services = services.BuildServiceProvider();
        await DemoSeeder.SeedAsync(Services.GetRequiredService<IFhirApi>(), CancellationToken.None);

        // Written by "another FHIR client": the official example patient and letter, posted as they are.
        var patientJson = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "jp-clins", "Patient-Example-JP-Patient-eCS-MAKINO.json"));
        using var created = await Base.Http.PostAsync("Patient", new StringContent(patientJson, Encoding.UTF8, "application/fhir+json"));
        created.EnsureSuccessStatusCode();
        MakinoId = MedNetPortal.Fhir.FhirJson.Deserialize<Hl7.Fhir.Model.Patient>(await created.Content.ReadAsStringAsync()).Id!;
        var letterJson = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "jp-clins", "Bundle-Bundle-CLINS-Referral-Example-01.json"));
        using var letter = await Base.Http.PostAsync("Bundle", new StringContent(letterJson, Encoding.UTF8, "application/fhir+json"));
        letter.EnsureSuccessStatusCode();
        var condition = $$"""
            {"resourceType":"Condition","meta":{"tag":[{"system":"{{JpFhir.Systems.EhrShareIndication}}","code":"UNDELIVERED"}]},
             "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},
             "code":{"coding":[{"system":"http://example.org/CodeSystem/local-disease","code":"L-1"}],"text":"胃潰瘍"},
             "subject":{"reference":"Patient/{{MakinoId}}"},"recordedDate":"2024-01-02"}
            """;
        using var conditionResponse = await Base.Http.PostAsync("Condition", new StringContent(condition, Encoding.UTF8, "application/fhir+json"));
        conditionResponse.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        await Base.DisposeAsync();
    }
}

public sealed class PatientServicesIntegrationTests(SeededBaseFixture fixture) : IClassFixture<SeededBaseFixture>
{
    private IPatientSearchService Search => fixture.Services.GetRequiredService<IPatientSearchService>();

    private IPatientRecordService Records => fixture.Services.GetRequiredService<IPatientRecordService>();

    private static InsuranceMemberId Id(string insurer, string symbol, string number, string branch) =>
        InsuranceMemberId.Parse(insurer, symbol, number, branch).Value!;

    [Fact]
    public async Task Search_normalises_width_and_six_digit_insurers_in_one_POST()
    {
        fixture.Counter.Clear();

        // Stored as 00138214:練馬:１２３４５: (kanji symbol → full-width number); typed half-width with a 6-digit insurer.
        var ito = await Search.SearchAsync(Id("138214", "練馬", "12345", ""), CancellationToken.None);
        // Stored half-width A12; typed full-width.
        var sato = await Search.SearchAsync(Id("01137116", "Ａ１２", "３４５６７８９", ""), CancellationToken.None);

        Assert.Equal("伊藤 美咲", Assert.Single(ito.Matches).NameKanji);
        Assert.Equal("サトウ ケンイチ", Assert.Single(sato.Matches).NameKana);
        Assert.Equal(["POST /fhir/Patient/_search", "POST /fhir/Patient/_search"], fixture.Counter.Requests);
    }

    [Fact]
    public async Task Search_without_a_match_is_empty()
    {
        var result = await Search.SearchAsync(Id("06134522", "1234", "5678", ""), CancellationToken.None);

        Assert.Empty(result.Matches);
        Assert.Equal(0, result.Total);
    }

    [Fact]
    public async Task Large_record_loads_in_one_batch_and_more_is_one_more_request()
    {
        var id = Assert.Single((await Search.SearchAsync(Id("273052", "45", "7654321", ""), CancellationToken.None)).Matches).Id;
        fixture.Counter.Clear();

        var record = await Records.LoadAsync(id, CancellationToken.None);

        Assert.Equal(["POST /fhir/"], fixture.Counter.Requests);
        Assert.Equal("高橋 誠", record.Patient.NameKanji);
        Assert.Equal(PatientRecordService.DiagnosisPageSize, record.Diagnoses.Count);
        Assert.True(record.DiagnosesPage.Total >= 523);
        Assert.True(record.DiagnosesPage.HasMore);
        Assert.NotEmpty(record.Letters);

        var more = await Records.MoreDiagnosesAsync(id, record.DiagnosesPage.NextLink!, record.DiagnosesPage.Loaded, CancellationToken.None);

        Assert.Equal(2, fixture.Counter.Requests.Count);
        Assert.Equal(PatientRecordService.DiagnosisPageSize, more.Items.Count);
        Assert.Equal(2 * PatientRecordService.DiagnosisPageSize, more.Page.Loaded);
        Assert.Empty(more.Items.Select(d => d.Id).Intersect(record.Diagnoses.Select(d => d.Id)));
    }

    [Fact]
    public async Task Record_carries_marks_letters_and_entered_in_error()
    {
        var suzuki = Assert.Single((await Search.SearchAsync(Id("39130158", "", "00123456", ""), CancellationToken.None)).Matches).Id;
        var sato = Assert.Single((await Search.SearchAsync(Id("01137116", "A12", "3456789", ""), CancellationToken.None)).Matches).Id;

        var s = await Records.LoadAsync(suzuki, CancellationToken.None);
        var k = await Records.LoadAsync(sato, CancellationToken.None);

        Assert.True(s.Diagnoses.Single(d => d.Name == "胃癌").Marks.Uninformed);
        // JP-CLINS files drug entries (category medication) as 薬剤禁忌, in their own search; the rest stay allergies.
        Assert.Equal(["ヨード造影剤", "ロキソプロフェンナトリウム"], s.Contraindications.Items.Select(a => a.Substance).Order());
        Assert.True(s.Contraindications.Items.Single(a => a.Substance == "ヨード造影剤").HighCriticality);
        Assert.Equal("ラテックス", Assert.Single(s.Allergies).Substance);
        var letter = Assert.Single(s.Letters);
        Assert.StartsWith("肺炎の治療後", letter.Purpose);
        Assert.False(string.IsNullOrEmpty(letter.Id));
        Assert.Contains(k.Contraindications.Items, a => a.Substance == "ロキソプロフェン" && a.EnteredInError);
        Assert.Equal(6, s.DiagnosesPage.Total);
        Assert.False(s.DiagnosesPage.HasMore);
    }

    [Fact]
    public async Task A_patient_written_by_another_client_reads_with_its_letter_and_tags()
    {
        // The official example's insurer number fails the check digit, so it is read without the check here.
        var makino = InsuranceMemberId.Parse("00012345", "あいう", "187", "05", verifyCheckDigit: false).Value!;
        var found = Assert.Single((await Search.SearchAsync(makino, CancellationToken.None)).Matches);
        Assert.Equal(fixture.MakinoId, found.Id);

        var record = await Records.LoadAsync(fixture.MakinoId, CancellationToken.None);

        Assert.Equal("マキノ ランマン", record.Patient.NameKana);
        var condition = Assert.Single(record.Diagnoses);
        Assert.True(condition.Marks.Undelivered);
        Assert.Equal("local-disease", condition.Codes.Single().SystemName);
        Assert.Equal("腹痛精査お願いします。", Assert.Single(record.Letters).Purpose);
    }

    [Fact]
    public async Task Unknown_ids_fail_as_not_found_and_malformed_ids_send_nothing()
    {
        fixture.Counter.Clear();
        var unknown = await Assert.ThrowsAsync<FhirApiException>(() => Records.LoadAsync("no-such-patient", CancellationToken.None));
        var malformed = await Assert.ThrowsAsync<FhirApiException>(() => Records.LoadAsync("../metadata", CancellationToken.None));

        Assert.Equal(FhirApiErrorReason.NotFound, unknown.Reason);
        Assert.Equal(FhirApiErrorReason.NotFound, malformed.Reason);
        Assert.Equal(["POST /fhir/"], fixture.Counter.Requests);
    }
}

using System.Collections.Concurrent;
using System.Text;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.IntegrationTests.Infrastructure;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Patients;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MedNetPortal.TestSupport;

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

    /// <summary>The patient of the official Observations example bundle (posted as a transaction, as another client would).</summary>
    public string ObservationsPatientId { get; private set; } = string.Empty;

    /// <summary>A patient with more lab results than one page holds.</summary>
    public string ManyLabsPatientId { get; private set; } = string.Empty;

    /// <summary>The 医療機関コード the official lab and prescription examples carry; an Organization for it is stored here.</summary>
    public const string OfficialExampleFacilityCode = "1318814790";

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
        services.AddSingleton<MedNetPortal.Web.Host.Identity.ICurrentUserAccessor>(new TestUser(TestUser.HospitalClinician));
        services.AddSingleton<MedNetPortal.Web.Features.Audit.IAuditTrail>(Audit);
        // The document viewer's source, as the letters feature registers it.
        services.AddSingleton<MedNetPortal.Web.Features.Letters.FacilityOrganizationCache>();
        services.AddScoped<MedNetPortal.Web.Features.Letters.FacilityOrganizations>();
        services.AddScoped<MedNetPortal.Web.Features.Letters.IDocumentSource, MedNetPortal.Web.Features.Letters.DocumentService>();
        Services = services.BuildServiceProvider();
        await DemoSeeder.SeedAsync(Services.GetRequiredService<IFhirApi>(), CancellationToken.None);
        // As the start-up check does in the app: the base's statement is known before the first record is read.
        Assert.True(await Services.GetRequiredService<BaseStatedIncludes>().StatesAllAsync(
            PatientRecordBatch.InstitutionIncludes, Services.GetRequiredService<CentralFhirClient>(), CancellationToken.None));

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
        await SeedOfficialItemsAsync();
        await SeedManyLabsAsync();
    }

    /// <summary>
    /// The official lab results (the Observations example, a collection Bundle, posted as a transaction: the same resources,
    /// the Patient created conditionally) and the two official prescriptions for 牧野 (their subject, a logical reference by
    /// identifier in the example, pointed at the stored Patient), plus an Organization for the facility code they carry.
    /// </summary>
    private async Task SeedOfficialItemsAsync()
    {
        var organization = new Hl7.Fhir.Model.Organization
        {
            Name = "テスト記念病院",
            Identifier = [new Hl7.Fhir.Model.Identifier(JpFhir.Systems.MedicalInstitutionCode, OfficialExampleFacilityCode)],
        };
        using (var created = await Base.Http.PostAsync("Organization", new StringContent(FhirJson.Serialize(organization), Encoding.UTF8, "application/fhir+json")))
        {
            created.EnsureSuccessStatusCode();
        }

        var bundle = FhirJson.Deserialize<Hl7.Fhir.Model.Bundle>(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "jp-clins", "Bundle-Bundle-CLINS-Observations-Example-01.json")));
        bundle.Type = Hl7.Fhir.Model.Bundle.BundleType.Transaction;
        foreach (var entry in bundle.Entry)
        {
            entry.Request = new Hl7.Fhir.Model.Bundle.RequestComponent { Method = Hl7.Fhir.Model.Bundle.HTTPVerb.POST, Url = entry.Resource!.TypeName };
            if (entry.Resource is Hl7.Fhir.Model.Patient patient)
            {
                var member = patient.Identifier.Single(i => i.System == JpFhir.Systems.InsuranceMemberId);
                entry.Request.IfNoneExist = "identifier=" + Uri.EscapeDataString($"{member.System}|{member.Value}");
            }
        }

        using (var response = await Base.Http.PostAsync(string.Empty, new StringContent(FhirJson.Serialize(bundle), Encoding.UTF8, "application/fhir+json")))
        {
            response.EnsureSuccessStatusCode();
            var answer = FhirJson.Deserialize<Hl7.Fhir.Model.Bundle>(await response.Content.ReadAsStringAsync());
            ObservationsPatientId = answer.Entry[0].Response!.Location!.Split('/')[1];
        }

        foreach (var file in new[] { "MedicationRequest-Example-JP-MedReq-PO-SID-28days.json", "MedicationRequest-Example-JP-MedReq-PO-TID-2days.json" })
        {
            var request = FhirJson.Deserialize<Hl7.Fhir.Model.MedicationRequest>(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "jp-clins", file)));
            request.Id = null;
            request.Subject = new Hl7.Fhir.Model.ResourceReference($"Patient/{MakinoId}");
            using var created = await Base.Http.PostAsync("MedicationRequest", new StringContent(FhirJson.Serialize(request), Encoding.UTF8, "application/fhir+json"));
            created.EnsureSuccessStatusCode();
        }
    }

    /// <summary>A patient with 250 HbA1c results (one a day) at two facilities: more than one page of labs.</summary>
    private async Task SeedManyLabsAsync()
    {
        var patient = DemoPatients.SatoKenichi with { Key = "many-labs", Symbol = "ケンサ", Number = "２５０", Branch = "" };
        var labs = Enumerable.Range(0, PatientRecordBatch.LabPageSize + 50).Select(i => DemoLabCodes.Lab(
            $"many-labs-{i}", "HBA1C", "HbA1c", DemoLabCodes.HbA1c, 6.0m + i % 10 / 10m, "%", 4.6m, 6.2m,
            new DateOnly(2026, 11, 30).AddDays(-i).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            i % 2 == 0 ? "hospital-gastro" : "regional-geriatrics")).ToList();
        var transaction = DemoTransactions.ForPatient(new DemoPatientRecord(patient, [], [], labs, []));
        await Services.GetRequiredService<CentralFhirClient>().TransactionAsync(transaction, CancellationToken.None);
        var found = await Services.GetRequiredService<CentralFhirClient>().SearchPostAsync<Hl7.Fhir.Model.Patient>(
            new FhirSearchParameters().Add("identifier", $"{DemoSystems.InsuranceMemberId}|{patient.QualificationIdentifier}"), CancellationToken.None);
        ManyLabsPatientId = found.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Patient>().Single().Id!;
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
        Assert.Equal(8, PatientRecordBatch.BuildBatch(id).Entry.Count);
        Assert.Equal("高橋 誠", record.Patient.NameKanji);
        Assert.Equal(PatientRecordBatch.DiagnosisPageSize, record.Diagnoses.Count);
        Assert.True(record.DiagnosesPage.Total >= 523);
        Assert.True(record.DiagnosesPage.HasMore);
        Assert.NotEmpty(record.Letters);

        var more = await Records.MoreDiagnosesAsync(id, record.DiagnosesPage.NextLink!, record.DiagnosesPage.Loaded, CancellationToken.None);

        Assert.Equal(2, fixture.Counter.Requests.Count);
        Assert.Equal(PatientRecordBatch.DiagnosisPageSize, more.Items.Count);
        Assert.Equal(2 * PatientRecordBatch.DiagnosisPageSize, more.Page.Loaded);
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
        var letter = Assert.Single(s.Letters, l => l.Kind == RecordDocumentKind.ReferralLetter);
        Assert.StartsWith("肺炎の治療後", letter.Purpose);
        Assert.False(string.IsNullOrEmpty(letter.Id));
        Assert.Contains(k.Contraindications.Items, a => a.Substance == "ロキソプロフェン" && a.EnteredInError);
        Assert.Equal(6, s.DiagnosesPage.Total);
        Assert.False(s.DiagnosesPage.HasMore);
    }

    [Fact]
    public async Task The_record_lists_the_discharge_summary_and_checkup_report_with_the_letter_in_the_one_batch_and_opens_both()
    {
        var suzuki = Assert.Single((await Search.SearchAsync(Id("39130158", "", "00123456", ""), CancellationToken.None)).Matches).Id;
        fixture.Counter.Clear();

        var record = await Records.LoadAsync(suzuki, CancellationToken.None);

        Assert.Equal(["POST /fhir/"], fixture.Counter.Requests);
        Assert.Null(record.LettersError);
        // Newest first: the check-up (2026-10-20), the discharge summary (2025-02-21 16:00), the letter (2025-02-21 10:15).
        Assert.Equal([RecordDocumentKind.CheckupReport, RecordDocumentKind.DischargeSummary, RecordDocumentKind.ReferralLetter], record.Letters.Select(l => l.Kind));
        Assert.Equal(3, record.LettersPage.Total);
        var checkup = record.Letters[0];
        Assert.Equal(("はまかぜ記念病院", DemoFacilities.RegionalHospitalCode, "後期高齢者健診"), (checkup.SenderFacility, checkup.SenderCode, checkup.Purpose));
        var summary = record.Letters[1];
        Assert.Equal(("みどり台総合病院", DemoFacilities.HospitalCode), (summary.SenderFacility, summary.SenderCode));
        Assert.Null(summary.DestinationFacility);
        Assert.Contains("肺炎（治癒）", summary.Purpose, StringComparison.Ordinal);

        // 処方: the summary's two lines the record holds as MedicationRequests are counted once; its third line joins them.
        Assert.Equal(3, summary.Prescriptions.Count);
        var lines = record.PrescriptionLines;
        Assert.Equal(record.Prescriptions.Items.Count + 1, lines.Count);
        Assert.Single(lines, p => p.DrugName == "アピキサバン錠2.5mg" && p.AuthoredOn == "2025-02-21");
        var magnesium = Assert.Single(lines, p => p.DrugName == "酸化マグネシウム錠330mg");
        Assert.Equal("退院時サマリー", magnesium.SourceDocument);
        Assert.Equal(new FacilityRef(DemoFacilities.HospitalCode, "みどり台総合病院"), magnesium.Facility);
        // The timeline shows all three documents.
        Assert.Equal(3, RecordTimeline.Build(record).Count(e => e.Kind == RecordItemKind.Document));

        using var scope = fixture.Services.CreateScope();
        var documents = scope.ServiceProvider.GetRequiredService<MedNetPortal.Web.Features.Letters.IDocumentSource>();
        fixture.Counter.Clear();
        var opened = await documents.LoadAsync(summary.Id, suzuki, CancellationToken.None);
        Assert.Equal(["POST /fhir/"], fixture.Counter.Requests);
        Assert.Equal(MedNetPortal.Web.Features.Documents.DocumentKind.DischargeSummary, opened!.Kind);
        Assert.Equal(new MedNetPortal.Web.Features.Documents.DocumentStay("2025-02-03", "2025-02-21"), opened.Stay);
        Assert.Contains(opened.AllSections, s => s.Code == "444" && s.Entries.Count == 3);
        Assert.Equal(suzuki, opened.BasePatientId);

        var report = await documents.LoadAsync(checkup.Id, suzuki, CancellationToken.None);
        Assert.Equal(MedNetPortal.Web.Features.Documents.DocumentKind.HealthCheckReport, report!.Kind);
        Assert.Equal(15, report.AllSections.Sum(s => s.Results.Count));
        Assert.Contains(fixture.Audit.Records, a => a.Action == MedNetPortal.Web.Features.Audit.AuditAction.DocumentOpened && a.Detail == "Bundle/" + checkup.Id && a.PatientId == suzuki);

        // Under another patient's record (and that patient's consent) neither document opens.
        var sato = Assert.Single((await Search.SearchAsync(Id("01137116", "A12", "3456789", ""), CancellationToken.None)).Matches).Id;
        Assert.Null(await documents.LoadAsync(summary.Id, sato, CancellationToken.None));
        Assert.Null(await documents.LoadAsync(checkup.Id, sato, CancellationToken.None));
    }

    [Fact]
    public async Task Without_consent_a_discharge_summary_is_not_read_and_the_refusal_is_raised()
    {
        var suzuki = Assert.Single((await Search.SearchAsync(Id("39130158", "", "00123456", ""), CancellationToken.None)).Matches).Id;
        var summaryId = (await Records.LoadAsync(suzuki, CancellationToken.None)).Letters.Single(l => l.Kind == RecordDocumentKind.DischargeSummary).Id;
        using var scope = fixture.Services.CreateScope();
        // Even a clinician of the hospital that wrote it needs the patient's consent: a summary is not correspondence (no Task).
        var service = new MedNetPortal.Web.Features.Letters.DocumentService(
            scope.ServiceProvider.GetRequiredService<CentralFhirClient>(), new TestUser(TestUser.HospitalClinician), new DenyingGate(), fixture.Audit,
            scope.ServiceProvider.GetRequiredService<MedNetPortal.Web.Features.Letters.FacilityOrganizations>(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<MedNetPortal.Web.Features.Letters.DocumentService>.Instance);
        fixture.Counter.Clear();

        await Assert.ThrowsAsync<MedNetPortal.Web.Features.Consent.PatientAccessDeniedException>(() => service.LoadAsync(summaryId, suzuki, CancellationToken.None));

        // No read of the document: only the facility's own correspondence is looked up (its Organization, then one batch for
        // its Tasks, none of which names the summary).
        Assert.All(fixture.Counter.Requests, r => Assert.Contains(r, new[] { "POST /fhir/Organization/_search", "POST /fhir/" }));
        Assert.True(fixture.Counter.Requests.Count(r => r == "POST /fhir/") <= 1);
    }

    private sealed class DenyingGate : MedNetPortal.Web.Features.Consent.IPatientAccessGate
    {
        public Task<MedNetPortal.Web.Features.Consent.PatientAccess> CheckAsync(string patientId, CancellationToken cancellationToken) =>
            Task.FromResult(MedNetPortal.Web.Features.Consent.PatientAccess.Denied(MedNetPortal.Web.Features.Consent.PatientAccessDenial.NoConsent));

        public Task<MedNetPortal.Web.Features.Consent.PatientAccess> EnsureAsync(string patientId, CancellationToken cancellationToken) =>
            throw new MedNetPortal.Web.Features.Consent.PatientAccessDeniedException(patientId, PatientAccessDeniedExceptionAccess);

        public void Forget(string patientId)
        {
        }

        private static MedNetPortal.Web.Features.Consent.PatientAccess PatientAccessDeniedExceptionAccess =>
            MedNetPortal.Web.Features.Consent.PatientAccess.Denied(MedNetPortal.Web.Features.Consent.PatientAccessDenial.NoConsent);
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
    public async Task Every_group_comes_in_the_one_batch_with_facility_and_prescriber_names()
    {
        var suzuki = Assert.Single((await Search.SearchAsync(Id("39130158", "", "00123456", ""), CancellationToken.None)).Matches).Id;
        fixture.Counter.Clear();

        var record = await Records.LoadAsync(suzuki, CancellationToken.None);

        Assert.Equal(["POST /fhir/"], fixture.Counter.Requests);
        Assert.All(new FhirApiErrorReason?[]
        {
            record.DiagnosesError, record.AllergiesError, record.LettersError, record.Contraindications.Error, record.Labs.Error,
            record.Infections.Error, record.Prescriptions.Error,
        }, Assert.Null);

        // 薬剤禁忌: the drug entries, named with their facility.
        var iodine = record.Contraindications.Items.Single(a => a.Substance == "ヨード造影剤");
        Assert.True(iodine.HighCriticality);
        Assert.Equal(new FacilityRef(DemoFacilities.HospitalCode, "みどり台総合病院"), iodine.Facility);
        Assert.Equal("はまかぜ記念病院", record.Contraindications.Items.Single(a => a.Substance == "ロキソプロフェンナトリウム").Facility!.Name);
        Assert.Equal("みどり台総合病院", Assert.Single(record.Diagnoses, d => d.Name == "心房細動").Facility.Name);

        // 検査: several dates of one test, two facilities, flags; the infection results are not among them.
        var bnp = record.Labs.Items.Where(l => l.Name == "BNP").OrderBy(l => l.Day).ToList();
        Assert.Equal([185m, 312m, 160m, 142m], bnp.Select(l => l.Value));
        Assert.Single(bnp.Select(l => l.TestKey).Distinct());
        Assert.All(bnp, l => Assert.Equal(LabFlag.High, l.Flag));
        Assert.Equal(["はまかぜ記念病院", "みどり台総合病院"], bnp.Select(l => l.Facility.Name).Distinct().Order());
        Assert.Equal("青木 誠一", bnp[0].Performer);
        Assert.Equal(LabFlag.Low, record.Labs.Items.Single(l => l.Name == "カリウム" && l.Value == 3.3m).Flag);
        Assert.DoesNotContain(record.Labs.Items, l => l.Name.Contains("HCV", StringComparison.Ordinal));

        // 感染症: their own group, the positive one flagged.
        Assert.Equal(["HBs抗原", "HCV抗体", "梅毒TP抗体"], record.Infections.Items.Select(i => i.Name).Order());
        Assert.Equal(LabFlag.Abnormal, record.Infections.Items.Single(i => i.Name == "HCV抗体").Flag);
        Assert.Equal("陽性", record.Infections.Items.Single(i => i.Name == "HCV抗体").ValueText);

        // 処方: current and past, prescriber and facility by name, the facility's drug code.
        var today = new DateOnly(2026, 12, 3);
        var current = record.Prescriptions.Items.Where(p => p.IsCurrentOn(today)).ToList();
        Assert.Equal(["アピキサバン錠2.5mg", "フロセミド錠20mg"], current.Select(p => p.DrugName).Order());
        Assert.All(current, p => Assert.Equal("はまかぜ記念病院", p.Facility.Name));
        Assert.All(current, p => Assert.Equal("石川 修", p.Prescriber));
        Assert.Equal(2, record.Prescriptions.Items.Count(p => !p.IsCurrentOn(today)));
        Assert.Contains(current, p => p.Codes.Any(c => c.Code == "R-0571" && c.SystemKey == PatientMapper.CodeSystemKeys.LocalCode));
        Assert.Equal(90, current[0].Days);
    }

    [Fact]
    public async Task More_labs_is_one_more_request_and_its_page_names_its_own_facilities()
    {
        fixture.Counter.Clear();
        var record = await Records.LoadAsync(fixture.ManyLabsPatientId, CancellationToken.None);

        Assert.Equal(PatientRecordBatch.LabPageSize, record.Labs.Items.Count);
        Assert.Equal(PatientRecordBatch.LabPageSize + 50, record.Labs.Page.Total);
        Assert.True(record.Labs.Page.HasMore);
        Assert.All(record.Labs.Items, l => Assert.NotNull(l.Facility.Name));

        var more = await Records.MoreLabsAsync(fixture.ManyLabsPatientId, record.Labs.Page.NextLink!, record.Labs.Page.Loaded, CancellationToken.None);

        Assert.Equal(["POST /fhir/", "GET /fhir/Observation"], fixture.Counter.Requests);
        Assert.Equal(50, more.Items.Count);
        Assert.Equal(PatientRecordBatch.LabPageSize + 50, more.Page.Loaded);
        Assert.False(more.Page.HasMore);
        Assert.Equal(["はまかぜ記念病院", "みどり台総合病院"], more.Items.Select(l => l.Facility.Name!).Distinct().Order());
        Assert.Empty(more.Items.Select(l => l.Id).Intersect(record.Labs.Items.Select(l => l.Id)));
        Assert.True(record.Labs.Items.Min(l => l.Day) > more.Items.Max(l => l.Day));
    }

    [Fact]
    public async Task Official_lab_results_and_prescriptions_written_by_another_client_read_with_names()
    {
        var labs = await Records.LoadAsync(fixture.ObservationsPatientId, CancellationToken.None);
        var makino = await Records.LoadAsync(fixture.MakinoId, CancellationToken.None);

        Assert.Equal(["eGFR", "アルブミン", "カリウム", "尿蛋⽩(定性)"], labs.Labs.Items.Select(l => l.Name).Order(StringComparer.Ordinal));
        Assert.Empty(labs.Infections.Items);
        Assert.All(labs.Labs.Items, l => Assert.Equal(new FacilityRef(SeededBaseFixture.OfficialExampleFacilityCode, "テスト記念病院"), l.Facility));
        Assert.All(labs.Labs.Items, l => Assert.Equal("田中 宏", l.Performer));
        Assert.Equal("(±)", labs.Labs.Items.Single(l => l.Name.StartsWith("尿蛋", StringComparison.Ordinal)).ValueText);

        Assert.Equal(["クアゼパム錠２０ｍｇ", "ミヤＢＭ錠（２０ｍｇ／錠）"], makino.Prescriptions.Items.Select(p => p.DrugName).Order(StringComparer.Ordinal));
        Assert.All(makino.Prescriptions.Items, p => Assert.Equal("テスト記念病院", p.Facility.Name));
        Assert.Equal(["医学 一郎", "医療 太郎"], makino.Prescriptions.Items.Select(p => p.Prescriber!).Order(StringComparer.Ordinal));
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

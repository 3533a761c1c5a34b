using BenchmarkDotNet.Attributes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Patients;

namespace MedNetPortal.Benchmarks;

/// <summary>
/// The record page's fetch below the consent gate: the one batch (PatientRecordBatch.BuildBatch), the round trip, parsing,
/// and mapping to the page's records (PatientMapper). Three ways, same data, same run: the portal's CentralFhirClient, the
/// Firely SDK's FhirClient (the baseline: the peer a developer would use instead), and deserialising the same response body
/// alone (the floor, no HTTP). A fourth case posts the same batch as ready-made bytes and reads the answer as bytes: the round
/// trip every client pays, most of it the embedded base's own work in this same process, so "ours − round trip" is what the
/// client itself costs.
/// </summary>
[MemoryDiagnoser]
public class RecordFetchBenchmarks
{
    private EmbeddedBase _base = null!;
    private FhirClient _firely = null!;
    private HttpClient _firelyHttp = null!;
    private string _patientId = null!;
    private string _responseJson = null!;
    private byte[] _requestBody = null!;
    private Uri _batchUri = null!;

    [Params("typical", "large")]
    public string Record { get; set; } = "typical";

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async System.Threading.Tasks.Task SetupAsync()
    {
        _base = await EmbeddedBase.StartAsync();
        _patientId = await BenchRecords.SeedAsync(_base.Client, RecordShape.ByName(Record), CancellationToken.None);
        // The same test OAuth client as the other paths: every interaction of the base needs a token.
        _firelyHttp = MedNetPortal.Tests.Shared.BaseClientCredentials.CreateHttpClient(_base.BaseUri);
        _firely = new FhirClient(_base.BaseUri, _firelyHttp, new FhirClientSettings { PreferredFormat = ResourceFormat.Json });
        _requestBody = System.Text.Encoding.UTF8.GetBytes(FhirJson.Serialize(PatientRecordBatch.BuildBatch(_patientId)));
        _batchUri = new Uri(_base.BaseUri.ToString().TrimEnd('/'));
        _responseJson = System.Text.Encoding.UTF8.GetString(await RoundTripBytesAsync());
        // Guard: the three paths must see the same, complete first screen.
        var check = Map(FhirJson.Deserialize<Bundle>(_responseJson));
        var shape = RecordShape.ByName(Record);
        // Allergies: the bench's drug entries are 薬剤禁忌, the rest allergies; each group pages at its own size.
        var drugs = Enumerable.Range(0, shape.Allergies).Count(i => i % 8 < 4);
        if (check.Diagnoses != Math.Min(shape.Diagnoses, 100) || check.Allergies != Math.Min(shape.Allergies - drugs, 100)
            || check.Letters != Math.Min(shape.Letters, 50) || check.Contraindications != Math.Min(drugs, PatientRecordBatch.ContraindicationPageSize)
            || check.Labs != Math.Min(shape.Labs, PatientRecordBatch.LabPageSize) || check.Infections != Math.Min(shape.Infections, PatientRecordBatch.InfectionPageSize)
            || check.Prescriptions != Math.Min(shape.Prescriptions, PatientRecordBatch.PrescriptionPageSize) || check.Facilities == 0)
        {
            throw new InvalidOperationException($"Seeded record answers {check} for {shape}.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _firelyHttp.Dispose();
        _base.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "Firely FhirClient")]
    public async Task<MappedRecord> FirelyFhirClient()
    {
        var response = await _firely.TransactionAsync(PatientRecordBatch.BuildBatch(_patientId))
                       ?? throw new InvalidOperationException("No response.");
        return Map(response);
    }

    [Benchmark(Description = "CentralFhirClient (ours)")]
    public async Task<MappedRecord> CentralFhirClient()
    {
        var response = await _base.Client.TransactionAsync(PatientRecordBatch.BuildBatch(_patientId), CancellationToken.None);
        return Map(response);
    }

    [Benchmark(Description = "Round trip only (bytes)")]
    public async Task<int> RoundTripOnly() => (await RoundTripBytesAsync()).Length;

    [Benchmark(Description = "Deserialise only (floor)")]
    public MappedRecord DeserialiseOnly() => Count(FhirJson.Deserialize<Bundle>(_responseJson));

    private async Task<byte[]> RoundTripBytesAsync()
    {
        using var content = new ByteArrayContent(_requestBody);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(FhirJson.MediaType);
        using var response = await _base.Http.PostAsync(_batchUri, content);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>The mapping PatientRecordService.LoadAsync does on the batch response (first page of each group).</summary>
    internal static MappedRecord Map(Bundle response)
    {
        var summary = PatientMapper.ToSummary((Patient)response.Entry[0].Resource!);
        var diagnoses = Mapped<Condition, Diagnosis>(response, PatientRecordBatch.Entries.Diagnoses, PatientMapper.ToDiagnosis);
        var allergies = Mapped<AllergyIntolerance, Allergy>(response, PatientRecordBatch.Entries.Allergies, PatientMapper.ToAllergy);
        var letters = Matches<Bundle>(response.Entry[PatientRecordBatch.Entries.Letters]).Select(LetterSummaryMapper.ToLetterSummary).OfType<LetterSummary>().ToList();
        var contraindications = Mapped<AllergyIntolerance, Allergy>(response, PatientRecordBatch.Entries.Contraindications, PatientMapper.ToAllergy);
        var labs = Mapped<Observation, LabResult>(response, PatientRecordBatch.Entries.Labs, PatientMapper.ToLabResult);
        var infections = Mapped<Observation, LabResult>(response, PatientRecordBatch.Entries.Infections, PatientMapper.ToLabResult);
        var prescriptions = Mapped<MedicationRequest, Prescription>(response, PatientRecordBatch.Entries.Prescriptions, PatientMapper.ToPrescription);
        var named = labs.Select(l => l.Facility.Name).Concat(prescriptions.Select(p => p.Facility.Name)).Count(n => n is not null);
        return new MappedRecord(summary.NameKanji, diagnoses.Count, allergies.Count, letters.Count, contraindications.Count, labs.Count, infections.Count,
            prescriptions.Count, named);
    }

    private static List<T> Mapped<TResource, T>(Bundle response, int entry, Func<TResource, IncludedResources, T> map)
        where TResource : Resource
    {
        var page = (Bundle)response.Entry[entry].Resource!;
        var included = IncludedResources.From(page);
        return [.. Matches<TResource>(response.Entry[entry]).Select(r => map(r, included))];
    }

    private static MappedRecord Count(Bundle response) =>
        new(string.Empty, Matches<Condition>(response.Entry[1]).Count(), Matches<AllergyIntolerance>(response.Entry[2]).Count(), Matches<Bundle>(response.Entry[3]).Count(),
            Matches<AllergyIntolerance>(response.Entry[4]).Count(), Matches<Observation>(response.Entry[5]).Count(), Matches<Observation>(response.Entry[6]).Count(),
            Matches<MedicationRequest>(response.Entry[7]).Count(), 0);

    private static IEnumerable<T> Matches<T>(Bundle.EntryComponent entry)
        where T : Resource =>
        (entry.Resource as Bundle)?.Entry.Where(e => e.Search?.Mode is null or Bundle.SearchEntryMode.Match).Select(e => e.Resource).OfType<T>() ?? [];
}

/// <summary>What a fetch produced (kept so the work is not optimised away, and checked in setup).</summary>
public sealed record MappedRecord(
    string Name, int Diagnoses, int Allergies, int Letters, int Contraindications, int Labs, int Infections, int Prescriptions, int Facilities);

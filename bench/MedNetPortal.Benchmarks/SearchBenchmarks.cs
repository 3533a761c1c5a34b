using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;

namespace MedNetPortal.Benchmarks;

/// <summary>
/// The base's identifier search with <c>_revinclude</c> (POST <c>Patient/_search</c>, identifier in the body, the patient's
/// Conditions and AllergyIntolerances included) over a base of <see cref="SearchData.Patients"/> patients and 20 resources
/// per patient (10,000 → 200,000 resources). The data folder is seeded once and reused by every benchmark process and run.
/// </summary>
[MemoryDiagnoser]
public class SearchBenchmarks
{
    private EmbeddedBase _base = null!;
    private string[] _identifiers = [];
    private int _next;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async System.Threading.Tasks.Task SetupAsync()
    {
        var folder = SearchData.Folder;
        var seeded = File.Exists(SearchData.MarkerPath(folder));
        _base = await EmbeddedBase.StartAsync(folder);
        if (!seeded)
        {
            await SearchData.SeedAsync(_base.Client, folder, CancellationToken.None);
        }

        // 64 patients spread over the whole base, visited in turn.
        var random = new Random(7);
        _identifiers = Enumerable.Range(0, 64).Select(_ => SearchData.Identifier(random.Next(SearchData.Patients))).ToArray();
        var first = await SearchAsync(_identifiers[0]);
        if (!first.Contains("\"Condition\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The identifier search found no Condition: the seeded base is incomplete (delete " + folder + ").");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _base.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "Patient/_search identifier + _revinclude")]
    public Task<string> IdentifierSearchWithRevinclude() => SearchAsync(_identifiers[_next++ % _identifiers.Length]);

    private async Task<string> SearchAsync(string identifier)
    {
        using var form = new FormUrlEncodedContent(
        [
            new("identifier", $"{JpFhir.Systems.InsuranceMemberId}|{identifier}"),
            new("_revinclude", "Condition:patient"),
            new("_revinclude", "AllergyIntolerance:patient"),
        ]);
        using var response = await _base.Http.PostAsync("Patient/_search", form);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}

/// <summary>The large base: patients with 12 Conditions, 4 AllergyIntolerances and 3 Observations each.</summary>
public static class SearchData
{
    public const int ResourcesPerPatient = 20;
    public const int ConditionsPerPatient = 12;
    public const int AllergiesPerPatient = 4;
    public const int ObservationsPerPatient = 3;
    private const int PatientsPerTransaction = 50;

    /// <summary>Patients in the large base: <c>MEDNET_BENCH_SEARCH_PATIENTS</c> (set by <c>--search-patients</c>), default 10,000.</summary>
    public static int Patients =>
        int.TryParse(Environment.GetEnvironmentVariable("MEDNET_BENCH_SEARCH_PATIENTS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 10_000;

    /// <summary>The seeded folder: <c>MEDNET_BENCH_SEARCH_DATA</c> (set by <c>--search-data</c>), default a temp folder named by the size.</summary>
    public static string Folder =>
        Environment.GetEnvironmentVariable("MEDNET_BENCH_SEARCH_DATA") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Path.GetTempPath(), $"mednet-bench-search-{Patients.ToString(CultureInfo.InvariantCulture)}");

    public static string MarkerPath(string folder) => Path.Combine(folder, "bench-seeded.txt");

    /// <summary>The n-th patient's 保険者番号:記号:番号:枝番 (all fictional; 8-digit insurer number).</summary>
    public static string Identifier(int n) =>
        $"39131156:ベンチ:{(1_000_000 + n).ToString(CultureInfo.InvariantCulture)}:00";

    /// <summary>A transaction of <paramref name="count"/> patients from <paramref name="first"/>, each with its 19 clinical resources.</summary>
    public static Bundle Transaction(int first, int count)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        for (var n = first; n < first + count; n++)
        {
            var patientUrn = "urn:uuid:" + Guid.NewGuid().ToString();
            var patient = new Patient
            {
                Identifier = [new Identifier(JpFhir.Systems.InsuranceMemberId, Identifier(n))],
                Name = [new HumanName { Family = "試験", Given = ["太郎" + n.ToString(CultureInfo.InvariantCulture)], Text = "試験 太郎" }],
                Gender = n % 2 == 0 ? AdministrativeGender.Male : AdministrativeGender.Female,
                BirthDate = new DateOnly(1940 + n % 70, 1 + n % 12, 1 + n % 28).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            };
            Add(bundle, patientUrn, patient);
            var subject = new ResourceReference(patientUrn);
            for (var i = 0; i < ConditionsPerPatient; i++)
            {
                Add(bundle, null, new Condition
                {
                    Subject = subject,
                    Code = new CodeableConcept { Text = "本態性高血圧症" },
                    ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
                    RecordedDate = "2025-0" + (1 + i % 9).ToString(CultureInfo.InvariantCulture) + "-15",
                });
            }

            for (var i = 0; i < AllergiesPerPatient; i++)
            {
                Add(bundle, null, new AllergyIntolerance { Patient = subject, Code = new CodeableConcept { Text = "ペニシリン系抗菌薬" }, RecordedDate = "2024-05-01" });
            }

            for (var i = 0; i < ObservationsPerPatient; i++)
            {
                Add(bundle, null, new Observation
                {
                    Status = ObservationStatus.Final,
                    Subject = subject,
                    Code = new CodeableConcept { Text = "HbA1c" },
                    Value = new Quantity(6.1m + i, "%"),
                    Effective = new FhirDateTime("2025-06-01"),
                });
            }
        }

        return bundle;
    }

    /// <summary>Seeds the base in transactions of 50 patients (1,000 entries), two at a time, and writes the marker with the time taken.</summary>
    public static async System.Threading.Tasks.Task SeedAsync(CentralFhirClient client, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var patients = Patients;
        var watch = Stopwatch.StartNew();
        Console.WriteLine($"// Seeding {patients} patients / {patients * ResourcesPerPatient} resources into {folder} (once) ...");
        var starts = Enumerable.Range(0, (patients + PatientsPerTransaction - 1) / PatientsPerTransaction).Select(i => i * PatientsPerTransaction);
        var done = 0;
        await Parallel.ForEachAsync(starts, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken }, async (start, ct) =>
        {
            await client.TransactionAsync(Transaction(start, Math.Min(PatientsPerTransaction, patients - start)), ct).ConfigureAwait(false);
            var total = Interlocked.Add(ref done, PatientsPerTransaction);
            if (total % 1000 == 0)
            {
                Console.WriteLine($"// ... {total} patients after {watch.Elapsed.TotalSeconds:F0} s");
            }
        }).ConfigureAwait(false);
        var line = $"seeded {patients} patients, {patients * ResourcesPerPatient} resources in {watch.Elapsed.TotalSeconds:F1} s on {DateTimeOffset.Now:O}";
        await File.WriteAllTextAsync(MarkerPath(folder), line + Environment.NewLine, cancellationToken).ConfigureAwait(false);
        Console.WriteLine("// " + line);
    }

    private static void Add(Bundle bundle, string? fullUrl, Resource resource) =>
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = fullUrl ?? "urn:uuid:" + Guid.NewGuid().ToString(),
            Resource = resource,
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = resource.TypeName },
        });
}

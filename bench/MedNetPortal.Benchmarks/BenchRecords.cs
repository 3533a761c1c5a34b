using System.Globalization;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Demo;

namespace MedNetPortal.Benchmarks;

/// <summary>The size of a benchmark patient's record.</summary>
/// <param name="Name">typical or large.</param>
/// <param name="Diagnoses">Condition resources.</param>
/// <param name="Allergies">AllergyIntolerance resources.</param>
/// <param name="Letters">Referral letters (document Bundles) about the patient.</param>
/// <param name="Labs">Lab results (Observations with JLAC10 core-lab codes), over several tests and dates.</param>
/// <param name="Infections">Infection results (Observations with JP-CLINS infection codes).</param>
/// <param name="Prescriptions">MedicationRequests.</param>
public sealed record RecordShape(string Name, int Diagnoses, int Allergies, int Letters, int Labs, int Infections, int Prescriptions)
{
    public static RecordShape Typical { get; } = new("typical", 20, 5, 10, 60, 4, 15);

    public static RecordShape Large { get; } = new("large", 1000, 200, 100, 2000, 40, 300);

    public static RecordShape ByName(string name) => name switch
    {
        "typical" => Typical,
        "large" => Large,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "typical or large"),
    };
}

/// <summary>
/// What seeding stores: the transactions (the first with the patient, diagnoses and allergies; then the labs, infection
/// results and prescriptions in parts, each naming the patient conditionally, so no one transaction runs into the client's
/// timeout on a busy machine) and the letters to POST.
/// </summary>
public sealed record BenchPatientData(DemoPatient Patient, IReadOnlyList<Bundle> Transactions, IReadOnlyList<Bundle> Letters);

/// <summary>
/// Builds a benchmark patient's record from the demo data's own builders: <see cref="LargeRecordGenerator"/> diagnoses,
/// <see cref="DemoTransactions.ForPatient"/> for the transaction and <see cref="DemoLetters.ToDocument"/> (the
/// <c>ReferralDocumentBuilder</c>) for the letters, under a patient identifier of its own.
/// </summary>
public static class BenchRecords
{
    private static readonly string[] AllergyTexts = ["ペニシリン系抗菌薬", "セフェム系抗菌薬", "NSAIDs", "ヨード造影剤", "卵", "そば", "スギ花粉", "ラテックス"];

    private static readonly (string LocalCode, string Name, (string Code, string Display) Jlac10, string Unit, decimal Low, decimal High)[] LabTests =
    [
        ("HBA1C", "HbA1c", DemoLabCodes.HbA1c, "%", 4.6m, 6.2m),
        ("GLU", "血糖", DemoLabCodes.Glucose, "mg/dL", 73m, 109m),
        ("LDL", "LDLコレステロール", DemoLabCodes.Ldl, "mg/dL", 70m, 139m),
        ("CRE", "クレアチニン", DemoLabCodes.Creatinine, "mg/dL", 0.46m, 0.79m),
        ("K", "カリウム", DemoLabCodes.Potassium, "mmol/L", 3.6m, 4.8m),
        ("ALT", "ALT", DemoLabCodes.Alt, "U/L", 7m, 23m),
        ("HB", "ヘモグロビン", DemoLabCodes.Hemoglobin, "g/dL", 11.6m, 14.8m),
        ("CRP", "CRP", DemoLabCodes.Crp, "mg/dL", 0m, 0.14m),
        ("BNP", "BNP", DemoLabCodes.Bnp, "pg/mL", 0m, 18.4m),
        ("TG", "中性脂肪", DemoLabCodes.Triglycerides, "mg/dL", 40m, 149m),
    ];

    private const int PartSize = 250;

    private static readonly string[] Drugs = ["アムロジピン錠5mg", "メトホルミン塩酸塩錠250mg", "ロスバスタチン錠2.5mg", "アピキサバン錠2.5mg", "フロセミド錠20mg"];

    /// <summary>A day counted back from 2026-11-30 (newest first).</summary>
    private static string Day(int daysBack) => new DateOnly(2026, 11, 30).AddDays(-daysBack).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static BenchPatientData Build(RecordShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var letterTemplate = DemoLetters.All[0];
        var doctorKey = letterTemplate.FromDoctorKey;
        // The letter builder looks the patient's demo record up by key, so the template patient's key is kept; the identifier is new.
        var patient = letterTemplate.Patient with
        {
            Symbol = "ベンチ",
            Number = shape == RecordShape.Large ? "900002" : "900001",
            Branch = "01",
        };
        var prefix = "bench-" + shape.Name;
        var diagnoses = LargeRecordGenerator.Generate(prefix, shape.Diagnoses, doctorKey).ToList();
        var allergies = Enumerable.Range(0, shape.Allergies).Select(i => new DemoAllergy(
            $"{prefix}-allergy-{i.ToString("D4", CultureInfo.InvariantCulture)}",
            AllergyTexts[i % AllergyTexts.Length],
            i % AllergyTexts.Length < 4 ? DemoAllergyKind.Medication : DemoAllergyKind.Food,
            HighCriticality: i % 5 == 0,
            Onset: "2024-03-01",
            Recorded: new DateOnly(2024, 3, 1).AddDays(i % 700).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            doctorKey,
            [new DemoReaction("蕁麻疹", "moderate")])).ToList();
        var labs = Enumerable.Range(0, shape.Labs).Select(i =>
        {
            var (localCode, name, code, unit, low, high) = LabTests[i % LabTests.Length];
            return DemoLabCodes.Lab($"{prefix}-lab-{i.ToString("D5", CultureInfo.InvariantCulture)}", localCode, name, code, (low + high) / 2 + i % 7 - 3, unit, low, high,
                Day(i / LabTests.Length * 14), i % 3 == 0 ? "regional-geriatrics" : doctorKey);
        });
        var infections = Enumerable.Range(0, shape.Infections).Select(i => DemoLabCodes.Infection(
            $"{prefix}-infection-{i.ToString("D4", CultureInfo.InvariantCulture)}", "HBSAG", "HBs抗原", DemoLabCodes.HbsAntigen, i % 10 == 0 ? "陽性" : "陰性",
            Day(i * 30), doctorKey));
        var prescriptions = Enumerable.Range(0, shape.Prescriptions).Select(i => new DemoMedication(
            $"{prefix}-medication-{i.ToString("D4", CultureInfo.InvariantCulture)}", Drugs[i % Drugs.Length], "1回1錠 1日1回 朝食後", 28, Day(i * 7),
            i % 2 == 0 ? doctorKey : "regional-geriatrics", RpNumber: i % 3 + 1, LocalCode: $"B-{(i % Drugs.Length).ToString("D3", CultureInfo.InvariantCulture)}"));
        var transactions = new List<Bundle> { DemoTransactions.ForPatient(new DemoPatientRecord(patient, diagnoses, allergies, [], [])) };
        transactions.AddRange(labs.Concat(infections).Chunk(PartSize).Select(part => DemoTransactions.ForPatient(new DemoPatientRecord(patient, [], [], part, []))));
        transactions.AddRange(prescriptions.Chunk(PartSize).Select(part => DemoTransactions.ForPatient(new DemoPatientRecord(patient, [], [], [], part))));
        var issued = new DateTimeOffset(2025, 1, 6, 9, 0, 0, TimeSpan.FromHours(9));
        var letters = Enumerable.Range(0, shape.Letters)
            .Select(i => DemoLetters.ToDocument(letterTemplate with
            {
                Key = $"{prefix}-letter-{i.ToString("D4", CultureInfo.InvariantCulture)}",
                LocalId = $"B{(shape == RecordShape.Large ? 2 : 1).ToString(CultureInfo.InvariantCulture)}-{i.ToString("D4", CultureInfo.InvariantCulture)}",
                IssuedAt = issued.AddDays(i),
                Patient = patient,
            }))
            .ToList();
        return new BenchPatientData(patient, transactions, letters);
    }

    /// <summary>Stores the record through the base's HTTP API and returns the patient's id there.</summary>
    public static async Task<string> SeedAsync(CentralFhirClient client, RecordShape shape, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var data = Build(shape);
        foreach (var transaction in data.Transactions)
        {
            await client.TransactionAsync(transaction, cancellationToken).ConfigureAwait(false);
        }
        foreach (var letter in data.Letters)
        {
            await client.CreateAsync(letter, ifNoneExist: null, cancellationToken).ConfigureAwait(false);
        }

        var found = await client.SearchPostAsync<Patient>(
            new FhirSearchParameters().Add("identifier", $"{DemoSystems.InsuranceMemberId}|{data.Patient.QualificationIdentifier}"),
            cancellationToken).ConfigureAwait(false);
        return found.Entry.Select(e => e.Resource).OfType<Patient>().Single().Id!;
    }
}

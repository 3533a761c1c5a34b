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
public sealed record RecordShape(string Name, int Diagnoses, int Allergies, int Letters)
{
    public static RecordShape Typical { get; } = new("typical", 20, 5, 10);

    public static RecordShape Large { get; } = new("large", 1000, 200, 100);

    public static RecordShape ByName(string name) => name switch
    {
        "typical" => Typical,
        "large" => Large,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "typical or large"),
    };
}

/// <summary>What seeding stored: the transaction (patient + diagnoses + allergies) and the letters to POST.</summary>
public sealed record BenchPatientData(DemoPatient Patient, Bundle Transaction, IReadOnlyList<Bundle> Letters);

/// <summary>
/// Builds a benchmark patient's record from the demo data's own builders: <see cref="LargeRecordGenerator"/> diagnoses,
/// <see cref="DemoTransactions.ForPatient"/> for the transaction and <see cref="DemoLetters.ToDocument"/> (the
/// <c>ReferralDocumentBuilder</c>) for the letters, under a patient identifier of its own.
/// </summary>
public static class BenchRecords
{
    private static readonly string[] AllergyTexts = ["ペニシリン系抗菌薬", "セフェム系抗菌薬", "NSAIDs", "ヨード造影剤", "卵", "そば", "スギ花粉", "ラテックス"];

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
        var transaction = DemoTransactions.ForPatient(new DemoPatientRecord(patient, diagnoses, allergies, [], []));
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
        return new BenchPatientData(patient, transaction, letters);
    }

    /// <summary>Stores the record through the base's HTTP API and returns the patient's id there.</summary>
    public static async Task<string> SeedAsync(CentralFhirClient client, RecordShape shape, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var data = Build(shape);
        await client.TransactionAsync(data.Transaction, cancellationToken).ConfigureAwait(false);
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

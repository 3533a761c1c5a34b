using System.Globalization;

namespace MedNetPortal.Web.Features.Demo;

/// <summary>
/// Generates a long, deterministic diagnosis history (for paging and speed): realistic names from a small list,
/// dates spread over 2024–2026, a mix of active, resolved and suspected entries.
/// </summary>
public static class LargeRecordGenerator
{
    public const int DefaultCount = 520;

    private static readonly DemoDisease[] Diseases =
    [
        DemoDiseases.AcuteUpperRespiratoryInfection, DemoDiseases.Hypertension, DemoDiseases.Dyslipidemia, DemoDiseases.LowBackPain,
        DemoDiseases.Constipation, DemoDiseases.Insomnia, DemoDiseases.RefluxEsophagitis, DemoDiseases.Gout, DemoDiseases.Pneumonia,
        DemoDiseases.ChronicKidneyDisease, DemoDiseases.SenileCataract, DemoDiseases.Osteoporosis, DemoDiseases.Dizziness,
        DemoDiseases.RightKneePain, DemoDiseases.EpigastricHeaviness, DemoDiseases.AnginaPectoris, DemoDiseases.AtrialFibrillation,
    ];

    private static readonly DateOnly Start = new(2024, 1, 4);

    /// <summary>The diagnoses with at most <paramref name="generated"/> of the generated ones (which carry the generator's key marker).</summary>
    public static IReadOnlyList<DemoDiagnosis> Limit(IReadOnlyList<DemoDiagnosis> diagnoses, int generated)
    {
        var kept = 0;
        return [.. diagnoses.Where(d => !d.Key.Contains("-gen-", StringComparison.Ordinal) || kept++ < generated)];
    }

    public static IEnumerable<DemoDiagnosis> Generate(string keyPrefix, int count, string doctorKey)
    {
        for (var i = 0; i < count; i++)
        {
            var disease = Diseases[(i * 7 + i / Diseases.Length) % Diseases.Length];
            // 2024-01-04 + up to ~820 days keeps every date inside 2024–2026.
            var recorded = Start.AddDays(i * 37 % 821);
            var onset = recorded.AddDays(-(i % 30));
            var resolved = i % 3 == 0 ? recorded.AddDays(14 + i % 20) : (DateOnly?)null;
            var suspected = i % 11 == 5;
            yield return new DemoDiagnosis(
                $"{keyPrefix}-gen-{i.ToString("D4", CultureInfo.InvariantCulture)}",
                disease,
                Format(onset),
                Format(recorded),
                doctorKey,
                Suspected: suspected,
                Resolved: resolved is { } r ? Format(r) : null,
                TextAsWritten: suspected ? disease.Text + "の疑い" : null);
        }
    }

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

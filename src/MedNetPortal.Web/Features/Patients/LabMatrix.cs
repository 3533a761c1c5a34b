namespace MedNetPortal.Web.Features.Patients;

/// <summary>One test (row) of the lab table: its results newest first, and the latest result's name, unit and range.</summary>
public sealed record LabTestRow(string Key, string Name, string? Unit, string? RangeText, IReadOnlyList<LabResult> Results)
{
    /// <summary>The results with a number, oldest first: what the trend chart plots.</summary>
    public IReadOnlyList<LabResult> Numeric => [.. Results.Where(r => r.Value is not null && r.Day is not null).OrderBy(r => r.Day).ThenBy(r => r.Effective, StringComparer.Ordinal)];

    /// <summary>This test's results taken on <paramref name="day"/>.</summary>
    public IEnumerable<LabResult> On(DateOnly? day) => Results.Where(r => r.Day == day);
}

/// <summary>A date (column) of the lab table, with the facilities whose results that day shows.</summary>
public sealed record LabDay(DateOnly? Day, IReadOnlyList<string> Facilities);

/// <summary>
/// The lab table by test and date: one row per test (<see cref="LabResult.TestKey"/>), one column per day, newest first.
/// Rows are ordered by their latest result (most recent first), then by name. Entered-in-error results are left out (the
/// list shows them apart).
/// </summary>
public sealed record LabMatrix(IReadOnlyList<LabTestRow> Rows, IReadOnlyList<LabDay> Days)
{
    public static LabMatrix Build(IEnumerable<LabResult> results, Func<FacilityRef, string> facilityName)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(facilityName);
        var current = results.Where(r => r.Status != "entered-in-error").ToList();
        var rows = current
            .GroupBy(r => r.TestKey, StringComparer.Ordinal)
            .Select(g =>
            {
                var ordered = g.OrderByDescending(r => r.Day).ThenByDescending(r => r.Effective, StringComparer.Ordinal).ToList();
                var latest = ordered[0];
                return new LabTestRow(g.Key, latest.Name, latest.Unit, ordered.Select(r => r.RangeText).FirstOrDefault(t => t is not null), ordered);
            })
            .OrderByDescending(r => r.Results[0].Day)
            .ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        var days = current
            .GroupBy(r => r.Day)
            .OrderByDescending(g => g.Key.HasValue)
            .ThenByDescending(g => g.Key)
            .Select(g => new LabDay(g.Key, [.. g.Select(r => facilityName(r.Facility)).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal)]))
            .ToList();
        return new LabMatrix(rows, days);
    }
}

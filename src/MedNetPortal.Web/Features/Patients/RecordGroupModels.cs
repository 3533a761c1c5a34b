using System.Globalization;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Components.Shared;

namespace MedNetPortal.Web.Features.Patients;

/// <summary>
/// The facility an item came from: its 医療機関コード (JP-CLINS eCS_InstitutionNumber) and, when the base returned the
/// Organization with the item, its name. Either may be missing.
/// </summary>
public sealed record FacilityRef(string? Code, string? Name)
{
    public static FacilityRef None { get; } = new(null, null);

    /// <summary>What the timeline filters by: the code, or the name when there is no code.</summary>
    public string? Key => Code ?? Name;

    public bool IsKnown => Key is not null;
}

/// <summary>One group of the record page: the items loaded so far, where paging stands, or why the group failed.</summary>
public sealed record RecordGroup<T>(IReadOnlyList<T> Items, PageInfo Page, FhirApiErrorReason? Error = null)
{
    /// <summary>Nothing loaded and nothing to load (a group the base was not asked for).</summary>
    public static RecordGroup<T> None { get; } = new([], new PageInfo(0, 0, null));

    public RecordGroup<T> Append(PageOf<T> more)
    {
        ArgumentNullException.ThrowIfNull(more);
        return this with { Items = [.. Items, .. more.Items], Page = more.Page };
    }
}

/// <summary>How a result compares with its reference range or the lab's interpretation; always shown as a word too.</summary>
public enum LabFlag
{
    /// <summary>Nothing to compare with (no range, no interpretation).</summary>
    None,
    Normal,
    High,
    Low,
    CriticalHigh,
    CriticalLow,

    /// <summary>Abnormal without a direction (e.g. a positive infection result).</summary>
    Abnormal,
}

/// <summary>
/// One lab or infection result (JP_Observation_LabResult_eCS). <c>TestKey</c> says which results are the same test (rows of
/// the table, one trend chart; see <see cref="PatientMapper.ToLabResult"/>); <c>Value</c> is the number the chart plots,
/// when there is one; <c>ValueText</c> the value as shown (the number, or a coded / text result such as 陰性 or (±));
/// <c>RangeText</c> the reference range in words (<c>4.6–6.2</c>, <c>≤ 0.14</c> or the range's own text).
/// </summary>
public sealed record LabResult(
    string Id,
    string Name,
    string TestKey,
    IReadOnlyList<DiagnosisCode> Codes,
    string? Effective,
    decimal? Value,
    string? ValueText,
    string? Unit,
    decimal? Low,
    decimal? High,
    string? RangeText,
    LabFlag Flag,
    string? Specimen,
    string? Performer,
    FacilityRef Facility,
    string? Status,
    string? Note,
    IndicationMarks Marks)
{
    public bool IsAbnormal => Flag is LabFlag.High or LabFlag.Low or LabFlag.CriticalHigh or LabFlag.CriticalLow or LabFlag.Abnormal;

    /// <summary>The day the specimen was taken (JST), the table's column.</summary>
    public DateOnly? Day => PatientDates.Day(Effective);
}

/// <summary>
/// One prescribed drug (JP_MedicationRequest_eCS: one MedicationRequest per drug of an Rp). <c>Dose</c> is one dose, e.g.
/// 1錠 (doseAndRate.doseQuantity); <c>Usage</c> how it is taken, e.g. 1日1回 朝食後 (timing.code); <c>Days</c> the days
/// supplied (dispenseRequest.expectedSupplyDuration, or the timing's bounds); <c>Start</c> the first day of use (the JP Core
/// period-of-use extension, else the order date); <c>End</c> the last day (the period's end, or start + days − 1);
/// <c>Identifier</c> the facility's identifier of this order line (the same line written twice is shown once).
/// </summary>
public sealed record Prescription(
    string Id,
    string DrugName,
    IReadOnlyList<DiagnosisCode> Codes,
    string? Dose,
    string? Usage,
    string? Route,
    int? Days,
    string? DosageText,
    string? AuthoredOn,
    DateOnly? Start,
    DateOnly? End,
    string? Prescriber,
    FacilityRef Facility,
    string? Status,
    string? Category,
    string? Note,
    string? Identifier,
    IndicationMarks Marks)
{
    public bool EnteredInError => Status == "entered-in-error";

    /// <summary>The title of the document this line was read from (a discharge summary's discharge medication); null for a MedicationRequest of the record.</summary>
    public string? SourceDocument { get; init; }

    /// <summary>Current on <paramref name="today"/>: not stopped or cancelled, and its period of use has not ended.</summary>
    public bool IsCurrentOn(DateOnly today) =>
        Status is not ("stopped" or "cancelled" or "entered-in-error" or "draft")
        && (End is { } end ? end >= today : Start == today);
}

/// <summary>Dates as the record pages compare them: the calendar day as written (as <see cref="PortalDates"/> shows it).</summary>
internal static class PatientDates
{
    /// <summary>The calendar day of a FHIR date or dateTime (a partial date: its first day), or null.</summary>
    public static DateOnly? Day(string? fhirDate)
    {
        if (string.IsNullOrEmpty(fhirDate))
        {
            return null;
        }

        var text = fhirDate.Length switch
        {
            4 => fhirDate + "-01-01",
            7 => fhirDate + "-01",
            >= 10 => fhirDate[..10],
            _ => string.Empty,
        };
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
    }

    /// <summary>A day as a FHIR date string (for <see cref="PortalDates.FormatFhirDate"/>).</summary>
    public static string Fhir(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>Prescription order lines as the record counts them.</summary>
internal static class PrescriptionLines
{
    /// <summary>
    /// Each order line once: lines with the same facility and resource identifier are one (a facility that sends its
    /// prescriptions again, or another system that copied them, must not double the list); lines without an identifier are
    /// kept as they are. The first (newest) wins.
    /// </summary>
    public static IReadOnlyList<Prescription> Distinct(IEnumerable<Prescription> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var seen = new HashSet<(string?, string)>();
        return [.. lines.Where(p => p.Identifier is null || seen.Add((p.Facility.Code, p.Identifier)))];
    }
}

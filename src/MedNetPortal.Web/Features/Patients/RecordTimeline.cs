namespace MedNetPortal.Web.Features.Patients;

/// <summary>The kinds of record item the timeline shows.</summary>
public enum RecordItemKind
{
    Diagnosis,
    Contraindication,
    Allergy,
    Prescription,
    Lab,
    Infection,

    /// <summary>A document: referral letter, discharge summary or check-up report.</summary>
    Document,
}

/// <summary>
/// One item on the timeline: when (the day the facility recorded it, the specimen was taken or the drug was prescribed),
/// what, the values that matter for its kind, and the facility.
/// </summary>
public sealed record TimelineEntry(
    RecordItemKind Kind,
    string Id,
    DateOnly? Day,
    string Title,
    FacilityRef Facility,
    IndicationMarks Marks)
{
    /// <summary>A result's value with its unit, or a prescription's dose and usage (data, not words to translate).</summary>
    public string? Value { get; init; }

    public LabFlag Flag { get; init; }

    /// <summary>A diagnosis's clinical status or an allergy's criticality (codes, put into words by the view).</summary>
    public string? Status { get; init; }

    public bool Suspected { get; init; }

    public int? Days { get; init; }

    /// <summary>For a document: which one (its row links to the document viewer).</summary>
    public RecordDocumentKind DocumentKind { get; init; }

    /// <summary>High criticality (allergy, contraindication) or an abnormal result: the row is marked.</summary>
    public bool Alert { get; init; }
}

/// <summary>Builds the timeline from the groups the record page has loaded: newest first, undated last.</summary>
public static class RecordTimeline
{
    public static IReadOnlyList<TimelineEntry> Build(PatientRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var entries = new List<TimelineEntry>();
        entries.AddRange(record.Diagnoses.Where(d => !d.EnteredInError).Select(d =>
            new TimelineEntry(RecordItemKind.Diagnosis, d.Id, PatientDates.Day(d.Recorded) ?? PatientDates.Day(d.Onset), d.Name, d.Facility, d.Marks)
            {
                Status = d.ClinicalStatus,
                Suspected = d.Suspected,
            }));
        entries.AddRange(Allergies(RecordItemKind.Contraindication, record.Contraindications.Items));
        entries.AddRange(Allergies(RecordItemKind.Allergy, record.Allergies));
        entries.AddRange(record.PrescriptionLines.Where(p => !p.EnteredInError).Select(p =>
            new TimelineEntry(RecordItemKind.Prescription, p.Id, PatientDates.Day(p.AuthoredOn) ?? p.Start, p.DrugName, p.Facility, p.Marks)
            {
                Value = string.Join(' ', new[] { p.Dose, p.Usage }.Where(v => !string.IsNullOrEmpty(v))) is { Length: > 0 } dosage ? dosage : p.DosageText,
                Days = p.Days,
            }));
        entries.AddRange(Results(RecordItemKind.Lab, record.Labs.Items));
        entries.AddRange(Results(RecordItemKind.Infection, record.Infections.Items));
        entries.AddRange(record.Letters.Select(d =>
            new TimelineEntry(RecordItemKind.Document, d.Id, PatientDates.Day(d.Date), d.Title, new FacilityRef(d.SenderCode, d.SenderFacility), d.Marks)
            {
                Value = d.Purpose,
                DocumentKind = d.Kind,
            }));
        return
        [
            .. entries
                .OrderByDescending(e => e.Day.HasValue)
                .ThenByDescending(e => e.Day)
                .ThenBy(e => e.Kind)
                .ThenBy(e => e.Title, StringComparer.Ordinal),
        ];
    }

    /// <summary>The facilities on the timeline, for its filter: key (医療機関コード) and what to show, by name.</summary>
    public static IReadOnlyList<FacilityRef> Facilities(IEnumerable<TimelineEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return
        [
            .. entries.Select(e => e.Facility).Where(f => f.IsKnown)
                .GroupBy(f => f.Key, StringComparer.Ordinal)
                .Select(g => g.FirstOrDefault(f => f.Name is not null) ?? g.First())
                .OrderBy(f => f.Name ?? f.Code, StringComparer.Ordinal),
        ];
    }

    private static IEnumerable<TimelineEntry> Allergies(RecordItemKind kind, IEnumerable<Allergy> allergies) =>
        allergies.Where(a => !a.EnteredInError).Select(a =>
            new TimelineEntry(kind, a.Id, PatientDates.Day(a.Recorded) ?? PatientDates.Day(a.Onset), a.Substance, a.Facility ?? FacilityRef.None, a.Marks)
            {
                Status = a.Criticality,
                Alert = a.HighCriticality,
            });

    private static IEnumerable<TimelineEntry> Results(RecordItemKind kind, IEnumerable<LabResult> results) =>
        results.Where(r => r.Status != "entered-in-error").Select(r =>
            new TimelineEntry(kind, r.Id, r.Day, r.Name, r.Facility, r.Marks)
            {
                Value = string.Join(' ', new[] { r.ValueText, r.Unit }.Where(v => !string.IsNullOrEmpty(v))),
                Flag = r.Flag,
                Alert = r.IsAbnormal,
            });
}

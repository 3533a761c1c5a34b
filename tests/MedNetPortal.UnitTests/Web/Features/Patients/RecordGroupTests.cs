// Firely's model is nullable-annotated throughout; these tests assert presence explicitly instead.
#nullable disable warnings
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Patients;

namespace MedNetPortal.UnitTests.Web.Features.Patients;

/// <summary>The record batch, the lab table and the timeline, built from the loaded groups.</summary>
public sealed class RecordGroupTests
{
    private static readonly FacilityRef Hospital = new("1310123455", "みどり台総合病院");
    private static readonly FacilityRef Clinic = new("1310267898", "さくら内科クリニック");

    [Fact]
    public void The_batch_asks_every_group_once_with_its_names_and_splits_drug_entries_and_infections_by_their_codes()
    {
        var batch = PatientRecordBatch.BuildBatch("p-1");

        var urls = batch.Entry.Select(e => e.Request.Url).ToList();
        Assert.Equal(Bundle.BundleType.Batch, batch.Type);
        Assert.Equal(8, urls.Count);
        Assert.All(batch.Entry, e => Assert.Equal(Bundle.HTTPVerb.GET, e.Request.Method));
        Assert.Equal("Patient/p-1", urls[PatientRecordBatch.Entries.Patient]);
        Assert.Contains("category:not=medication", urls[PatientRecordBatch.Entries.Allergies], StringComparison.Ordinal);
        Assert.Contains("category=medication", urls[PatientRecordBatch.Entries.Contraindications], StringComparison.Ordinal);
        var infection = Uri.EscapeDataString(JpFhir.Systems.InfectionLaboJlac10 + "|");
        Assert.Contains("code:not=" + infection, urls[PatientRecordBatch.Entries.Labs], StringComparison.Ordinal);
        Assert.Contains("code=" + infection, urls[PatientRecordBatch.Entries.Infections], StringComparison.Ordinal);
        Assert.Contains("_include=MedicationRequest:requester", urls[PatientRecordBatch.Entries.Prescriptions], StringComparison.Ordinal);
        Assert.Contains("_include=Observation:performer", urls[PatientRecordBatch.Entries.Labs], StringComparison.Ordinal);
        foreach (var (entry, type) in new[]
                 {
                     (PatientRecordBatch.Entries.Diagnoses, "Condition"), (PatientRecordBatch.Entries.Allergies, "AllergyIntolerance"),
                     (PatientRecordBatch.Entries.Contraindications, "AllergyIntolerance"), (PatientRecordBatch.Entries.Labs, "Observation"),
                     (PatientRecordBatch.Entries.Infections, "Observation"), (PatientRecordBatch.Entries.Prescriptions, "MedicationRequest"),
                 })
        {
            Assert.StartsWith($"{type}?patient=Patient/p-1&", urls[entry], StringComparison.Ordinal);
            Assert.EndsWith($"_include={type}:institution", urls[entry], StringComparison.Ordinal);
        }

        // For a base without the institution parameter the includes are left out, nothing else changes.
        var plain = PatientRecordBatch.BuildBatch("p-1", includeFacilityNames: false).Entry.Select(e => e.Request.Url).ToList();
        Assert.DoesNotContain(plain, u => u.Contains(":institution", StringComparison.Ordinal));
        Assert.Equal(urls.Select(u => u.Replace("&_include=Condition:institution", string.Empty, StringComparison.Ordinal)
            .Replace("&_include=AllergyIntolerance:institution", string.Empty, StringComparison.Ordinal)
            .Replace("&_include=Observation:institution", string.Empty, StringComparison.Ordinal)
            .Replace("&_include=MedicationRequest:institution", string.Empty, StringComparison.Ordinal)), plain);
    }

    [Fact]
    public void The_lab_table_has_a_row_per_test_newest_first_and_a_column_per_day_with_its_facilities()
    {
        var results = new[]
        {
            Lab("1", "HbA1c", 7.4m, "2024-11-05", Hospital),
            Lab("2", "HbA1c", 6.6m, "2025-08-20", Clinic),
            Lab("3", "血糖", 148m, "2024-11-05", Hospital, unit: "mg/dL"),
            Lab("4", "ALT", 28m, "2024-05-08", Hospital, unit: "U/L"),
            Lab("5", "HbA1c", 9.9m, "2024-11-05", Hospital) with { Status = "entered-in-error" },
        };

        var matrix = LabMatrix.Build(results, f => f.Name ?? string.Empty);

        Assert.Equal(["HbA1c", "血糖", "ALT"], matrix.Rows.Select(r => r.Name));
        Assert.Equal([new DateOnly(2025, 8, 20), new DateOnly(2024, 11, 5), new DateOnly(2024, 5, 8)], matrix.Days.Select(d => d.Day));
        Assert.Equal(["さくら内科クリニック"], matrix.Days[0].Facilities);
        var hba1c = matrix.Rows[0];
        Assert.Equal(["1", "2"], hba1c.Numeric.Select(r => r.Id));
        Assert.Equal(7.4m, Assert.Single(hba1c.On(new DateOnly(2024, 11, 5))).Value);
        Assert.Empty(hba1c.On(new DateOnly(2024, 5, 8)));
    }

    [Fact]
    public void The_timeline_holds_every_loaded_item_newest_first_with_its_facility()
    {
        var record = Record();

        var timeline = RecordTimeline.Build(record);

        Assert.Equal(
            [
                (RecordItemKind.Prescription, "メトホルミン塩酸塩錠250mg"), (RecordItemKind.Lab, "HbA1c"), (RecordItemKind.Diagnosis, "2型糖尿病"),
                (RecordItemKind.Infection, "HBs抗原"), (RecordItemKind.Contraindication, "ペニシリン系抗菌薬"), (RecordItemKind.Allergy, "そば"),
            ],
            timeline.Select(e => (e.Kind, e.Title)));
        Assert.DoesNotContain(timeline, e => e.Title == "取り消した薬");
        Assert.True(timeline.Single(e => e.Kind == RecordItemKind.Lab).Alert);
        Assert.Equal("7.4 %", timeline.Single(e => e.Kind == RecordItemKind.Lab).Value);
        Assert.Equal([Clinic, Hospital], RecordTimeline.Facilities(timeline));
    }

    private static LabResult Lab(string id, string name, decimal value, string date, FacilityRef facility, string unit = "%") =>
        new(id, name, name + "|" + unit, [], date, value, value.ToString(System.Globalization.CultureInfo.InvariantCulture), unit, 4.6m, 6.2m, "4.6–6.2",
            value > 6.2m ? LabFlag.High : LabFlag.Normal, null, null, facility, "final", null, IndicationMarks.None);

    private static PatientRecord Record()
    {
        var diagnosis = new Diagnosis("c1", "2型糖尿病", [], false, "active", false, "2019-03-01", null, "2024-05-08", "松本 由美", Hospital.Code, IndicationMarks.None,
            Hospital.Name);
        Allergy Allergy(string id, string substance, AllergyCategory category, string recorded, bool voided = false) =>
            new(id, substance, category, "high", [], voided ? null : "active", voided ? "entered-in-error" : "confirmed", null, recorded, null, null,
                IndicationMarks.None, Hospital);
        var infection = Lab("i1", "HBs抗原", 0m, "2024-05-08T10:00:00+09:00", Hospital) with { Value = null, ValueText = "陰性", Flag = LabFlag.Normal };
        var prescription = new Prescription("m1", "メトホルミン塩酸塩錠250mg", [], null, "1回1錠 1日2回 朝夕食後", null, 56, null, "2026-11-20",
            new DateOnly(2026, 11, 20), new DateOnly(2027, 1, 14), "松本 由美", Clinic, "completed", null, null, "rx-1", IndicationMarks.None);
        return new PatientRecord(
            new PatientSummary("p1", "佐藤 健一", "サトウ ケンイチ", PatientSex.Male, "1960-01-01", null),
            [diagnosis], new PageInfo(1, 1, null),
            [Allergy("a1", "そば", AllergyCategory.Food, "2024-01-10")], new PageInfo(1, 1, null),
            [], new PageInfo(0, 0, null))
        {
            Contraindications = new RecordGroup<Allergy>(
                [Allergy("k1", "ペニシリン系抗菌薬", AllergyCategory.Medication, "2024-04-10"), Allergy("k2", "取り消した薬", AllergyCategory.Medication, "2024-04-10", voided: true)],
                new PageInfo(2, 2, null)),
            Labs = new RecordGroup<LabResult>([Lab("l1", "HbA1c", 7.4m, "2024-11-05T09:00:00+09:00", Hospital)], new PageInfo(1, 1, null)),
            Infections = new RecordGroup<LabResult>([infection], new PageInfo(1, 1, null)),
            Prescriptions = new RecordGroup<Prescription>([prescription, prescription with { Id = "m1-copy" }], new PageInfo(2, 2, null)),
        };
    }
}

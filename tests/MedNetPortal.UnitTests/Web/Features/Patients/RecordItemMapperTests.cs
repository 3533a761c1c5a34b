// Firely's model is nullable-annotated throughout; these tests assert presence explicitly instead.
#nullable disable warnings
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.UnitTests.Fhir.Referrals;
using MedNetPortal.Web.Features.Patients;

namespace MedNetPortal.UnitTests.Web.Features.Patients;

/// <summary>Lab, infection and prescription items as the record shows them, from the official examples and edge cases.</summary>
public sealed class RecordItemMapperTests
{
    private static List<Observation> OfficialObservations() =>
        [.. ReferralTestData.LoadExample("Bundle-Bundle-CLINS-Observations-Example-01.json").Entry.Select(e => e.Resource).OfType<Observation>()];

    private static MedicationRequest OfficialPrescription(string file) => FhirJson.Deserialize<MedicationRequest>(ReferralTestData.Fixture(file));

    [Fact]
    public void Official_lab_results_read_with_codes_value_unit_contained_performer_and_facility_code()
    {
        var results = OfficialObservations().Select(o => PatientMapper.ToLabResult(o, IncludedResources.None)).ToList();

        Assert.Equal(["アルブミン", "カリウム", "eGFR", "尿蛋⽩(定性)"], results.Select(r => r.Name));
        var potassium = results[1];
        Assert.Equal(3.5m, potassium.Value);
        Assert.Equal("3.5", potassium.ValueText);
        Assert.Equal("mEq/L", potassium.Unit);
        Assert.Contains(potassium.Codes, c => c.SystemKey == PatientMapper.CodeSystemKeys.Jlac10 && c.Code == "3H015000002326101");
        Assert.Contains(potassium.Codes, c => c.SystemKey == PatientMapper.CodeSystemKeys.LocalCode && c.Code == "10000181802");
        // The same code in two systems (core-lab and the MEDIS master) is one code on the page.
        Assert.Single(potassium.Codes, c => c.SystemKey == PatientMapper.CodeSystemKeys.Jlac10);
        Assert.Equal("田中 宏", potassium.Performer);
        Assert.Equal(new FacilityRef("1318814790", null), potassium.Facility);
        Assert.Equal("血清", potassium.Specimen);
        Assert.Equal(LabFlag.None, potassium.Flag);
        Assert.Equal(new DateOnly(2021, 7, 5), potassium.Day);
        // A coded qualitative result shows its text and has no number to plot.
        Assert.Equal("(±)", results[3].ValueText);
        Assert.Null(results[3].Value);
        Assert.All(OfficialObservations(), o => Assert.False(PatientMapper.IsInfection(o)));
    }

    [Fact]
    public void Facility_names_come_from_the_organizations_the_page_included()
    {
        var observation = OfficialObservations()[1];
        var page = new Bundle
        {
            Entry =
            [
                new() { Resource = observation, Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match } },
                new()
                {
                    Resource = new Organization
                    {
                        Id = "o1", Name = "第一病院",
                        Identifier = [new Identifier(JpFhir.Systems.MedicalInstitutionCode, "1318814790")],
                    },
                    Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Include },
                },
            ],
        };

        var result = PatientMapper.ToLabResult(observation, IncludedResources.From(page));

        Assert.Equal(new FacilityRef("1318814790", "第一病院"), result.Facility);
    }

    [Fact]
    public void Included_practitioner_names_a_literal_performer_without_display()
    {
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept { Text = "CRP" },
            Performer = [new ResourceReference("Practitioner/d1")],
            Value = new Quantity(0.3m, "mg/dL"),
        };
        var page = new Bundle
        {
            Entry =
            [
                new()
                {
                    FullUrl = "http://base/fhir/Practitioner/d1",
                    Resource = new Practitioner { Id = "d1", Name = [new HumanName { Family = "青木", Given = ["誠一"] }] },
                    Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Include },
                },
            ],
        };

        Assert.Equal("青木 誠一", PatientMapper.ToLabResult(observation, IncludedResources.From(page)).Performer);
        Assert.Null(PatientMapper.ToLabResult(observation, IncludedResources.None).Performer);
    }

    [Theory]
    [InlineData(7.4, null, LabFlag.High)]
    [InlineData(4.0, null, LabFlag.Low)]
    [InlineData(5.5, null, LabFlag.Normal)]
    [InlineData(5.5, "HH", LabFlag.CriticalHigh)]
    [InlineData(7.4, "N", LabFlag.Normal)]
    [InlineData(5.5, "LL", LabFlag.CriticalLow)]
    public void The_flag_is_the_interpretation_or_else_the_value_against_its_range(double value, string? interpretation, LabFlag expected)
    {
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept { Text = "HbA1c" },
            Value = new Quantity((decimal)value, "%"),
            ReferenceRange = [new Observation.ReferenceRangeComponent { Low = new Quantity(4.6m, "%"), High = new Quantity(6.2m, "%") }],
        };
        if (interpretation is not null)
        {
            observation.Interpretation = [new CodeableConcept(JpFhir.Systems.ObservationInterpretation, interpretation)];
        }

        var result = PatientMapper.ToLabResult(observation, IncludedResources.None);

        Assert.Equal(expected, result.Flag);
        Assert.Equal("4.6–6.2", result.RangeText);
    }

    [Theory]
    [InlineData("陽性", LabFlag.Abnormal)]
    [InlineData("陰性", LabFlag.Normal)]
    [InlineData("判定保留", LabFlag.None)]
    public void A_text_result_without_interpretation_is_flagged_by_its_words(string text, LabFlag expected)
    {
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept(JpFhir.Systems.InfectionLaboJlac10, "5F016141002302311", "HBs抗原(判定)"),
            Value = new FhirString(text),
        };

        Assert.True(PatientMapper.IsInfection(observation));
        Assert.Equal(expected, PatientMapper.ToLabResult(observation, IncludedResources.None).Flag);
    }

    [Fact]
    public void Results_of_one_test_by_other_methods_are_one_row_but_another_unit_or_material_is_not()
    {
        static LabResult Result(string jlac10, string unit) => PatientMapper.ToLabResult(new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept(JpFhir.Systems.CoreLaboJlac10, jlac10, "HbA1c-NGSP"),
            Value = new Quantity(6.5m, unit),
        }, IncludedResources.None);

        // 3D046 0000 019 210 02 and 3D046 0000 019 061 02: the same analyte, material and result kind, another method.
        Assert.Equal(Result("3D046000001921002", "%").TestKey, Result("3D046000001906102", "%").TestKey);
        Assert.NotEqual(Result("3D046000001921002", "%").TestKey, Result("3D046000001921002", "mmol/mol").TestKey);
        Assert.NotEqual(Result("3D046000001921002", "%").TestKey, Result("3D046000002321002", "%").TestKey);
    }

    [Fact]
    public void Official_prescription_reads_drug_codes_dose_usage_days_period_prescriber_and_category()
    {
        var request = OfficialPrescription("MedicationRequest-Example-JP-MedReq-PO-SID-28days.json");

        var p = PatientMapper.ToPrescription(request, IncludedResources.None);

        Assert.Equal("クアゼパム錠２０ｍｇ", p.DrugName);
        Assert.Equal([("1124030F2ZZZ", PatientMapper.CodeSystemKeys.GeneralName), ("I1379700", PatientMapper.CodeSystemKeys.LocalCode)],
            p.Codes.Select(c => (c.Code, c.SystemKey)));
        Assert.Equal("1錠", p.Dose);
        Assert.Equal("1日1回 就寝前", p.Usage);
        Assert.Equal("経口", p.Route);
        Assert.Equal(28, p.Days);
        Assert.Equal(new DateOnly(2021, 7, 12), p.Start);
        Assert.Equal(new DateOnly(2021, 8, 8), p.End);
        Assert.Equal("医学 一郎", p.Prescriber);
        Assert.Equal("退院時処方", p.Category);
        Assert.Equal("1318814790", p.Facility.Code);
        Assert.Equal("1318814790-9990767-AC1282108E9DAA2021071215222803-2", p.Identifier);
        Assert.True(p.IsCurrentOn(new DateOnly(2021, 8, 8)));
        Assert.False(p.IsCurrentOn(new DateOnly(2021, 8, 9)));
    }

    [Fact]
    public void The_other_official_prescription_reads_too()
    {
        var p = PatientMapper.ToPrescription(OfficialPrescription("MedicationRequest-Example-JP-MedReq-PO-TID-2days.json"), IncludedResources.None);

        Assert.False(string.IsNullOrEmpty(p.DrugName));
        Assert.Equal(2, p.Days);
        Assert.NotNull(p.Usage);
        Assert.NotNull(p.Prescriber);
    }

    [Fact]
    public void A_prescription_without_a_standard_code_shows_none_and_a_stopped_one_is_not_current()
    {
        var request = new MedicationRequest
        {
            Status = MedicationRequest.MedicationrequestStatus.Stopped,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Medication = new CodeableConcept(JpFhir.Systems.MedicationNoCode, "NOCODED", "標準コードなし", "院内製剤A"),
            AuthoredOn = "2026-12-01",
            DispenseRequest = new MedicationRequest.DispenseRequestComponent { ExpectedSupplyDuration = new Duration { Value = 30, Code = "d" } },
        };

        var p = PatientMapper.ToPrescription(request, IncludedResources.None);

        Assert.Equal("院内製剤A", p.DrugName);
        Assert.Empty(p.Codes);
        Assert.Equal(new DateOnly(2026, 12, 30), p.End);
        Assert.False(p.IsCurrentOn(new DateOnly(2026, 12, 3)));
    }

    [Fact]
    public void The_same_order_line_twice_is_shown_once()
    {
        var facility = new FacilityRef("1310123455", null);
        Prescription Line(string id, string? identifier, FacilityRef at) =>
            new(id, "薬", [], null, null, null, 7, null, "2026-12-01", null, null, null, at, "completed", null, null, identifier, IndicationMarks.None);

        var lines = PrescriptionLines.Distinct(
        [
            Line("a", "rx-1", facility), Line("b", "rx-1", facility), Line("c", "rx-1", new FacilityRef("1310267898", null)), Line("d", null, facility),
            Line("e", null, facility),
        ]);

        Assert.Equal(["a", "c", "d", "e"], lines.Select(l => l.Id));
    }
}

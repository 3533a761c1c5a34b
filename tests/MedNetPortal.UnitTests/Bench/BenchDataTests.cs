using Hl7.Fhir.Model;
using MedNetPortal.Benchmarks;
using MedNetPortal.Fhir;

namespace MedNetPortal.UnitTests.Bench;

/// <summary>The benchmark data holds what docs/performance.md says it holds.</summary>
public sealed class BenchDataTests
{
    public static TheoryData<string, int, int, int, int, int, int> Shapes => new()
    {
        { "typical", 20, 5, 10, 60, 4, 15 },
        { "large", 1000, 200, 100, 2000, 40, 300 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_bench_record_has_the_stated_counts_for_one_patient(string shape, int diagnoses, int allergies, int letters, int labs, int infections,
        int prescriptions)
    {
        var data = BenchRecords.Build(RecordShape.ByName(shape));
        var resources = data.Transactions.SelectMany(t => t.Entry).Select(e => e.Resource).ToList();

        // Each part names the same patient conditionally (one Patient, whatever the number of parts).
        Assert.Single(resources.OfType<Patient>().Select(p => p.Identifier.Single(i => i.System == JpFhir.Systems.InsuranceMemberId).Value).Distinct());
        Assert.All(data.Transactions, t => Assert.True(t.Entry.Count <= 1500));
        Assert.Equal(diagnoses, resources.OfType<Condition>().Count());
        Assert.Equal(allergies, resources.OfType<AllergyIntolerance>().Count());
        var observations = resources.OfType<Observation>().ToList();
        Assert.Equal(infections, observations.Count(o => o.Code.Coding.Any(c => c.System == JpFhir.Systems.InfectionLaboJlac10)));
        Assert.Equal(labs, observations.Count(o => o.Code.Coding.Any(c => c.System == JpFhir.Systems.CoreLaboJlac10)));
        Assert.Equal(prescriptions, resources.OfType<MedicationRequest>().Count());
        Assert.Equal(letters, data.Letters.Count);
        // Every letter is about this patient (the record page finds letters by the patient's identifier) and is a distinct document.
        Assert.All(data.Letters, letter => Assert.Equal(
            data.Patient.QualificationIdentifier,
            letter.Entry.Select(e => e.Resource).OfType<Patient>().Single().Identifier.Single().Value));
        Assert.Equal(letters, data.Letters.Select(l => l.Identifier?.Value).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void The_typical_and_large_patients_have_different_identifiers()
    {
        Assert.NotEqual(
            BenchRecords.Build(RecordShape.Typical).Patient.QualificationIdentifier,
            BenchRecords.Build(RecordShape.Large).Patient.QualificationIdentifier);
    }

    [Fact]
    public void A_search_seed_transaction_holds_20_resources_per_patient_under_distinct_identifiers()
    {
        var bundle = SearchData.Transaction(first: 100, count: 50);

        Assert.Equal(50 * SearchData.ResourcesPerPatient, bundle.Entry.Count);
        var patients = bundle.Entry.Select(e => e.Resource).OfType<Patient>().ToList();
        Assert.Equal(50, patients.Count);
        Assert.Equal(50, patients.Select(p => p.Identifier.Single().Value).Distinct(StringComparer.Ordinal).Count());
        Assert.All(patients, p => Assert.Equal(JpFhir.Systems.InsuranceMemberId, p.Identifier.Single().System));
        Assert.Equal(50 * SearchData.ConditionsPerPatient, bundle.Entry.Count(e => e.Resource is Condition));
        Assert.Equal(50 * SearchData.AllergiesPerPatient, bundle.Entry.Count(e => e.Resource is AllergyIntolerance));
        Assert.Equal(50 * SearchData.ObservationsPerPatient, bundle.Entry.Count(e => e.Resource is Observation));
        Assert.Equal(SearchData.Identifier(100), patients[0].Identifier.Single().Value);
    }
}

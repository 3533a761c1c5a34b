using Hl7.Fhir.Model;
using MedNetPortal.Benchmarks;
using MedNetPortal.Fhir;

namespace MedNetPortal.UnitTests.Bench;

/// <summary>The benchmark data holds what docs/performance.md says it holds.</summary>
public sealed class BenchDataTests
{
    public static TheoryData<string, int, int, int> Shapes => new()
    {
        { "typical", 20, 5, 10 },
        { "large", 1000, 200, 100 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_bench_record_has_the_stated_counts_for_one_patient(string shape, int diagnoses, int allergies, int letters)
    {
        var data = BenchRecords.Build(RecordShape.ByName(shape));
        var resources = data.Transaction.Entry.Select(e => e.Resource).ToList();

        Assert.Single(resources.OfType<Patient>());
        Assert.Equal(diagnoses, resources.OfType<Condition>().Count());
        Assert.Equal(allergies, resources.OfType<AllergyIntolerance>().Count());
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

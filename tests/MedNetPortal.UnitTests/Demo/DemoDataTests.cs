// Firely's model is nullable-annotated throughout; these tests assert presence explicitly instead.
#nullable disable warnings
using Hl7.Fhir.Model;
using MedNetPortal.Web.Features.Demo;

namespace MedNetPortal.UnitTests.Demo;

public sealed class DemoDataTests
{
    private static readonly IReadOnlyList<Bundle> PatientTransactions = DemoTransactions.ForAllPatients();

    private static List<Condition> Conditions => PatientTransactions.SelectMany(DemoTestSupport.Resources<Condition>).ToList();

    private static List<AllergyIntolerance> Allergies => PatientTransactions.SelectMany(DemoTestSupport.Resources<AllergyIntolerance>).ToList();

    [Fact]
    public void Diagnoses_mix_coded_text_only_suspected_and_resolved()
    {
        var conditions = Conditions;

        Assert.All(conditions, c => Assert.False(string.IsNullOrWhiteSpace(c.Code.Text)));
        Assert.Contains(conditions, c => c.Code.Coding.Any(x => x.System == DemoSystems.MedisDiseaseKey));
        Assert.Contains(conditions, c => c.Code.Coding.Any(x => x.System == DemoSystems.ReceiptDisease));
        Assert.Contains(conditions, c => c.Code.Coding.Any(x => x.System == DemoSystems.Icd10));
        // A name without a MEDIS code carries the profile's all-9 "no code" coding and nothing else (JP_Condition_eCS).
        Assert.All(conditions, c => Assert.Contains(c.Code.Coding, x => x.System == DemoSystems.MedisDiseaseKey && !string.IsNullOrEmpty(x.Display)));
        Assert.Contains(conditions, c => c.Code.Coding.Count == 1 && c.Code.Coding[0].Code == DemoClinicalResources.UncodedDiseaseKey);
        Assert.Contains(conditions, c => c.VerificationStatus.Coding.Single().Code == "unconfirmed");
        var resolved = conditions.Where(c => c.ClinicalStatus.Coding.Single().Code == "resolved").ToList();
        Assert.NotEmpty(resolved);
        Assert.All(resolved, c => Assert.NotNull(c.Abatement));
        Assert.All(conditions.Where(c => c.Abatement is not null), c => Assert.Equal("resolved", c.ClinicalStatus.Coding.Single().Code));
        Assert.All(conditions, c =>
        {
            Assert.Equal(DemoSystems.ConditionProfile, c.Meta.Profile.Single());
            Assert.NotNull(c.Onset);
            Assert.NotNull(c.RecordedDate);
            Assert.NotNull(c.Recorder);
            Assert.NotNull(c.GetExtension(DemoSystems.InstitutionNumberExtension));
        });
    }

    [Fact]
    public void Allergies_include_a_high_criticality_drug_allergy_a_food_allergy_and_one_entered_in_error()
    {
        var allergies = Allergies;

        Assert.Contains(allergies, a => a.Category.Contains(AllergyIntolerance.AllergyIntoleranceCategory.Medication)
            && a.Criticality == AllergyIntolerance.AllergyIntoleranceCriticality.High
            && a.Code.Text.Contains("ペニシリン", StringComparison.Ordinal)
            && a.Reaction.Any(r => r.Severity == AllergyIntolerance.AllergyIntoleranceSeverity.Severe));
        Assert.Contains(allergies, a => a.Category.Contains(AllergyIntolerance.AllergyIntoleranceCategory.Food));
        var enteredInError = Assert.Single(allergies, a => a.VerificationStatus.Coding.Single().Code == "entered-in-error");
        Assert.Null(enteredInError.ClinicalStatus);
        Assert.All(allergies, a => Assert.NotEmpty(a.Reaction));
    }

    [Fact]
    public void One_resource_is_tagged_uninformed()
    {
        var tagged = PatientTransactions.SelectMany(b => b.Entry).Select(e => e.Resource)
            .Where(r => r.Meta?.Tag.Any(t => t.System == DemoSystems.Indication && t.Code == "UNINFORMED") == true);

        Assert.NotEmpty(tagged);
    }

    [Fact]
    public void Labs_and_prescriptions_are_present()
    {
        Assert.NotEmpty(PatientTransactions.SelectMany(DemoTestSupport.Resources<Observation>));
        Assert.NotEmpty(PatientTransactions.SelectMany(DemoTestSupport.Resources<MedicationRequest>));
    }

    [Fact]
    public void One_patient_has_at_least_500_diagnoses_with_varied_dates_and_status()
    {
        var large = DemoTransactions.ForPatient(DemoRecords.For(DemoPatients.LargeRecordKey));
        var conditions = DemoTestSupport.Resources<Condition>(large).ToList();

        Assert.True(conditions.Count >= 500);
        Assert.True(conditions.Select(c => c.RecordedDate).Distinct().Count() > 100);
        Assert.True(conditions.Select(c => c.Code.Text).Distinct().Count() >= 10);
        Assert.Contains(conditions, c => c.Abatement is not null);
        Assert.Contains(conditions, c => c.Abatement is null);
        Assert.All(conditions.Skip(3), c => Assert.InRange(string.CompareOrdinal(c.RecordedDate, "2024-01-01"), 0, int.MaxValue));
        Assert.All(conditions.Skip(3), c => Assert.True(string.CompareOrdinal(c.RecordedDate, "2027-01-01") < 0));
    }

    [Fact]
    public void Every_transaction_entry_is_a_conditional_create_with_resolvable_urn_references()
    {
        foreach (var bundle in PatientTransactions.Prepend(DemoTransactions.Facilities()))
        {
            Assert.Equal(Bundle.BundleType.Transaction, bundle.Type);
            var fullUrls = bundle.Entry.Select(e => e.FullUrl).ToList();
            Assert.All(fullUrls, u => Assert.StartsWith("urn:uuid:", u, StringComparison.Ordinal));
            Assert.Equal(fullUrls.Count, fullUrls.Distinct().Count());
            Assert.All(bundle.Entry, e =>
            {
                Assert.Equal(Bundle.HTTPVerb.POST, e.Request.Method);
                Assert.Equal(e.Resource.TypeName, e.Request.Url);
                Assert.StartsWith("identifier=", e.Request.IfNoneExist, StringComparison.Ordinal);
            });
            // Two conditional creates on the same query in one transaction would be ambiguous for the server.
            Assert.Equal(bundle.Entry.Count, bundle.Entry.Select(e => e.Request.IfNoneExist).Distinct().Count());

            var references = bundle.Entry
                .SelectMany(e => System.Text.RegularExpressions.Regex.Matches(DemoTestSupport.ToJson(e.Resource), "\"reference\":\"([^\"]+)\""))
                .Select(m => m.Groups[1].Value)
                .ToList();
            Assert.NotEmpty(references);
            // '#id' points at a resource contained in the same one (a lab result's specimen); every other reference at an entry.
            Assert.All(references.Where(r => !r.StartsWith('#')), r => Assert.Contains(r, fullUrls));
            Assert.All(bundle.Entry.Select(e => e.Resource).OfType<DomainResource>(), r =>
                Assert.All(System.Text.RegularExpressions.Regex.Matches(DemoTestSupport.ToJson(r), "\"reference\":\"#([^\"]+)\"").Select(m => m.Groups[1].Value),
                    id => Assert.Contains(r.Contained, c => c.Id == id)));
        }
    }

    [Fact]
    public void Every_seed_request_fits_the_10_mb_body_limit()
    {
        var sizes = PatientTransactions.Concat(DemoLetters.BuildAll()).Prepend(DemoTransactions.Facilities())
            .Select(b => System.Text.Encoding.UTF8.GetByteCount(DemoTestSupport.ToJson(b)))
            .ToList();

        Assert.All(sizes, size => Assert.InRange(size, 1, 10 * 1024 * 1024));
    }

    [Fact]
    public void Conditional_create_queries_are_ascii_and_decode_to_the_identifier()
    {
        var query = DemoIds.IdentifierQuery(DemoSystems.InsuranceMemberId, DemoPatients.ItoMisaki.QualificationIdentifier);

        Assert.All(query, ch => Assert.InRange(ch, (char)0x21, (char)0x7E));
        Assert.StartsWith("identifier=http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID|00138214:", query, StringComparison.Ordinal);
        Assert.Equal($"{DemoSystems.InsuranceMemberId}|00138214:練馬:１２３４５:", Uri.UnescapeDataString(query["identifier=".Length..]));
        Assert.Equal("identifier=a|b%26c%3Dd%2Be%25", DemoIds.IdentifierQuery("a", "b&c=d+e%"));
    }

    [Fact]
    public void Conditional_create_queries_match_the_resource_identifier()
    {
        foreach (var entry in PatientTransactions.SelectMany(b => b.Entry))
        {
            var query = Uri.UnescapeDataString(entry.Request.IfNoneExist["identifier=".Length..]);
            var identifiers = entry.Resource switch
            {
                Patient p => p.Identifier,
                Organization o => o.Identifier,
                Practitioner p => p.Identifier,
                Condition c => c.Identifier,
                AllergyIntolerance a => a.Identifier,
                Observation o => o.Identifier,
                MedicationRequest m => m.Identifier,
                Hl7.Fhir.Model.Consent c => c.Identifier,
                _ => [],
            };
            Assert.Contains(identifiers, i => $"{i.System}|{i.Value}" == query);
        }
    }
}

// Tests walk Firely models whose elements are all nullable; a missing element fails the test with an exception anyway.
#nullable disable warnings

using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Demo;

namespace MedNetPortal.UnitTests.Fhir.Conformance;

/// <summary>
/// A corpus of letters, each broken one way from a valid structured demo letter: the official profiles reject each with
/// the expected finding, and the finding points at the form field it comes from.
/// </summary>
public sealed class BrokenLetterCorpusTests
{
    private static readonly Dictionary<string, (Action<Bundle> Break, ProfileFindingKind Kind, string Subject, ReferralField Field)> Corpus = new()
    {
        ["patient-address"] = (b => Resource<Patient>(b).Address.Clear(), ProfileFindingKind.MissingElement, "address", ReferralField.PatientAddress),
        ["composition-category"] = (b => Resource<Composition>(b).Category.Clear(), ProfileFindingKind.MissingElement, "category", ReferralField.Category),
        ["patient-last-updated"] = (b => Resource<Patient>(b).Meta.LastUpdated = null, ProfileFindingKind.MissingElement, "lastUpdated", ReferralField.Patient),
        ["past-history-title"] = (b => Section(b, JpFhir.Sections.PastHistory).Title = "既往歴・家族歴", ProfileFindingKind.WrongValue, "既往歴", ReferralField.PastAndFamilyHistory),
        ["condition-medis"] = (b => Resource<Condition>(b).Code.Coding.RemoveAll(c => c.System == JpFhir.Systems.MedisDiseaseKeyNumber),
            ProfileFindingKind.MissingSlice, "coding:medisRecordNo", ReferralField.Diagnoses),
        ["condition-identifier"] = (b => Resource<Condition>(b).Identifier.RemoveAll(i => i.System == JpFhir.Systems.ResourceInstanceIdentifier),
            ProfileFindingKind.MissingSlice, "identifier:resourceIdentifier", ReferralField.Diagnoses),
        ["icd10-display"] = (b => Resource<Condition>(b).Code.Coding.Single(c => c.System == JpFhir.Systems.Icd10).Display = null,
            ProfileFindingKind.MissingElement, "display", ReferralField.Diagnoses),
        ["allergy-coding"] = (b => Resource<AllergyIntolerance>(b).Code.Coding.Clear(), ProfileFindingKind.MissingElement, "coding", ReferralField.Allergies),
        ["medication-status"] = (b => Resource<MedicationRequest>(b).Status = MedicationRequest.MedicationrequestStatus.Active,
            ProfileFindingKind.WrongValue, "completed", ReferralField.CurrentMedication),
        ["medication-rp-number"] = (b => Resource<MedicationRequest>(b).Identifier.RemoveAll(i => i.System.EndsWith("Medication-RPGroupNumber", StringComparison.Ordinal)),
            ProfileFindingKind.MissingSlice, "identifier:rpNumber", ReferralField.CurrentMedication),
        ["medication-dosage-timing"] = (b => Resource<MedicationRequest>(b).DosageInstruction[0].Timing = null,
            ProfileFindingKind.MissingElement, "timing", ReferralField.CurrentMedication),
        ["lab-specimen"] = (b => Resource<Observation>(b).Specimen = null, ProfileFindingKind.MissingElement, "specimen", ReferralField.TestResults),
        ["lab-category"] = (b => Resource<Observation>(b).Category[0] = new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory"),
            ProfileFindingKind.MissingSlice, "category:laboratory", ReferralField.TestResults),
        ["condition-unused-contained"] = (b => Resource<Condition>(b).Contained.Add(new Encounter { Id = "enc", Status = Encounter.EncounterStatus.Finished, Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB") }),
            ProfileFindingKind.Rule, "dom-3", ReferralField.Diagnoses),
    };

    public static TheoryData<string> Cases => new(Corpus.Keys);

    [OfficialPackagesTheory]
    [MemberData(nameof(Cases))]
    public async Task Each_broken_letter_is_rejected_with_the_expected_finding_at_its_field(string key)
    {
        var (breakIt, kind, subject, field) = Corpus[key];
        var bundle = ValidLetter();
        breakIt(bundle);

        var report = await OfficialPackages.Validator.ValidateAsync(bundle, CancellationToken.None);
        var problems = ReferralProfileProblems.From(bundle, report);

        Assert.True(report.Performed);
        Assert.Contains(problems, p => p.Code == ReferralProblemCode.ProfileViolation && p.Field == field
            && p.Profile!.Kind == kind && p.Profile.Subject == subject);
    }

    [OfficialPackagesFact]
    public async Task The_unbroken_letter_of_the_corpus_passes() => await OfficialProfileTests.AssertValidAsync(ValidLetter());

    /// <summary>A structured demo letter: Conditions, an allergy, prescriptions and lab results.</summary>
    private static Bundle ValidLetter() => DemoLetters.ToDocument(DemoLetters.All.Single(l => l.Key == "hospital-to-clinic-sato"));

    private static T Resource<T>(Bundle bundle)
        where T : Resource => bundle.Entry.Select(e => e.Resource).OfType<T>().First();

    private static Composition.SectionComponent Section(Bundle bundle, string code) =>
        Resource<Composition>(bundle).Section.SelectMany(s => s.Section.Prepend(s)).First(s => s.Code.Coding[0].Code == code);
}

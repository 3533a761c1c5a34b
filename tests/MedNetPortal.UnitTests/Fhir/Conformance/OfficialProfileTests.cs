// Tests walk Firely models whose elements are all nullable; a missing element fails the test with an exception anyway.
#nullable disable warnings

using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Conformance;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.UnitTests.Fhir.Referrals;
using MedNetPortal.Web.Features.Demo;

namespace MedNetPortal.UnitTests.Fhir.Conformance;

/// <summary>
/// Everything the portal writes passes the official JP-CLINS profiles (Firely's validator over the official packages) with
/// 0 errors: the demo letters and records, the official examples, and letters built from the form in edge cases.
/// </summary>
public sealed class OfficialProfileTests
{
    public static TheoryData<string> DemoLetterKeys => new(DemoLetters.All.Select(l => l.Key));

    public static TheoryData<string> DemoPatientKeys => new(DemoRecords.All.Select(r => r.Patient.Key));

    /// <summary>The JP-CLINS examples (clinical-core ExampleJson): the ones written for these packages.</summary>
    public static TheoryData<string> OfficialExamples => new(
        File.ReadLines(Path.Combine(Path.GetDirectoryName(ReferralTestData.FixturePath("SOURCES.md"))!, "SOURCES.md"))
            .Where(l => l.Contains("| jami-fhir-jp-wg/clinical-core | `ExampleJson/", StringComparison.Ordinal))
            .Select(l => l.Split('`')[1]));

    [OfficialPackagesTheory]
    [MemberData(nameof(DemoLetterKeys))]
    public async Task Every_demo_letter_passes_the_official_profiles(string key)
    {
        var letter = DemoLetters.ToDocument(DemoLetters.All.Single(l => l.Key == key));

        await AssertValidAsync(letter);
    }

    [OfficialPackagesTheory]
    [MemberData(nameof(DemoPatientKeys))]
    public async Task Every_resource_of_each_demo_patient_passes_the_official_profiles(string key)
    {
        var transaction = DemoTransactions.ForPatient(DemoRecords.For(key));

        foreach (var entry in transaction.Entry)
        {
            await AssertValidAsync(entry.Resource);
        }
    }

    [OfficialPackagesFact]
    public async Task Every_demo_facility_and_doctor_passes_the_official_profiles()
    {
        foreach (var entry in DemoTransactions.Facilities().Entry)
        {
            await AssertValidAsync(entry.Resource);
        }
    }

    [OfficialPackagesTheory]
    [MemberData(nameof(OfficialExamples))]
    public async Task The_official_JP_CLINS_examples_pass(string file)
    {
        Assert.Equal(25, OfficialExamples.Count);
        var resource = FhirJson.Deserialize<Resource>(ReferralTestData.Fixture(file));

        await AssertValidAsync(resource);
    }

    [OfficialPackagesTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_letter_from_the_compose_form_for_a_new_patient_passes_with_or_without_optional_sections(bool optionalSections)
    {
        var form = new MedNetPortal.Web.Features.Letters.Compose.ReferralForm
        {
            Patient = new MedNetPortal.Web.Features.Letters.Compose.ReferralFormPatient
            {
                Insurer = "01130012", Symbol = "ＡＢ", Number = "９８７６", Branch = "", NameKanji = "新規 太郎", NameKana = "シンキ タロウ",
                BirthDate = "1980-02-29", Sex = ReferralSex.Male, Address = "〒176-0001 東京都練馬区練馬１−２−３",
            },
            Destination = new MedNetPortal.Web.Features.Letters.Compose.ReferralFormDestination { Name = "みどり台総合病院", Code = "1310123455" },
            Purpose = "精査加療のお願い",
            Diagnoses = "心窩部痛",
            PresentIllness = "２週間前から",
        };
        if (optionalSections)
        {
            form.SenderDepartment = "内科";
            form.Destination.DepartmentName = "消化器内科";
            form.Destination.DoctorName = "森 一郎";
            form.PastAndFamilyHistory = "高血圧症";
            form.FamilyHistory = "父 心筋梗塞";
            form.Allergies = "そば";
            form.CurrentMedication = "なし";
            form.ClinicalCourse = "経過";
            form.TestResults = "Hb 12.0";
            form.Remarks = "よろしくお願いします";
            form.Category = "CONSULT";
        }

        var sender = new MedNetPortal.Web.Features.Letters.Compose.ReferralSenderInfo("さくら内科クリニック", "1310267898", "〒176-0098 東京都練馬区", "03-5550-0200", "桜井 一郎");
        var mapped = MedNetPortal.Web.Features.Letters.Compose.ReferralFormMapper.ToContent(form, sender, "R20260105-0A1B2C3D", new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.FromHours(9)));

        Assert.Empty(mapped.Problems);
        Assert.Empty(ReferralDocumentValidator.Validate(mapped.Content!));
        await AssertValidAsync(ReferralDocumentBuilder.Build(mapped.Content!));
    }

    [OfficialPackagesTheory]
    [InlineData(null)]
    [InlineData("base-patient-1")]
    public async Task Everything_a_send_transaction_writes_passes_its_profiles_or_the_R4_core_definitions(string? basePatientId)
    {
        // The document keeps its JP-CLINS profiles; DocumentReference, Task and the directory Organization have none in
        // JP-CLINS and are validated against the R4 core StructureDefinitions (the validator's base).
        var content = ReferralTestData.Full();
        var document = ReferralDocumentBuilder.Build(content with { Patient = content.Patient with { BasePatientId = basePatientId } });
        var transaction = LetterDelivery.BuildTransaction(document, basePatientId, content.IssuedAt);
        Assert.Contains(transaction.Entry, e => e.Resource is DocumentReference);
        Assert.Contains(transaction.Entry, e => e.Resource is Hl7.Fhir.Model.Task);
        foreach (var entry in transaction.Entry)
        {
            await AssertValidAsync(entry.Resource);
        }
    }

    [OfficialPackagesFact]
    public async Task A_letter_for_a_new_patient_with_every_section_passes() =>
        await AssertValidAsync(ReferralDocumentBuilder.Build(ReferralTestData.Full()));

    [OfficialPackagesFact]
    public async Task A_letter_without_optional_sections_or_entries_passes()
    {
        // Also the case Firely 3.6 crashed on (a letter without Observations) before the re-slice was left out.
        await AssertValidAsync(ReferralDocumentBuilder.Build(ReferralTestData.Minimal()));
    }

    [OfficialPackagesFact]
    public async Task A_letter_for_a_base_patient_with_20_diagnoses_allergies_and_long_texts_passes()
    {
        var record = DemoRecords.For(DemoPatients.TakahashiMakoto.Key);
        var conditions = record.Diagnoses.Take(20)
            .Select(d => new SharedResourceCopy(FhirJson.Serialize(DemoClinicalResources.ToCondition(d, "Patient/p-1", k => "Practitioner/" + k)))).ToList();
        var allergies = DemoRecords.All.SelectMany(r => r.Allergies).Where(a => !a.EnteredInError)
            .Select(a => new SharedResourceCopy(FhirJson.Serialize(DemoClinicalResources.ToAllergy(a, "Patient/p-1", k => "Practitioner/" + k)))).ToList();
        var longText = string.Concat(Enumerable.Repeat("長い経過の記載。<script>&\"'\n", 2_000));
        var content = ReferralTestData.Full() with
        {
            Patient = ReferralTestData.Full().Patient with { BasePatientId = "p-1" },
            DiagnosisCopies = conditions,
            AllergyCopies = allergies,
            PresentIllness = longText,
            ClinicalCourse = longText,
            FamilyHistory = "父 心筋梗塞",
            Category = "EXAMIN",
        };

        var bundle = ReferralDocumentBuilder.Build(content);

        Assert.Equal(20, bundle.Entry.Count(e => e.Resource is Condition));
        await AssertValidAsync(bundle);
    }

    [OfficialPackagesFact]
    public async Task A_shared_condition_with_a_contained_encounter_is_copied_without_it_and_passes()
    {
        var condition = DemoClinicalResources.ToCondition(DemoRecords.For(DemoPatients.SatoKenichi.Key).Diagnoses[0], "Patient/p-1", k => "Practitioner/" + k);
        condition.Contained = [new Encounter { Id = "enc", Status = Encounter.EncounterStatus.Finished, Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB") }];
        condition.Encounter = new ResourceReference("#enc");
        var content = ReferralTestData.Full() with { DiagnosisCopies = [new SharedResourceCopy(FhirJson.Serialize(condition))] };

        var bundle = ReferralDocumentBuilder.Build(content);

        Assert.Empty(bundle.Entry.Select(e => e.Resource).OfType<Condition>().Single().Contained);
        await AssertValidAsync(bundle);
    }

    internal static async Task AssertValidAsync(Resource resource)
    {
        var report = await OfficialPackages.Validator.ValidateAsync(resource, CancellationToken.None);

        Assert.True(report.Performed);
        Assert.True(report.Errors.Count == 0,
            $"{resource.TypeName} {resource.Id}: " + string.Join("\n", report.Errors.Select(e => $"{e.Location}: {e.Message}")));
    }
}

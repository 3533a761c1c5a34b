using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Patients;

namespace MedNetPortal.UnitTests.Web.Features.Patients;

public sealed class PatientMapperTests
{
    private static string Fixture(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "tests", "MedNetPortal.IntegrationTests", "TestData", "jp-clins", name);
            if (File.Exists(path))
            {
                return File.ReadAllText(path);
            }
        }

        throw new FileNotFoundException(name);
    }

    private static T Read<T>(string name)
        where T : Resource => MedNetPortal.Fhir.FhirJson.Deserialize<T>(Fixture(name));

    [Fact]
    public void Official_patient_gives_kanji_from_IDE_kana_from_SYL_and_the_member_identifier()
    {
        var summary = PatientMapper.ToSummary(Read<Patient>("Patient-Example-JP-Patient-eCS-MAKINO.json"));

        Assert.Equal("牧野 爛漫", summary.NameKanji);
        Assert.Equal("マキノ ランマン", summary.NameKana);
        Assert.Equal("00012345:あいう:１８７:05", summary.MemberIdentifier);
    }

    [Fact]
    public void Names_without_representation_fall_back_to_the_first_name_and_family_given()
    {
        var patient = new Patient { Id = "p1", Name = [new HumanName { Family = "山田", Given = ["太郎"] }], Gender = AdministrativeGender.Male };

        var summary = PatientMapper.ToSummary(patient);

        Assert.Equal("山田 太郎", summary.NameKanji);
        Assert.Equal(string.Empty, summary.NameKana);
        Assert.Equal(PatientSex.Male, summary.Sex);
        Assert.Null(summary.MemberIdentifier);
    }

    [Theory]
    [InlineData(JpFhir.Systems.MedisDiseaseKeyNumber, PatientMapper.CodeSystemKeys.MedisKeyNumber, null)]
    [InlineData(JpFhir.Systems.MedisDiseaseExchangeCode, PatientMapper.CodeSystemKeys.MedisExchangeCode, null)]
    [InlineData(JpFhir.Systems.ReceiptDiseaseCode, PatientMapper.CodeSystemKeys.ReceiptCode, null)]
    [InlineData(JpFhir.Systems.Icd10, PatientMapper.CodeSystemKeys.Icd10, null)]
    [InlineData("http://example.org/fhir/CodeSystem/local-disease", PatientMapper.CodeSystemKeys.Other, "local-disease")]
    [InlineData("urn:oid:1.2.392.200119.4.101.6", PatientMapper.CodeSystemKeys.Other, "1.2.392.200119.4.101.6")]
    public void Code_systems_are_named(string system, string key, string? name)
    {
        var code = PatientMapper.ToDiagnosisCode(system, "X1");

        Assert.Equal(key, code.SystemKey);
        Assert.Equal(name, code.SystemName);
    }

    [Fact]
    public void Official_conditions_map_text_codes_and_statuses()
    {
        foreach (var file in new[] { "Condition-Example-JP-Condition-eCS-01.json", "Condition-Example-JP-Condition-eCS-02.json", "Condition-Example-JP-Condition-eCS-03.json" })
        {
            var condition = Read<Condition>(file);
            var diagnosis = PatientMapper.ToDiagnosis(condition);

            Assert.Equal(condition.Code!.Text, diagnosis.Name);
            Assert.Equal(condition.Code!.Coding.Count(c => c.Code is not null), diagnosis.Codes.Count);
            Assert.Equal(condition.ClinicalStatus?.Coding.FirstOrDefault()?.Code, diagnosis.ClinicalStatus);
        }
    }

    [Fact]
    public void Suspected_uncoded_uninformed_and_entered_in_error_conditions()
    {
        var condition = new Condition
        {
            Id = "c1",
            Meta = new Meta { Tag = [new Coding(JpFhir.Systems.EhrShareIndication, "UNINFORMED")] },
            Code = new CodeableConcept { Text = "胃癌の疑い" },
            VerificationStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "unconfirmed"),
            ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
            Onset = new FhirDateTime("2025-03-01"),
            RecordedDate = "2025-03-05",
            Recorder = new ResourceReference("Practitioner/1", "中村 太郎"),
        };

        var d = PatientMapper.ToDiagnosis(condition);

        Assert.True(d.Suspected);
        Assert.False(d.IsCoded);
        Assert.True(d.IsActive);
        Assert.True(d.Marks.Uninformed);
        Assert.False(d.Marks.Undelivered);
        Assert.Equal("2025-03-01", d.Onset);
        Assert.Equal("中村 太郎", d.RecordedBy);

        condition.VerificationStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "entered-in-error");
        condition.Meta.Tag = [new Coding(JpFhir.Systems.EhrShareIndication, "UNDELIVERED")];
        var voided = PatientMapper.ToDiagnosis(condition);
        Assert.True(voided.EnteredInError);
        Assert.False(voided.Suspected);
        Assert.True(voided.Marks.Undelivered);
    }

    [Fact]
    public void Demo_condition_carries_facility_code_and_all_codings()
    {
        var record = DemoRecords.For(DemoPatients.SatoKenichi.Key);
        var condition = DemoClinicalResources.ToCondition(record.Diagnoses[0], "Patient/x", k => "Practitioner/" + k);

        var d = PatientMapper.ToDiagnosis(condition);

        Assert.Equal("2型糖尿病", d.Name);
        Assert.Equal(
            [PatientMapper.CodeSystemKeys.MedisKeyNumber, PatientMapper.CodeSystemKeys.MedisExchangeCode, PatientMapper.CodeSystemKeys.ReceiptCode, PatientMapper.CodeSystemKeys.Icd10],
            d.Codes.Select(c => c.SystemKey));
        Assert.Equal(DemoFacilities.FindDoctor("hospital-gastro").Facility.Code, d.FacilityCode);
    }

    [Fact]
    public void Allergies_map_category_criticality_reactions_and_entered_in_error()
    {
        var record = DemoRecords.For(DemoPatients.SatoKenichi.Key);
        var food = PatientMapper.ToAllergy(DemoClinicalResources.ToAllergy(record.Allergies[0], "Patient/x", k => "Practitioner/" + k));
        var voided = PatientMapper.ToAllergy(DemoClinicalResources.ToAllergy(record.Allergies[1], "Patient/x", k => "Practitioner/" + k));

        Assert.Equal("そば", food.Substance);
        Assert.Equal(AllergyCategory.Food, food.Category);
        Assert.False(food.HighCriticality);
        Assert.Equal([new AllergyReaction("口唇の腫れ、喉のかゆみ", "moderate")], food.Reactions);
        Assert.False(food.EnteredInError);
        Assert.True(voided.EnteredInError);
        Assert.Null(voided.ClinicalStatus);

        var official = PatientMapper.ToAllergy(Read<AllergyIntolerance>("AllergyIntolerance-Example-JP-AllergyIntolerance-eCS-01.json"));
        Assert.False(string.IsNullOrEmpty(official.Substance));
    }

    [Theory]
    [InlineData("Bundle-Bundle-CLINS-Referral-Example-01.json", "港診療所")]
    [InlineData("Bundle-BundleReferralExample01.json", "港診療所")]
    [InlineData("Bundle-Bundle-CLINS-Referral-NoEntry-Example-01.json", null)]
    public void Official_referral_letters_summarise(string file, string? sender)
    {
        var bundle = Read<Bundle>(file);
        bundle.Id = "b1";

        var letter = LetterSummaryMapper.ToLetterSummary(bundle);

        Assert.NotNull(letter);
        Assert.Equal("b1", letter.Id);
        Assert.Equal("診療情報提供書", letter.Title);
        Assert.Equal("腹痛精査お願いします。", letter.Purpose);
        Assert.StartsWith("2020-08-21", letter.Date);
        Assert.False(string.IsNullOrEmpty(letter.SenderFacility));
        Assert.False(string.IsNullOrEmpty(letter.DestinationFacility));
        if (sender is not null)
        {
            Assert.Contains(sender, letter.SenderFacility);
        }
    }

    [Fact]
    public void Demo_letter_summary_names_sender_doctor_destination_and_department()
    {
        var demo = DemoLetters.All.Single(l => l.Key == "hospital-to-regional-suzuki");
        var bundle = DemoLetters.ToDocument(demo);
        bundle.Id = "L1";

        var letter = LetterSummaryMapper.ToLetterSummary(bundle)!;

        Assert.Equal(demo.FromFacility.Name, letter.SenderFacility);
        Assert.Equal(demo.FromDoctor.NameKanji, letter.SenderDoctor);
        Assert.Equal(demo.ToFacility.Name, letter.DestinationFacility);
        Assert.Equal(demo.Purpose, letter.Purpose);
    }

    [Fact]
    public void Narrative_text_drops_markup_and_decodes_entities()
    {
        Assert.Equal("a b & c", NarrativePlainText.Of("<div xmlns=\"http://www.w3.org/1999/xhtml\">a<br/>b &amp; <script>c</script></div>"));
        Assert.Null(NarrativePlainText.Of("<div></div>"));
    }

    [Theory]
    [InlineData("00134567:12:345:01", "0013****:**:****:**")]
    [InlineData("39130158::00123456:", "3913****::****:")]
    [InlineData("", "")]
    public void Identifier_mask_hides_all_but_the_insurer_prefix(string value, string masked) =>
        Assert.Equal(masked, PatientText.Masked(value));

    [Fact]
    public void The_MEDIS_all_9_no_code_coding_is_not_shown_as_a_code_and_the_diagnosis_reads_as_text_only()
    {
        var condition = new Hl7.Fhir.Model.Condition
        {
            Id = "c-1",
            Code = new Hl7.Fhir.Model.CodeableConcept
            {
                Coding =
                [
                    new Hl7.Fhir.Model.Coding(MedNetPortal.Fhir.JpFhir.Systems.MedisDiseaseKeyNumber, "99999999", "右膝の痛み"),
                    new Hl7.Fhir.Model.Coding(MedNetPortal.Fhir.JpFhir.Systems.Icd10, "M2556", "膝関節痛"),
                ],
                Text = "右膝の痛み",
            },
        };

        var diagnosis = MedNetPortal.Web.Features.Patients.PatientMapper.ToDiagnosis(condition);

        Assert.Equal(["M2556"], diagnosis.Codes.Select(c => c.Code));
        condition.Code.Coding.RemoveAt(1);
        Assert.False(MedNetPortal.Web.Features.Patients.PatientMapper.ToDiagnosis(condition).IsCoded);
    }

    [Fact]
    public void A_patient_address_is_read_with_its_postcode_for_the_letter_form()
    {
        var patient = new Hl7.Fhir.Model.Patient { Id = "p-1", Address = [new Hl7.Fhir.Model.Address { Text = "東京都練馬区練馬１−２−３", PostalCode = "176-0001" }] };

        Assert.Equal("〒176-0001 東京都練馬区練馬１−２−３", MedNetPortal.Web.Features.Patients.PatientMapper.ToSummary(patient).Address);
    }
}

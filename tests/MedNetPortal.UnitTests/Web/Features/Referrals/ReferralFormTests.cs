using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Letters.Compose;
using MedNetPortal.Web.Resources;

namespace MedNetPortal.UnitTests.Web.Features.Letters.Compose;

public sealed partial class ReferralFormTests
{
    private static readonly ReferralSenderInfo Sender = new("さくら内科クリニック", "1310267898", "〒176-0098 東京都練馬区", "03-5550-0200", "桜井 一郎");
    private static readonly DateTimeOffset IssuedAt = new(2026, 1, 5, 10, 0, 0, TimeSpan.FromHours(9));

    private static ReferralForm Filled() => new()
    {
        Patient = new ReferralFormPatient
        {
            Insurer = "01130012", Symbol = "ＡＢ", Number = "９８７６", Branch = "01",
            NameKanji = " 新規 太郎 ", NameKana = "シンキ タロウ", BirthDate = "1980-02-29", Sex = ReferralSex.Male,
            Address = " 〒176-0001 東京都練馬区練馬１−２−３ ",
        },
        Category = "EXAMIN",
        Destination = new ReferralFormDestination { Name = "みどり台総合病院", Code = "1310123455", DepartmentName = "消化器内科", DoctorName = " " },
        SenderDepartment = "内科",
        Purpose = "精査加療のお願い",
        Diagnoses = "心窩部痛",
        DiagnosisPicks = [new PickedSharedResource("c1", "胃潰瘍", """{"resourceType":"Condition","id":"c1","code":{"text":"胃潰瘍"},"subject":{"reference":"Patient/p-1"}}""")],
        PresentIllness = "２週間前から",
        PastAndFamilyHistory = "",
        FamilyHistory = "父 高血圧",
        Allergies = "そば",
        CurrentMedication = "なし",
        ClinicalCourse = "経過",
        TestResults = "Hb 12.0",
        Remarks = "よろしくお願いします",
    };

    [Fact]
    public void Maps_every_form_field_into_the_letter_content_with_the_sender_from_the_account()
    {
        var mapped = ReferralFormMapper.ToContent(Filled(), Sender, "R20260105-0A1B2C3D", IssuedAt);

        Assert.Empty(mapped.Problems);
        var content = mapped.Content!;
        Assert.Equal(new ReferralSender("さくら内科クリニック", "1310267898", "〒176-0098 東京都練馬区", "03-5550-0200", null, "内科", "桜井 一郎", null), content.Sender);
        Assert.Equal(new ReferralDestination("みどり台総合病院", "1310123455", null, "消化器内科", null), content.Destination);
        // Full-width alphanumerics are normalised (InsuranceMemberId policy).
        Assert.Equal(new ReferralPatient("01130012:AB:9876:01", "新規 太郎", "シンキ タロウ", new DateOnly(1980, 2, 29), ReferralSex.Male, Address: "〒176-0001 東京都練馬区練馬１−２−３"), content.Patient);
        Assert.Equal("EXAMIN", content.Category);
        Assert.Equal("父 高血圧", content.FamilyHistory);
        Assert.Equal("精査加療のお願い", content.Purpose);
        Assert.Equal("心窩部痛", content.Diagnoses);
        Assert.Contains("胃潰瘍", Assert.Single(content.DiagnosisCopies).ResourceJson, StringComparison.Ordinal);
        Assert.Equal("２週間前から", content.PresentIllness);
        Assert.Null(content.PastAndFamilyHistory); // blank → section left out
        Assert.Equal("そば", content.Allergies);
        Assert.Equal("なし", content.CurrentMedication);
        Assert.Equal("経過", content.ClinicalCourse);
        Assert.Equal("Hb 12.0", content.TestResults);
        Assert.Equal("よろしくお願いします", content.Remarks);
        Assert.Equal("R20260105-0A1B2C3D", content.LocalId);
        Assert.Equal(IssuedAt, content.IssuedAt);
        Assert.Empty(ReferralDocumentValidator.Validate(content));
    }

    [Fact]
    public void A_draft_saved_before_address_family_history_and_category_existed_still_loads()
    {
        // The stored form JSON of an earlier version: none of the new fields.
        const string old = """{"patient":{"basePatientId":"p-1","insurer":"01130012","nameKanji":"佐藤 健一","sex":1},"pastAndFamilyHistory":"高血圧症。父 心筋梗塞。","purpose":"精査"}""";

        var form = ReferralForm.FromJson(old);

        Assert.Equal("高血圧症。父 心筋梗塞。", form.PastAndFamilyHistory);
        Assert.Equal("OUTPATIENT", form.Category);
        Assert.Null(form.FamilyHistory);
        Assert.Null(form.Patient.Address);
        Assert.Equal("精査", form.Purpose);
    }

    [Fact]
    public void A_base_patient_keeps_its_id_and_a_half_width_identifier_is_normalised()
    {
        var form = Filled();
        form.Patient.BasePatientId = "p-1";
        form.Patient.Symbol = "A12";
        form.Patient.Number = "3456789";
        form.Patient.Branch = "";

        var content = ReferralFormMapper.ToContent(form, Sender, "R1", IssuedAt).Content!;

        Assert.Equal("p-1", content.Patient.BasePatientId);
        Assert.Equal("01130012:A12:3456789:", content.Patient.MemberId);
    }

    [Fact]
    public void A_missing_birth_date_and_empty_required_texts_become_problems_that_point_at_their_fields()
    {
        var form = new ReferralForm { Patient = new ReferralFormPatient { Insurer = "01130013", Number = "1" } };

        var problems = ReferralFormMapper.Validate(form, Sender, "R1", IssuedAt);
        var mapped = ReferralFormMapper.ToContent(form, Sender, "R1", IssuedAt);

        Assert.Null(mapped.Content);
        Assert.Equal(ReferralText.FieldIds.PatientBirthDate, ReferralText.FieldId(Assert.Single(problems), patientFromBase: false));

        form.Patient.BirthDate = "2000-01-01";
        var fieldIds = ReferralFormMapper.Validate(form, Sender, "R1", IssuedAt).Select(p => ReferralText.FieldId(p, false)).ToHashSet();
        Assert.Contains(ReferralText.FieldIds.PatientInsurer, fieldIds); // wrong check digit
        Assert.Contains(ReferralText.FieldIds.PatientName, fieldIds);
        Assert.Contains(ReferralText.FieldIds.PatientKana, fieldIds);
        Assert.Contains(ReferralText.FieldIds.DestinationSearch, fieldIds);
        Assert.Contains(ReferralText.FieldIds.Purpose, fieldIds);
        Assert.Contains(ReferralText.FieldIds.Diagnoses, fieldIds);
        Assert.Contains(ReferralText.FieldIds.PresentIllness, fieldIds);
    }

    [Fact]
    public void The_form_survives_its_JSON_round_trip()
    {
        var form = Filled();

        var back = ReferralForm.FromJson(form.ToJson());

        Assert.Equal(form.ToJson(), back.ToJson());
        Assert.Equal("胃潰瘍", Assert.Single(back.DiagnosisPicks).Label);
        Assert.Equal(ReferralSex.Male, back.Patient.Sex);
    }

    [Fact]
    public void A_local_id_is_R_the_Japan_date_a_dash_and_8_hex_characters_and_never_has_a_caret()
    {
        // 2025-12-31 20:00 UTC is already 2026-01-01 in Japan.
        var ids = Enumerable.Range(0, 200).Select(_ => ReferralDraftService.NewLocalId(new DateTimeOffset(2025, 12, 31, 20, 0, 0, TimeSpan.Zero))).ToList();

        Assert.All(ids, id => Assert.Matches(LocalId(), id));
        Assert.All(ids, id => Assert.StartsWith("R20260101-", id, StringComparison.Ordinal));
        Assert.DoesNotContain(ids, id => id.Contains('^', StringComparison.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("ja-JP")]
    [InlineData("en-US")]
    public void Every_problem_code_and_field_has_a_message_in_both_languages(string culture)
    {
        var manager = new ResourceManager(typeof(SharedResource).FullName!, typeof(SharedResource).Assembly);
        var ci = CultureInfo.GetCultureInfo(culture);
        var keys = Enum.GetNames<ReferralProblemCode>().Select(c => "Referrals.Problem." + c)
            .Concat(Enum.GetNames<ReferralField>().Select(f => "Referrals.Field." + f));

        Assert.All(keys, key => Assert.False(string.IsNullOrWhiteSpace(manager.GetString(key, ci)), key));
    }

    [Fact]
    public void Patient_identifier_problems_point_at_the_input_that_holds_the_mistake()
    {
        var problem = new ReferralProblem(ReferralProblemCode.PatientMemberIdInvalid, ReferralField.Patient, "Patient.MemberId",
            InsuranceMemberId.Parse("01130012", "A B", "1", "").Problems);

        Assert.Equal(ReferralText.FieldIds.PatientSymbol, ReferralText.FieldId(problem, patientFromBase: false));
        Assert.Equal(ReferralText.FieldIds.Patient, ReferralText.FieldId(problem, patientFromBase: true));
        Assert.Null(ReferralText.FieldId(new ReferralProblem(ReferralProblemCode.FullUrlNotUuid, ReferralField.Document, "Bundle.entry[0]"), false));
    }

    [GeneratedRegex("^R[0-9]{8}-[0-9A-F]{8}$")]
    private static partial Regex LocalId();
}

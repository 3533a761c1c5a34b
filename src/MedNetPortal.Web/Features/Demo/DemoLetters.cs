using System.Globalization;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;

namespace MedNetPortal.Web.Features.Demo;

/// <summary>
/// A demo referral letter (診療情報提供書). Narrative texts follow the paper form (別紙様式11); a structured letter
/// also carries the record's resources as section entries, a text-only one (like a clinic without an EHR writes) none.
/// </summary>
public sealed record DemoLetter(
    string Key,
    string LocalId,
    DateTimeOffset IssuedAt,
    DemoPatient Patient,
    string FromDoctorKey,
    string ToFacilityKey,
    DemoDepartment ToDepartment,
    string? ToDoctorKey,
    string Purpose,
    string Complaint,
    string PresentIllness,
    string? PastHistory = null,
    string? FamilyHistory = null,
    string? Allergies = null,
    string? Medications = null,
    string? ClinicalCourse = null,
    string? LabResults = null,
    string? Remarks = null,
    IReadOnlyList<string>? DiagnosisKeys = null,
    IReadOnlyList<string>? AllergyKeys = null,
    IReadOnlyList<string>? LabKeys = null,
    IReadOnlyList<string>? MedicationKeys = null)
{
    public DemoFacility FromFacility => DemoFacilities.FindDoctor(FromDoctorKey).Facility;

    public DemoDoctor FromDoctor => DemoFacilities.FindDoctor(FromDoctorKey).Doctor;

    public DemoFacility ToFacility => DemoFacilities.ByKey(ToFacilityKey);

    /// <summary><c>医療機関コード^年^施設内ID</c> of the issuing facility.</summary>
    public string BundleIdentifier => $"{FromFacility.Code}^{IssuedAt.Year.ToString(CultureInfo.InvariantCulture)}^{LocalId}";

    public bool IsTextOnly => (DiagnosisKeys?.Count ?? 0) + (AllergyKeys?.Count ?? 0) + (LabKeys?.Count ?? 0) + (MedicationKeys?.Count ?? 0) == 0;
}

/// <summary>The demo referral letters between the demo facilities, and their JP-CLINS document Bundles.</summary>
public static class DemoLetters
{
    private static readonly TimeSpan Jst = TimeSpan.FromHours(9);

    public static IReadOnlyList<DemoLetter> All { get; } =
    [
        new("clinic-to-hospital-yamada", "R2025-0001", new DateTimeOffset(2025, 1, 21, 9, 30, 0, Jst), DemoPatients.YamadaHanako,
            "clinic-director", "hospital", DemoFacilities.Cardiology, "hospital-cardiology",
            Purpose: "労作時の胸部不快感について精査・加療をお願いいたします。",
            Complaint: "狭心症の疑い<br/>本態性高血圧症<br/>脂質異常症",
            PresentIllness: "2025年1月中旬より階段昇降時に前胸部の圧迫感が数分続くようになりました。安静で軽快します。心電図では明らかなST変化を認めませんでした。",
            PastHistory: "高血圧症（2015年〜）、脂質異常症（2018年〜）。",
            FamilyHistory: "父 心筋梗塞。",
            Allergies: "ペニシリン系抗菌薬でアナフィラキシーの既往があります（禁忌）。",
            Medications: "アムロジピン錠5mg 1回1錠 1日1回 朝食後",
            LabResults: "2025-01-20 LDLコレステロール 152 mg/dL",
            Remarks: "ご多忙のところ恐縮ですが、よろしくお願いいたします。"),
        new("hospital-to-clinic-sato", "R2024-1106", new DateTimeOffset(2024, 11, 6, 14, 0, 0, Jst), DemoPatients.SatoKenichi,
            "hospital-gastro", "clinic", DemoFacilities.InternalMedicine, "clinic-director",
            Purpose: "当院での加療が一段落しましたので、今後の糖尿病管理と経過観察をお願いいたします。",
            Complaint: "2型糖尿病、逆流性食道炎",
            PresentIllness: "2024年5月に十二指腸潰瘍で当院消化器内科に入院し、内視鏡的止血術後に軽快しました。10月より食後の胃もたれがあり、逆流性食道炎と診断しています。",
            PastHistory: "十二指腸潰瘍（2024年、治癒）",
            ClinicalCourse: "ボノプラザン投与で症状は改善しています。HbA1cは7%台で推移しています。",
            Remarks: "3か月後に当院で内視鏡の再検を予定しています。",
            DiagnosisKeys: ["sato-c1", "sato-c3"], AllergyKeys: ["sato-a1"], LabKeys: ["sato-l1", "sato-l2"], MedicationKeys: ["sato-m1", "sato-m2"]),
        new("hospital-to-regional-suzuki", "R2025-0221", new DateTimeOffset(2025, 2, 21, 10, 15, 0, Jst), DemoPatients.SuzukiTome,
            "hospital-cardiology", "regional", DemoFacilities.Geriatrics, "regional-geriatrics",
            Purpose: "肺炎の治療後、ご自宅近くでの療養継続とリハビリテーションをお願いいたします。",
            Complaint: "心房細動、慢性心不全、骨粗鬆症、肺炎（治癒）",
            PresentIllness: "2025年2月3日、発熱と呼吸困難で救急搬送され、肺炎および心不全増悪の診断で入院しました。",
            PastHistory: "アルツハイマー型認知症（2023年〜）",
            ClinicalCourse: "抗菌薬と利尿薬で改善し、2月21日に退院となりました。ADLは杖歩行で自立しています。",
            Remarks: "ご家族（長女）が通院に付き添われます。",
            DiagnosisKeys: ["suzuki-c1", "suzuki-c2", "suzuki-c3", "suzuki-c4"], AllergyKeys: ["suzuki-a1"],
            LabKeys: ["suzuki-l1", "suzuki-l2", "suzuki-l3"], MedicationKeys: ["suzuki-m1", "suzuki-m2"]),
        new("dental-to-hospital-ito", "R2025-0612", new DateTimeOffset(2025, 6, 12, 16, 45, 0, Jst), DemoPatients.ItoMisaki,
            "dental-director", "hospital", DemoFacilities.OralSurgery, null,
            Purpose: "左顎関節部の疼痛と開口障害について、精査をお願いいたします。",
            Complaint: "左顎関節の痛み",
            PresentIllness: "2025年6月上旬より左顎関節部の疼痛があり、開口量が約25mmに制限されています。",
            Remarks: "パノラマX線写真は患者さんにお渡ししています。",
            DiagnosisKeys: ["ito-c2"], AllergyKeys: ["ito-a1"]),
        new("clinic-to-hospital-tanaka", "R2025-0042", new DateTimeOffset(2025, 11, 12, 11, 0, 0, Jst), DemoPatients.TanakaYota,
            "clinic-director", "hospital", DemoFacilities.Pediatrics, "hospital-pediatrics",
            Purpose: "気管支喘息のコントロール不良について、ご評価とご指導をお願いいたします。",
            Complaint: "気管支喘息<br/>アトピー性皮膚炎",
            PresentIllness: "上気道炎を契機に夜間の咳嗽と喘鳴が続いています。吸入指導を行いましたが改善が乏しい状況です。",
            PastHistory: "鶏卵アレルギー（全身の蕁麻疹）",
            Allergies: "鶏卵",
            Medications: "モンテルカストチュアブル錠5mg 1回1錠 1日1回 就寝前"),
        new("regional-to-hospital-takahashi", "R2026-0007", new DateTimeOffset(2026, 1, 10, 9, 0, 0, Jst), DemoPatients.TakahashiMakoto,
            "regional-geriatrics", "hospital", DemoFacilities.Cardiology, "hospital-cardiology",
            Purpose: "胸痛発作の精査をお願いいたします。",
            Complaint: "本態性高血圧症、2型糖尿病、脳梗塞後",
            PresentIllness: "2026年1月初旬より早朝に胸部絞扼感が出現しています。",
            DiagnosisKeys: ["takahashi-c1", "takahashi-c2", "takahashi-c3"], MedicationKeys: ["takahashi-m1"]),
    ];

    /// <summary>All letters as document Bundles.</summary>
    public static IReadOnlyList<Bundle> BuildAll() => All.Select(ToDocument).ToList();

    /// <summary>
    /// The letter as the compose form would fill it: sender and destination from the demo facilities, the texts of the
    /// paper form, and the letter's diagnoses and allergies copied from the patient's demo record (Condition and
    /// AllergyIntolerance entries). A letter without record keys is text-only, as a clinic without an EHR writes it.
    /// </summary>
    public static ReferralLetterContent ToContent(DemoLetter letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        var record = DemoRecords.For(letter.Patient.Key);
        var from = letter.FromFacility;
        var fromDoctor = letter.FromDoctor;
        var to = letter.ToFacility;
        var toDoctor = letter.ToDoctorKey is null ? null : to.Doctor(letter.ToDoctorKey);
        // The copies' own references (patient, recorder) are rewritten or dropped by the builder; these placeholders never reach the base.
        const string patientPlaceholder = "urn:uuid:00000000-0000-0000-0000-000000000000";
        static string NoPractitioner(string doctorKey) => "Practitioner/" + doctorKey;

        return new ReferralLetterContent
        {
            Sender = new ReferralSender(from.Name, from.Code, $"〒{from.PostalCode} {from.AddressText}", from.Phone,
                fromDoctor.Department.Code, fromDoctor.Department.Name, fromDoctor.NameKanji, fromDoctor.NameKana),
            Destination = new ReferralDestination(to.Name, to.Code, letter.ToDepartment.Code, letter.ToDepartment.Name, toDoctor?.NameKanji),
            Patient = new ReferralPatient(
                letter.Patient.QualificationIdentifier,
                letter.Patient.NameKanji,
                letter.Patient.NameKana,
                DateOnly.ParseExact(letter.Patient.BirthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                letter.Patient.Gender switch
                {
                    AdministrativeGender.Male => ReferralSex.Male,
                    AdministrativeGender.Female => ReferralSex.Female,
                    AdministrativeGender.Other => ReferralSex.Other,
                    _ => ReferralSex.Unknown,
                },
                Address: $"〒{letter.Patient.PostalCode} {letter.Patient.Address}"),
            Purpose = PlainText(letter.Purpose),
            Diagnoses = PlainText(letter.Complaint),
            DiagnosisCopies = Pick(record.Diagnoses, letter.DiagnosisKeys, d => d.Key)
                .Select(d => Copy(DemoClinicalResources.ToCondition(d, patientPlaceholder, NoPractitioner))).ToList(),
            PresentIllness = PlainText(letter.PresentIllness),
            PastAndFamilyHistory = PlainTextOrNull(letter.PastHistory),
            FamilyHistory = PlainTextOrNull(letter.FamilyHistory),
            Allergies = PlainTextOrNull(letter.Allergies) ?? Lines(Pick(record.Allergies, letter.AllergyKeys, a => a.Key).Select(a => a.Text)),
            AllergyCopies = Pick(record.Allergies, letter.AllergyKeys, a => a.Key)
                .Select(a => Copy(DemoClinicalResources.ToAllergy(a, patientPlaceholder, NoPractitioner))).ToList(),
            CurrentMedication = PlainTextOrNull(letter.Medications)
                ?? Lines(Pick(record.Medications, letter.MedicationKeys, m => m.Key).Select(m => $"{m.Name} {m.Dosage} {m.Days}日分")),
            ClinicalCourse = PlainTextOrNull(letter.ClinicalCourse),
            TestResults = PlainTextOrNull(letter.LabResults)
                ?? Lines(Pick(record.Labs, letter.LabKeys, l => l.Key).Select(l => $"{l.Effective} {l.Name} {l.Value.ToString(CultureInfo.InvariantCulture)} {l.Unit}")),
            Remarks = PlainTextOrNull(letter.Remarks),
            LocalId = letter.LocalId,
            IssuedAt = letter.IssuedAt,
        };
    }

    /// <summary>
    /// The letter as a JP-CLINS document, built by <see cref="ReferralDocumentBuilder"/> like every sent letter. The builder
    /// copies only diagnoses and allergies; a structured demo letter also carries its prescriptions and lab results, so those
    /// are added as MedicationRequest and Observation entries of sections 430 and 620 (whose narratives the builder wrote).
    /// </summary>
    public static Bundle ToDocument(DemoLetter letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        var bundle = ReferralDocumentBuilder.Build(ToContent(letter));
        var record = DemoRecords.For(letter.Patient.Key);
        var composition = (Composition)bundle.Entry[0].Resource!;
        var patientUrn = composition.Subject!.Reference!;
        string Urn(string part) => DemoIds.Urn($"letter/{letter.Key}/{part}");
        static string NoPractitioner(string doctorKey) => "Practitioner/" + doctorKey;

        var medications = Pick(record.Medications, letter.MedicationKeys, m => m.Key).Select(m =>
        {
            var request = DemoClinicalResources.ToMedicationRequest(m, patientUrn, NoPractitioner);
            request.Requester = new ResourceReference { Display = request.Requester?.Display };
            return (Urn: Urn("medicationrequest/" + m.Key), Resource: (Resource)request);
        }).ToList();
        var labs = Pick(record.Labs, letter.LabKeys, l => l.Key).Select(l =>
        {
            var observation = DemoClinicalResources.ToObservation(l, patientUrn, NoPractitioner);
            observation.Performer = observation.Performer.Select(p => new ResourceReference { Display = p.Display }).ToList();
            return (Urn: Urn("observation/" + l.Key), Resource: (Resource)observation);
        }).ToList();

        // The builder folds a full-width all-digit 番号 to half-width (both widths are legal); the letter must name the patient
        // exactly as the record does, or the record page's search by identifier misses it.
        var patient = (Patient)bundle.Entry.Single(e => e.FullUrl == patientUrn).Resource!;
        patient.Identifier.Single().Value = letter.Patient.QualificationIdentifier;

        var structured = composition.Section.Single(s => s.Code?.Coding[0].Code == JpFhir.Sections.Structured);
        AddEntries(bundle, structured, JpFhir.Sections.Medications, "MedicationRequest", medications);
        AddEntries(bundle, structured, JpFhir.Sections.TestResults, "Observation", labs);
        return bundle;
    }

    private static void AddEntries(Bundle bundle, Composition.SectionComponent structured, string code, string type, List<(string Urn, Resource Resource)> resources)
    {
        if (resources.Count == 0)
        {
            return;
        }

        var section = structured.Section.Single(s => s.Code?.Coding[0].Code == code);
        foreach (var (urn, resource) in resources)
        {
            section.Entry.Add(new ResourceReference(urn) { Type = type });
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = urn, Resource = resource });
        }
    }

    private static SharedResourceCopy Copy(Resource resource) => new(FhirJson.Serialize(resource));

    // The letter texts are written with <br/> line breaks; the form (and the builder) take plain text with newlines.
    private static string PlainText(string text) => text.Replace("<br/>", "\n", StringComparison.Ordinal);

    private static string? PlainTextOrNull(string? text) => text is null ? null : PlainText(text);

    private static string? Lines(IEnumerable<string> lines)
    {
        var list = lines.ToList();
        return list.Count == 0 ? null : string.Join("\n", list);
    }

    private static IEnumerable<T> Pick<T>(IReadOnlyList<T> items, IReadOnlyList<string>? keys, Func<T, string> key) =>
        keys is null ? [] : keys.Select(k => items.Single(i => key(i) == k));
}

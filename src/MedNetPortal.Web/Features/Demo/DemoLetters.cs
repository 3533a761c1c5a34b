using System.Globalization;
using System.Net;
using Hl7.Fhir.Model;

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
            PastHistory: "高血圧症（2015年〜）、脂質異常症（2018年〜）。家族歴：父 心筋梗塞。",
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

    public static Bundle ToDocument(DemoLetter letter)
    {
        string Urn(string part) => DemoIds.Urn($"letter/{letter.Key}/{part}");
        string PractitionerUrn(string doctorKey) => Urn("practitioner/" + doctorKey);

        var record = DemoRecords.For(letter.Patient.Key);
        var patientUrn = Urn("patient");
        var fromOrgUrn = Urn("organization/from");
        var toOrgUrn = Urn("organization/to");
        var conditions = Pick(record.Diagnoses, letter.DiagnosisKeys, d => d.Key)
            .Select(d => (Urn("condition/" + d.Key), (Resource)DemoClinicalResources.ToCondition(d, patientUrn, PractitionerUrn), d.DoctorKey)).ToList();
        var allergies = Pick(record.Allergies, letter.AllergyKeys, a => a.Key)
            .Select(a => (Urn("allergy/" + a.Key), (Resource)DemoClinicalResources.ToAllergy(a, patientUrn, PractitionerUrn), a.DoctorKey)).ToList();
        var labs = Pick(record.Labs, letter.LabKeys, l => l.Key)
            .Select(l => (Urn("observation/" + l.Key), (Resource)DemoClinicalResources.ToObservation(l, patientUrn, PractitionerUrn), l.DoctorKey)).ToList();
        var medications = Pick(record.Medications, letter.MedicationKeys, m => m.Key)
            .Select(m => (Urn("medicationrequest/" + m.Key), (Resource)DemoClinicalResources.ToMedicationRequest(m, patientUrn, PractitionerUrn), m.DoctorKey)).ToList();
        var clinical = conditions.Concat(allergies).Concat(labs).Concat(medications).ToList();

        var from = letter.FromFacility;
        var fromDoctor = letter.FromDoctor;
        var to = letter.ToFacility;
        var toDoctor = letter.ToDoctorKey is null ? null : to.Doctor(letter.ToDoctorKey);
        var doctorKeys = new List<string> { fromDoctor.Key };
        if (toDoctor is not null)
        {
            doctorKeys.Add(toDoctor.Key);
        }

        doctorKeys.AddRange(clinical.Select(c => c.DoctorKey).Where(k => !doctorKeys.Contains(k)).Distinct().Order(StringComparer.Ordinal));

        var issueDate = letter.IssuedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var composition = new Composition
        {
            Meta = new Meta { Profile = [DemoSystems.CompositionReferralProfile] },
            Language = "ja",
            Extension = [new Extension(DemoSystems.VersionNumberExtension, new FhirString("1.0"))],
            Identifier = new Identifier("http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier", $"{from.Code}-{letter.LocalId}"),
            Status = CompositionStatus.Final,
            Type = new CodeableConcept(DemoSystems.DocTypeCodes, "57133-1", "診療情報提供書", "診療情報提供書"),
            Subject = new ResourceReference(patientUrn, letter.Patient.NameKanji) { Type = "Patient" },
            Date = new FhirDateTime(letter.IssuedAt).Value,
            Author =
            [
                new ResourceReference(PractitionerUrn(fromDoctor.Key), fromDoctor.NameKanji) { Type = "Practitioner" },
                new ResourceReference(fromOrgUrn, from.Name) { Type = "Organization" },
            ],
            Title = "診療情報提供書",
            Custodian = new ResourceReference(fromOrgUrn, from.Name) { Type = "Organization" },
            Event = [new Composition.EventComponent { Code = [new CodeableConcept { Text = "診療情報提供書発行" }], Period = new Period { Start = issueDate } }],
        };

        var fromLines = new[] { from.Name, fromDoctor.Department.Name, $"{fromDoctor.NameKanji}（{fromDoctor.NameKana}）", $"〒{from.PostalCode} {from.AddressText}", $"電話: {from.Phone}" };
        composition.Section.Add(Section("920", "紹介元情報", Narrative(fromLines), [Ref(fromOrgUrn, "Organization"), Ref(PractitionerUrn(fromDoctor.Key), "Practitioner")]));
        var toLines = new List<string> { to.Name, letter.ToDepartment.Name };
        var toEntries = new List<ResourceReference> { Ref(toOrgUrn, "Organization") };
        if (toDoctor is not null)
        {
            toLines.Add(toDoctor.NameKanji + " 先生");
            toEntries.Add(Ref(PractitionerUrn(toDoctor.Key), "Practitioner"));
        }
        else
        {
            toLines.Add("ご担当先生");
        }

        composition.Section.Add(Section("910", "紹介先情報", Narrative(toLines), toEntries));

        var structured = Section("300", "構造情報", narrative: null, entries: []);
        structured.Section.Add(Section("950", "紹介目的", Div(letter.Purpose), []));
        structured.Section.Add(Section("340", "傷病名・主訴", Div(letter.Complaint), conditions.Select(c => Ref(c.Item1, "Condition"))));
        structured.Section.Add(Section("360", "現病歴", Div(letter.PresentIllness), []));
        AddOptional(structured, "370", "既往歴", letter.PastHistory, []);
        AddOptional(structured, "510", "アレルギー・不耐性反応",
            letter.Allergies ?? Join(Pick(record.Allergies, letter.AllergyKeys, a => a.Key).Select(a => a.Text)),
            allergies.Select(a => Ref(a.Item1, "AllergyIntolerance")));
        AddOptional(structured, "430", "投薬指示",
            letter.Medications ?? Join(Pick(record.Medications, letter.MedicationKeys, m => m.Key).Select(m => $"{m.Name} {m.Dosage} {m.Days}日分")),
            medications.Select(m => Ref(m.Item1, "MedicationRequest")));
        AddOptional(structured, "330", "臨床経過", letter.ClinicalCourse, []);
        AddOptional(structured, "620", "検査結果",
            letter.LabResults ?? Join(Pick(record.Labs, letter.LabKeys, l => l.Key).Select(l => $"{l.Effective} {l.Name} {l.Value.ToString(CultureInfo.InvariantCulture)} {l.Unit}")),
            labs.Select(l => Ref(l.Item1, "Observation")));
        composition.Section.Add(structured);
        if (letter.Remarks is not null)
        {
            composition.Section.Add(Section("220", "備考・連絡情報", Div(letter.Remarks), []));
        }

        var bundle = new Bundle
        {
            Meta = new Meta { Profile = [DemoSystems.BundleReferralProfile] },
            Language = "ja",
            Identifier = new Identifier(DemoSystems.BundleIdentifier, letter.BundleIdentifier),
            Type = Bundle.BundleType.Document,
            Timestamp = letter.IssuedAt,
        };
        bundle.Entry.Add(Entry(Urn("composition"), composition));
        bundle.Entry.Add(Entry(patientUrn, DemoPatients.ToPatient(letter.Patient)));
        foreach (var doctorKey in doctorKeys)
        {
            bundle.Entry.Add(Entry(PractitionerUrn(doctorKey), DemoFacilities.ToPractitioner(DemoFacilities.FindDoctor(doctorKey).Doctor)));
        }

        bundle.Entry.Add(Entry(fromOrgUrn, DemoFacilities.ToOrganization(from, fromDoctor.Department)));
        bundle.Entry.Add(Entry(toOrgUrn, DemoFacilities.ToOrganization(to, letter.ToDepartment)));
        foreach (var (fullUrl, resource, _) in clinical)
        {
            bundle.Entry.Add(Entry(fullUrl, resource));
        }

        return bundle;
    }

    private static IEnumerable<T> Pick<T>(IReadOnlyList<T> items, IReadOnlyList<string>? keys, Func<T, string> key) =>
        keys is null ? [] : keys.Select(k => items.Single(i => key(i) == k));

    private static string? Join(IEnumerable<string> lines)
    {
        var list = lines.Select(WebUtility.HtmlEncode).ToList();
        return list.Count == 0 ? null : string.Join("<br/>", list);
    }

    private static void AddOptional(Composition.SectionComponent parent, string code, string title, string? html, IEnumerable<ResourceReference> entries)
    {
        if (html is not null)
        {
            parent.Section.Add(Section(code, title, Div(html), entries));
        }
    }

    private static Narrative Narrative(IEnumerable<string> lines) => Div(string.Join("<br/>", lines.Select(WebUtility.HtmlEncode)));

    // Letter texts are trusted constants that may contain <br/>; everything derived from data is encoded by the caller.
    private static Narrative Div(string html) => new()
    {
        Status = Hl7.Fhir.Model.Narrative.NarrativeStatus.Additional,
        Div = $"<div xmlns=\"http://www.w3.org/1999/xhtml\">{html}</div>",
    };

    private static ResourceReference Ref(string urn, string type) => new(urn) { Type = type };

    private static Composition.SectionComponent Section(string code, string title, Narrative? narrative, IEnumerable<ResourceReference> entries)
    {
        var section = new Composition.SectionComponent
        {
            Title = title,
            Code = new CodeableConcept(DemoSystems.DocumentSection, code, title + "セクション", null),
            Text = narrative,
        };
        section.Entry.AddRange(entries);
        return section;
    }

    private static Bundle.EntryComponent Entry(string fullUrl, Resource resource) => new() { FullUrl = fullUrl, Resource = resource };
}

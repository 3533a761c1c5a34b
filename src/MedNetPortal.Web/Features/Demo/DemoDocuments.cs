using System.Globalization;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;

namespace MedNetPortal.Web.Features.Demo;

/// <summary>
/// The demo's two other national documents, both for 鈴木 トメ: a 退院時サマリー (JP-CLINS eDischargeSummary) of her
/// February 2025 admission for pneumonia and heart failure, and a 健診結果報告書 (eCheckupReport) of a check-up at the
/// regional hospital. The patient, doctors and facilities are those of the demo letters (built the same way, so they pass the
/// same profiles); the discharge medication repeats two of her prescriptions (same facility and identifier: the record counts
/// them once) and adds one that only the summary carries.
/// </summary>
public static class DemoDocuments
{
    private static readonly TimeSpan Jst = TimeSpan.FromHours(9);

    /// <summary>The eDischargeSummary Bundle profile.</summary>
    public const string DischargeSummaryBundleProfile = "http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_eDischargeSummary";

    /// <summary>The eDischargeSummary Composition profile.</summary>
    public const string DischargeSummaryCompositionProfile = "http://jpfhir.jp/fhir/eDischargeSummary/StructureDefinition/JP_Composition_eDischargeSummary";

    /// <summary>The eCheckupReport (general check-up) Bundle profile, as the official sample names it.</summary>
    public const string CheckupBundleProfile = "http://jpfhir.jp/fhir/eCheckup/StructureDefinition/JP_Bundle_eCheckupGeneral";

    /// <summary>The eCheckupReport Composition profile, as the official sample names it.</summary>
    public const string CheckupCompositionProfile = "http://jpfhir.jp/fhir/eCheckup/StructureDefinition/JP_Composition_eCheckupGeneral";

    /// <summary>The discharge prescription only the summary carries (no MedicationRequest of its own in the record).</summary>
    public static DemoMedication SummaryOnlyMedication { get; } =
        new("suzuki-ds-m3", "酸化マグネシウム錠330mg", "1回1錠 1日3回 毎食後", 14, "2025-02-21", "hospital-cardiology", RpNumber: 3, LocalCode: "H-1201");

    /// <summary>Both documents, in the order they are seeded.</summary>
    public static IReadOnlyList<Bundle> All() => [DischargeSummary(), CheckupReport()];

    /// <summary>The 退院時サマリー: admitted 2025-02-03, discharged 2025-02-21 from the demo hospital's cardiology.</summary>
    public static Bundle DischargeSummary()
    {
        var patientKey = DemoPatients.SuzukiTome.Key;
        var record = DemoRecords.For(patientKey);
        var parts = DemoDocumentParts.Parts("hospital-to-regional-suzuki", "DS2025-0221", ["suzuki-c4", "suzuki-c2", "suzuki-c1"]);
        string Urn(string part) => DemoIds.Urn($"document/discharge-suzuki/{part}");
        var issuedAt = new DateTimeOffset(2025, 2, 21, 16, 0, 0, Jst);
        var meta = DemoDocumentParts.NewMeta(issuedAt);

        var encounterUrn = Urn("encounter");
        var encounter = new Encounter
        {
            Meta = meta(JpFhir.Profiles.EncounterECS),
            Language = "ja",
            Identifier = [new Identifier(JpFhir.Systems.ResourceInstanceIdentifier, "E2025-0203-01")],
            Status = Encounter.EncounterStatus.Finished,
            Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP", "入院"),
            Subject = new ResourceReference(parts.PatientUrn),
            Period = new Period { Start = "2025-02-03", End = "2025-02-21" },
            ReasonCode = [new CodeableConcept { Text = "肺炎、慢性心不全の増悪" }],
        };

        var courseUrn = Urn("course");
        var course = new DocumentReference
        {
            Meta = meta(JpFhir.Profiles.DocumentReferenceECS),
            Language = "ja",
            Status = DocumentReferenceStatus.Current,
            Type = new CodeableConcept("http://loinc.org", "11506-3", "Progress note", null),
            Description = "入院中経過",
            Content =
            [
                new DocumentReference.ContentComponent
                {
                    Attachment = new Attachment
                    {
                        ContentType = "text/plain",
                        Language = "ja",
                        Data = System.Text.Encoding.UTF8.GetBytes(CourseText),
                        Title = "入院中経過",
                    },
                },
            ],
        };

        var medications = new[] { record.Medications.Single(m => m.Key == "suzuki-m1"), record.Medications.Single(m => m.Key == "suzuki-m2"), SummaryOnlyMedication }
            .Select(m =>
            {
                var request = DemoClinicalResources.ToMedicationRequest(m, parts.PatientUrn, key => "Practitioner/" + key);
                request.Requester = new ResourceReference { Display = request.Requester?.Display };
                return (Urn: Urn("medicationrequest/" + m.Key), Resource: (Resource)request, Medication: m);
            })
            .ToList();

        ResourceReference Ref(string urn, string type) => new(urn) { Type = type };
        var conditions = parts.Conditions;
        var composition = new Composition
        {
            Meta = meta(DischargeSummaryCompositionProfile),
            Language = "ja",
            Extension = [new Extension(JpFhir.Extensions.DocumentVersionNumber, new FhirString("1.0"))],
            Identifier = new Identifier(JpFhir.Systems.ResourceInstanceIdentifier, parts.BundleIdentifier.Replace('^', '-')),
            Status = CompositionStatus.Final,
            Type = new CodeableConcept(JpFhir.Systems.DocumentTypeCodes, JpFhir.DocumentTypes.DischargeSummary, "退院時サマリー", null),
            Category = [new CodeableConcept(JpFhir.Systems.DocumentSubTypeCodes, "DISCHARGE", "退院時文書", null)],
            Subject = Ref(parts.PatientUrn, "Patient"),
            Encounter = Ref(encounterUrn, "Encounter"),
            Date = new FhirDateTime(issuedAt).Value,
            Author = [Ref(parts.DoctorUrn, "Practitioner"), Ref(parts.OrganizationUrn, "Organization")],
            Title = "退院時サマリー",
            Custodian = Ref(parts.OrganizationUrn, "Organization"),
            Event =
            [
                new Composition.EventComponent
                {
                    Period = new Period { Start = "2025-02-03", End = "2025-02-21" },
                },
            ],
        };

        var structured = new Composition.SectionComponent
        {
            Title = "構造情報",
            Code = new CodeableConcept(JpFhir.Systems.DocumentSection, "300", "構造情報セクション", null),
        };
        structured.Section.AddRange(
        [
            DemoDocumentParts.Section("322", "入院時詳細", "2025年2月3日 救急外来より入院（循環器内科）", [Ref(encounterUrn, "Encounter")]),
            DemoDocumentParts.Section("342", "入院時診断", "肺炎<br/>慢性心不全の増悪", [Ref(conditions[0].Urn, "Condition"), Ref(conditions[1].Urn, "Condition")]),
            DemoDocumentParts.Section("352", "主訴", "発熱、呼吸困難", []),
            DemoDocumentParts.Section("312", "入院理由", "肺炎および慢性心不全の増悪に対する加療のため", []),
            DemoDocumentParts.Section("362", "現病歴", "2025年2月3日、発熱と呼吸困難で救急搬送されました。胸部X線で右下肺野に浸潤影、BNP 312 pg/mL。", []),
            DemoDocumentParts.Section("372", "既往歴", "心房細動（2016年〜）、骨粗鬆症、アルツハイマー型認知症（2023年〜）", []),
            DemoDocumentParts.Section("333", "入院中経過", CourseText, [Ref(courseUrn, "DocumentReference")]),
            DemoDocumentParts.Section("324", "退院時詳細", "2025年2月21日 軽快退院（自宅へ）", [Ref(encounterUrn, "Encounter")]),
            DemoDocumentParts.Section("344", "退院時診断", "肺炎（治癒）<br/>慢性心不全<br/>心房細動",
                [.. conditions.Select(c => Ref(c.Urn, "Condition"))]),
            DemoDocumentParts.Section("444", "退院時投薬指示", string.Join("<br/>", medications.Select(m => $"{m.Medication.Name} {m.Medication.Dosage} {m.Medication.Days.ToString(CultureInfo.InvariantCulture)}日分")),
                [.. medications.Select(m => Ref(m.Urn, "MedicationRequest"))]),
            DemoDocumentParts.Section("424", "退院時方針指示", "塩分制限（6g/日）と体重測定を続けてください。2週間後にはまかぜ記念病院老年科を受診予定です。", []),
        ]);
        composition.Section.Add(structured);

        var bundle = DemoDocumentParts.NewBundle(DischargeSummaryBundleProfile, parts.BundleIdentifier, issuedAt);
        bundle.Entry.Add(DemoDocumentParts.Entry(Urn("composition"), composition));
        bundle.Entry.Add(DemoDocumentParts.Entry(parts.PatientUrn, parts.Patient));
        bundle.Entry.Add(DemoDocumentParts.Entry(parts.DoctorUrn, parts.Doctor));
        bundle.Entry.Add(DemoDocumentParts.Entry(parts.OrganizationUrn, parts.Organization));
        bundle.Entry.Add(DemoDocumentParts.Entry(encounterUrn, encounter));
        foreach (var (urn, resource) in conditions)
        {
            bundle.Entry.Add(DemoDocumentParts.Entry(urn, resource));
        }

        foreach (var (urn, resource, _) in medications)
        {
            bundle.Entry.Add(DemoDocumentParts.Entry(urn, resource));
        }

        bundle.Entry.Add(DemoDocumentParts.Entry(courseUrn, course));
        return bundle;
    }

    /// <summary>The 健診結果報告書 of a check-up at the demo regional hospital はまかぜ記念病院 (2026-10-15), results with reference ranges.</summary>
    public static Bundle CheckupReport()
    {
        var parts = DemoDocumentParts.Parts("hospital-to-regional-suzuki", "CK2026-1015", [], senderDoctorKey: "regional-geriatrics");
        string Urn(string part) => DemoIds.Urn($"document/checkup-suzuki/{part}");
        var issuedAt = new DateTimeOffset(2026, 10, 20, 11, 0, 0, Jst);
        var meta = DemoDocumentParts.NewMeta(issuedAt);
        const string checkupCodes = "urn:oid:1.2.392.200119.6.1005";
        const string ucum = "http://unitsofmeasure.org";
        const string interpretation = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

        var results = new List<(string Urn, Resource Resource)>();
        void Add(string code, string name, DataType value, decimal? low = null, decimal? high = null, string? unit = null, string? flag = null)
        {
            var observation = new Observation
            {
                Meta = meta("http://jpfhir.jp/fhir/eCheckup/StructureDefinition/JP_Observation_eCheckupGeneral"),
                Status = ObservationStatus.Final,
                Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "exam", null, null)],
                Code = new CodeableConcept(checkupCodes, code, name, null),
                Subject = new ResourceReference(parts.PatientUrn),
                Effective = new FhirDateTime("2026-10-15"),
                Performer = [new ResourceReference(parts.OrganizationUrn)],
                Value = value,
            };
            if (low is not null || high is not null)
            {
                observation.ReferenceRange =
                [
                    new Observation.ReferenceRangeComponent
                    {
                        Low = low is null ? null : new Quantity { Value = low, Unit = unit, System = ucum, Code = unit },
                        High = high is null ? null : new Quantity { Value = high, Unit = unit, System = ucum, Code = unit },
                    },
                ];
            }

            if (flag is not null)
            {
                observation.Interpretation = [new CodeableConcept(interpretation, flag)];
            }

            results.Add((Urn("observation/" + code), observation));
        }

        static Quantity Q(decimal value, string unit) => new() { Value = value, Unit = unit, System = ucum, Code = unit };
        Add("9N001000000000001", "身長", Q(146.2m, "cm"));
        Add("9N006000000000001", "体重", Q(41.5m, "kg"));
        Add("9N011000000000001", "BMI", Q(19.4m, "kg/m2"), 18.5m, 24.9m, "kg/m2", "N");
        Add("9A751000000000001", "収縮期血圧（１回目）", Q(138m, "mm[Hg]"), 90m, 129m, "mm[Hg]", "H");
        Add("9A761000000000001", "拡張期血圧（１回目）", Q(72m, "mm[Hg]"), 40m, 84m, "mm[Hg]", "N");
        Add("3F015000002327101", "空腹時中性脂肪", Q(98m, "mg/dL"), 30m, 149m, "mg/dL", "N");
        Add("3F070000002327101", "ＨＤＬコレステロール", Q(52m, "mg/dL"), 40m, 96m, "mg/dL", "N");
        Add("3F077000002327101", "ＬＤＬコレステロール", Q(118m, "mg/dL"), 60m, 119m, "mg/dL", "N");
        Add("3B035000002327201", "ＡＳＴ（ＧＯＴ）", Q(24m, "U/L"), 10m, 30m, "U/L", "N");
        Add("3B045000002327201", "ＡＬＴ（ＧＰＴ）", Q(15m, "U/L"), 5m, 30m, "U/L", "N");
        Add("3B090000002327101", "γ－ＧＴ（γ－ＧＴＰ）", Q(18m, "U/L"), 0m, 50m, "U/L", "N");
        Add("3D046000001906202", "ＨｂＡ１ｃ（ＮＧＳＰ）", Q(6.1m, "%"), 4.6m, 5.5m, "%", "H");
        Add("3C015000002327101", "血清クレアチニン", Q(1.05m, "mg/dL"), 0.46m, 0.79m, "mg/dL", "H");
        Add("1A010000000191111", "尿蛋白", new CodeableConcept("urn:oid:1.2.392.200119.6.2102", "2", "±", null));
        Add("9N511000000000049", "医師の診断（判定）", new FhirString("腎機能の軽度低下と血糖の軽度高値があります。かかりつけ医で経過をみてください。"));

        ResourceReference Ref(string urn, string type) => new(urn) { Type = type };
        var composition = new Composition
        {
            Meta = meta(CheckupCompositionProfile),
            Language = "ja",
            Extension = [new Extension(JpFhir.Extensions.DocumentVersionNumber, new FhirString("1.0"))],
            Identifier = new Identifier(JpFhir.Systems.ResourceInstanceIdentifier, parts.BundleIdentifier.Replace('^', '-')),
            Status = CompositionStatus.Final,
            Type = new CodeableConcept(JpFhir.Systems.DocumentTypeCodes, JpFhir.DocumentTypes.HealthCheckReport, "検診・健診報告書", null),
            Category = [new CodeableConcept("urn:oid:2.16.840.1.113883.2.2.1.6.1001", "20", "後期高齢者健診", null)],
            Subject = Ref(parts.PatientUrn, "Patient"),
            Date = new FhirDateTime(issuedAt).Value,
            Author = [Ref(parts.DoctorUrn, "Practitioner"), Ref(parts.OrganizationUrn, "Organization")],
            Title = "健康診断結果のお知らせ",
            Custodian = Ref(parts.OrganizationUrn, "Organization"),
            Event =
            [
                new Composition.EventComponent
                {
                    Code = [new CodeableConcept { Text = "後期高齢者健診" }],
                    Period = new Period { Start = "2026-10-15", End = "2026-10-15" },
                },
            ],
        };
        var resultSection = new Composition.SectionComponent
        {
            Title = "健診セクション",
            Code = new CodeableConcept("http://jpfhir.jp/fhir/eCheckup/CodeSystem/section-code", "01011", "特定健診検査結果セクション", null),
            Text = new Narrative { Status = Narrative.NarrativeStatus.Generated, Div = DemoDocumentParts.Div("健診結果（2026年10月15日 はまかぜ記念病院）") },
            Entry = [.. results.Select(r => Ref(r.Urn, "Observation"))],
        };
        composition.Section.Add(resultSection);

        var bundle = DemoDocumentParts.NewBundle(CheckupBundleProfile, parts.BundleIdentifier, issuedAt);
        bundle.Entry.Add(DemoDocumentParts.Entry(Urn("composition"), composition));
        bundle.Entry.Add(DemoDocumentParts.Entry(parts.PatientUrn, parts.Patient));
        bundle.Entry.Add(DemoDocumentParts.Entry(parts.DoctorUrn, parts.Doctor));
        bundle.Entry.Add(DemoDocumentParts.Entry(parts.OrganizationUrn, parts.Organization));
        foreach (var (urn, resource) in results)
        {
            bundle.Entry.Add(DemoDocumentParts.Entry(urn, resource));
        }

        return bundle;
    }

    private const string CourseText =
        "入院後、セフトリアキソンによる抗菌薬治療と利尿薬の静注で加療しました。第5病日に解熱し、酸素投与は第8病日に終了しました。" +
        "BNPは312から160 pg/mLに低下しました。心房細動に対してアピキサバンを継続しています。リハビリテーションでADLは入院前の水準に回復しました。";
}

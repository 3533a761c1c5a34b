namespace MedNetPortal.Web.Features.Demo;

/// <summary>The demo clinical records per patient. Fixed dates (2024–2026); pure and deterministic.</summary>
public static class DemoRecords
{
    private static readonly DemoReaction Anaphylaxis = new("アナフィラキシーショック", "severe");

    public static IReadOnlyList<DemoPatientRecord> All { get; } = Build();

    public static DemoPatientRecord For(string patientKey) => All.Single(r => r.Patient.Key == patientKey);

    private static DemoPatientRecord[] Build()
    {
        return
        [
            new(DemoPatients.KobayashiMinoru,
                [
                    new("kobayashi-c1", DemoDiseases.ChronicKidneyDisease, "2019-05-01", "2025-03-10", "regional-geriatrics"),
                    new("kobayashi-c2", DemoDiseases.Hypertension, "2012-04-01", "2025-03-10", "regional-geriatrics"),
                ],
                [
                    new("kobayashi-a1", "ヨード造影剤", DemoAllergyKind.Medication, HighCriticality: true, "2018-02-01", "2025-03-10", "regional-geriatrics",
                        [new("血圧低下", "severe")]),
                    new("kobayashi-a2", "スギ花粉", DemoAllergyKind.Environment, HighCriticality: false, "2000-03-01", "2025-03-10", "regional-geriatrics",
                        [new("鼻汁", "mild")]),
                ],
                [],
                []),
            new(DemoPatients.YamadaHanako,
                [
                    new("yamada1958-c1", DemoDiseases.Hypertension, "2015-06-01", "2024-04-10", "clinic-director"),
                    new("yamada1958-c2", DemoDiseases.Dyslipidemia, "2018-09-15", "2024-04-10", "clinic-director"),
                    new("yamada1958-c3", DemoDiseases.AnginaPectoris, "2025-01-20", "2025-01-20", "clinic-director", Suspected: true, TextAsWritten: "狭心症の疑い"),
                    new("yamada1958-c4", DemoDiseases.ChestDiscomfort, "2025-01-18", "2025-01-20", "clinic-director"),
                ],
                [
                    new("yamada1958-a1", "ペニシリン系抗菌薬", DemoAllergyKind.Medication, HighCriticality: true, "1990-05-01", "2024-04-10", "clinic-director",
                        [Anaphylaxis, new("全身の蕁麻疹", "severe")], Note: "アモキシシリン内服後に呼吸困難。ペニシリン系は禁忌。"),
                ],
                [
                    DemoLabCodes.Lab("yamada1958-l1", "LDL", "LDLコレステロール", DemoLabCodes.Ldl, 152m, "mg/dL", 70m, 139m, "2025-01-20", "clinic-director"),
                    DemoLabCodes.Lab("yamada1958-l2", "LDL", "LDLコレステロール", DemoLabCodes.Ldl, 168m, "mg/dL", 70m, 139m, "2024-04-10", "clinic-director"),
                    DemoLabCodes.Lab("yamada1958-l3", "LDL", "LDLコレステロール", DemoLabCodes.Ldl, 149m, "mg/dL", 70m, 139m, "2024-10-09", "clinic-director"),
                    DemoLabCodes.Lab("yamada1958-l4", "LDL", "LDLコレステロール", DemoLabCodes.Ldl, 121m, "mg/dL", 70m, 139m, "2026-11-25", "clinic-director"),
                    DemoLabCodes.Lab("yamada1958-l5", "HDL", "HDLコレステロール", DemoLabCodes.Hdl, 48m, "mg/dL", 40m, 90m, "2025-01-20", "clinic-director"),
                    DemoLabCodes.Lab("yamada1958-l6", "TG", "中性脂肪", DemoLabCodes.Triglycerides, 180m, "mg/dL", 40m, 149m, "2025-01-20", "clinic-director"),
                    DemoLabCodes.Lab("yamada1958-l7", "TG", "中性脂肪", DemoLabCodes.Triglycerides, 132m, "mg/dL", 40m, 149m, "2026-11-25", "clinic-director"),
                ],
                [
                    new("yamada1958-m1", "アムロジピン錠5mg", "1回1錠 1日1回 朝食後", 28, "2025-01-20", "clinic-director", LocalCode: "S-0105"),
                    new("yamada1958-m2", "アムロジピン錠5mg", "1回1錠 1日1回 朝食後", 60, "2026-11-25", "clinic-director", LocalCode: "S-0105"),
                    new("yamada1958-m3", "ロスバスタチン錠2.5mg", "1回1錠 1日1回 夕食後", 60, "2026-11-25", "clinic-director", RpNumber: 2, LocalCode: "S-0233"),
                ]),
            new(DemoPatients.SatoKenichi,
                [
                    new("sato-c1", DemoDiseases.Diabetes2, "2019-03-01", "2024-05-08", "hospital-gastro"),
                    new("sato-c2", DemoDiseases.DuodenalUlcer, "2024-05-01", "2024-05-08", "hospital-gastro", Resolved: "2024-08-20"),
                    new("sato-c3", DemoDiseases.RefluxEsophagitis, "2024-11-02", "2024-11-05", "hospital-gastro"),
                    new("sato-c4", DemoDiseases.EpigastricHeaviness, "2024-10-20", "2024-11-05", "hospital-gastro"),
                ],
                [
                    new("sato-a1", "そば", DemoAllergyKind.Food, HighCriticality: false, "1985-01-01", "2024-05-08", "hospital-gastro",
                        [new("口唇の腫れ、喉のかゆみ", "moderate")]),
                    new("sato-a2", "ロキソプロフェン", DemoAllergyKind.Medication, HighCriticality: false, "2024-05-08", "2024-05-08", "hospital-gastro",
                        [new("胃痛", "mild")], EnteredInError: true, Note: "別の患者の情報を誤って登録したため取り消し。"),
                ],
                [
                    DemoLabCodes.Lab("sato-l1", "HBA1C", "HbA1c", DemoLabCodes.HbA1c, 7.4m, "%", 4.6m, 6.2m, "2024-11-05", "hospital-gastro"),
                    DemoLabCodes.Lab("sato-l2", "GLU", "血糖", DemoLabCodes.Glucose, 148m, "mg/dL", 73m, 109m, "2024-11-05", "hospital-gastro"),
                    DemoLabCodes.Lab("sato-l3", "HBA1C", "HbA1c", DemoLabCodes.HbA1c, 6.8m, "%", 4.6m, 6.2m, "2024-05-08", "hospital-gastro"),
                    DemoLabCodes.Lab("sato-l4", "HBA1C", "HbA1c", DemoLabCodes.HbA1c, 7.1m, "%", 4.6m, 6.2m, "2024-08-07", "hospital-gastro"),
                    DemoLabCodes.Lab("sato-l5", "HBA1C", "HbA1c", DemoLabCodes.HbA1c, 7.0m, "%", 4.6m, 6.2m, "2025-02-05", "hospital-gastro"),
                    DemoLabCodes.Lab("sato-l6", "HBA1C", "HbA1c", DemoLabCodes.HbA1c, 6.6m, "%", 4.6m, 6.2m, "2025-08-20", "clinic-director"),
                    DemoLabCodes.Lab("sato-l7", "HBA1C", "HbA1c", DemoLabCodes.HbA1c, 6.1m, "%", 4.6m, 6.2m, "2026-11-20", "hospital-gastro"),
                    DemoLabCodes.Lab("sato-l8", "GLU", "血糖", DemoLabCodes.Glucose, 132m, "mg/dL", 73m, 109m, "2024-05-08", "hospital-gastro"),
                    DemoLabCodes.Lab("sato-l9", "GLU", "血糖", DemoLabCodes.Glucose, 104m, "mg/dL", 73m, 109m, "2026-11-20", "hospital-gastro"),
                    DemoLabCodes.Lab("sato-l10", "ALT", "ALT", DemoLabCodes.Alt, 28m, "U/L", 7m, 23m, "2024-05-08", "hospital-gastro"),
                    DemoLabCodes.Lab("sato-l11", "HB", "ヘモグロビン", DemoLabCodes.Hemoglobin, 14.1m, "g/dL", 13.7m, 16.8m, "2024-05-08", "hospital-gastro"),
                    DemoLabCodes.Infection("sato-i1", "HBSAG", "HBs抗原", DemoLabCodes.HbsAntigen, "陰性", "2024-05-08", "hospital-gastro"),
                    DemoLabCodes.Infection("sato-i2", "HCVAB", "HCV抗体", DemoLabCodes.HcvAntibody, "陰性", "2024-05-08", "hospital-gastro"),
                ],
                [
                    new("sato-m1", "メトホルミン塩酸塩錠250mg", "1回1錠 1日2回 朝夕食後", 28, "2024-11-05", "hospital-gastro", LocalCode: "H-1021"),
                    new("sato-m2", "ボノプラザン錠10mg", "1回1錠 1日1回 朝食後", 28, "2024-11-05", "hospital-gastro", RpNumber: 2, LocalCode: "H-2210"),
                    new("sato-m3", "メトホルミン塩酸塩錠250mg", "1回1錠 1日2回 朝夕食後", 56, "2026-11-20", "hospital-gastro", LocalCode: "H-1021"),
                    new("sato-m4", "ボノプラザン錠10mg", "1回1錠 1日1回 朝食後", 56, "2026-11-20", "hospital-gastro", RpNumber: 2, LocalCode: "H-2210"),
                ]),
            new(DemoPatients.SuzukiTome,
                [
                    new("suzuki-c1", DemoDiseases.AtrialFibrillation, "2016-02-10", "2024-06-01", "hospital-cardiology"),
                    new("suzuki-c2", DemoDiseases.ChronicHeartFailure, "2020-07-01", "2024-06-01", "hospital-cardiology"),
                    new("suzuki-c3", DemoDiseases.Osteoporosis, "2012-01-01", "2024-06-01", "hospital-cardiology"),
                    new("suzuki-c4", DemoDiseases.Pneumonia, "2025-02-03", "2025-02-03", "hospital-cardiology", Resolved: "2025-02-21"),
                    new("suzuki-c5", DemoDiseases.AlzheimerDementia, "2023-04-01", "2024-06-01", "hospital-cardiology"),
                    new("suzuki-c6", DemoDiseases.StomachCancer, "2025-03-01", "2025-03-05", "hospital-gastro", Uninformed: true),
                ],
                [
                    new("suzuki-a1", "ヨード造影剤", DemoAllergyKind.Medication, HighCriticality: true, "2010-08-01", "2024-06-01", "hospital-cardiology",
                        [new("血圧低下、全身の発疹", "severe")]),
                    new("suzuki-a2", "ロキソプロフェンナトリウム", DemoAllergyKind.Medication, HighCriticality: false, "2019-05-01", "2025-02-21", "regional-geriatrics",
                        [new("胃部不快感", "mild")], Note: "腎機能低下もあり、NSAIDsは可能な限り避ける。"),
                    new("suzuki-a3", "ラテックス", DemoAllergyKind.Environment, HighCriticality: false, "2005-01-01", "2024-06-01", "hospital-cardiology",
                        [new("接触部位の発赤", "mild")]),
                ],
                [
                    DemoLabCodes.Lab("suzuki-l1", "BNP", "BNP", DemoLabCodes.Bnp, 312m, "pg/mL", null, 18.4m, "2025-02-03", "hospital-cardiology"),
                    DemoLabCodes.Lab("suzuki-l2", "CRE", "クレアチニン", DemoLabCodes.Creatinine, 1.12m, "mg/dL", 0.46m, 0.79m, "2025-02-03", "hospital-cardiology"),
                    DemoLabCodes.Lab("suzuki-l3", "CRP", "CRP", DemoLabCodes.Crp, 8.6m, "mg/dL", null, 0.14m, "2025-02-03", "hospital-cardiology"),
                    DemoLabCodes.Lab("suzuki-l4", "BNP", "BNP", DemoLabCodes.Bnp, 185m, "pg/mL", null, 18.4m, "2024-06-01", "hospital-cardiology"),
                    DemoLabCodes.Lab("suzuki-l5", "BNP", "BNP", DemoLabCodes.Bnp, 160m, "pg/mL", null, 18.4m, "2025-02-21", "hospital-cardiology"),
                    DemoLabCodes.Lab("suzuki-l6", "BNP", "BNP", DemoLabCodes.Bnp, 142m, "pg/mL", null, 18.4m, "2026-11-10", "regional-geriatrics"),
                    DemoLabCodes.Lab("suzuki-l7", "CRE", "クレアチニン", DemoLabCodes.Creatinine, 0.98m, "mg/dL", 0.46m, 0.79m, "2024-06-01", "hospital-cardiology"),
                    DemoLabCodes.Lab("suzuki-l8", "CRE", "クレアチニン", DemoLabCodes.Creatinine, 1.02m, "mg/dL", 0.46m, 0.79m, "2025-02-21", "hospital-cardiology"),
                    DemoLabCodes.Lab("suzuki-l9", "CRE", "クレアチニン", DemoLabCodes.Creatinine, 1.05m, "mg/dL", 0.46m, 0.79m, "2026-11-10", "regional-geriatrics"),
                    DemoLabCodes.Lab("suzuki-l10", "CRP", "CRP", DemoLabCodes.Crp, 0.4m, "mg/dL", null, 0.14m, "2025-02-21", "hospital-cardiology"),
                    DemoLabCodes.Lab("suzuki-l11", "K", "カリウム", DemoLabCodes.Potassium, 3.3m, "mmol/L", 3.6m, 4.8m, "2025-02-03", "hospital-cardiology"),
                    DemoLabCodes.Lab("suzuki-l12", "K", "カリウム", DemoLabCodes.Potassium, 4.1m, "mmol/L", 3.6m, 4.8m, "2025-02-21", "hospital-cardiology"),
                    DemoLabCodes.Infection("suzuki-i1", "HBSAG", "HBs抗原", DemoLabCodes.HbsAntigen, "陰性", "2025-02-03", "hospital-cardiology"),
                    DemoLabCodes.Infection("suzuki-i2", "HCVAB", "HCV抗体", DemoLabCodes.HcvAntibody, "陽性", "2025-02-03", "hospital-cardiology"),
                    DemoLabCodes.Infection("suzuki-i3", "TPAB", "梅毒TP抗体", DemoLabCodes.SyphilisTp, "陰性", "2025-02-03", "hospital-cardiology"),
                ],
                [
                    new("suzuki-m1", "アピキサバン錠2.5mg", "1回1錠 1日2回 朝夕食後", 28, "2025-02-21", "hospital-cardiology", LocalCode: "H-3105"),
                    new("suzuki-m2", "フロセミド錠20mg", "1回1錠 1日1回 朝食後", 28, "2025-02-21", "hospital-cardiology", RpNumber: 2, LocalCode: "H-3320"),
                    new("suzuki-m3", "アピキサバン錠2.5mg", "1回1錠 1日2回 朝夕食後", 90, "2026-11-10", "regional-geriatrics", LocalCode: "R-0571"),
                    new("suzuki-m4", "フロセミド錠20mg", "1回1錠 1日1回 朝食後", 90, "2026-11-10", "regional-geriatrics", RpNumber: 2, LocalCode: "R-0612"),
                ]),
            new(DemoPatients.TanakaYota,
                [
                    new("tanaka-c1", DemoDiseases.Asthma, "2021-10-01", "2024-09-12", "clinic-director"),
                    new("tanaka-c2", DemoDiseases.AcuteUpperRespiratoryInfection, "2025-11-04", "2025-11-04", "clinic-director", Resolved: "2025-11-12"),
                    new("tanaka-c3", DemoDiseases.AtopicDermatitis, "2019-01-01", "2024-09-12", "clinic-director"),
                ],
                [
                    new("tanaka-a1", "鶏卵", DemoAllergyKind.Food, HighCriticality: true, "2019-06-01", "2024-09-12", "clinic-director",
                        [new("全身の蕁麻疹、嘔吐", "moderate")]),
                ],
                [],
                [
                    new("tanaka-m1", "モンテルカストチュアブル錠5mg", "1回1錠 1日1回 就寝前", 30, "2025-11-12", "clinic-director"),
                    new("tanaka-m2", "モンテルカストチュアブル錠5mg", "1回1錠 1日1回 就寝前", 30, "2026-11-28", "clinic-director"),
                ]),
            new(DemoPatients.ItoMisaki,
                [
                    new("ito-c1", DemoDiseases.DentalCaries, "2025-04-02", "2025-04-02", "dental-director", Resolved: "2025-05-14"),
                    new("ito-c2", DemoDiseases.JawPain, "2025-06-10", "2025-06-12", "dental-director"),
                ],
                [
                    new("ito-a1", "スギ花粉", DemoAllergyKind.Environment, HighCriticality: false, "2005-03-01", "2025-04-02", "dental-director",
                        [new("鼻汁、くしゃみ", "mild")]),
                ],
                [],
                []),
            new(DemoPatients.WatanabeSho,
                [
                    new("watanabe-c1", DemoDiseases.LowBackPain, "2025-07-01", "2025-07-03", "hospital-gastro", Resolved: "2025-09-30"),
                    new("watanabe-c2", DemoDiseases.RightKneePain, "2025-08-15", "2025-08-18", "hospital-gastro"),
                ],
                [],
                [],
                []),
            new(DemoPatients.TakahashiMakoto,
                [
                    new("takahashi-c1", DemoDiseases.Hypertension, "2002-04-01", "2024-01-15", "regional-geriatrics"),
                    new("takahashi-c2", DemoDiseases.Diabetes2, "2008-06-01", "2024-01-15", "regional-geriatrics"),
                    new("takahashi-c3", DemoDiseases.CerebralInfarction, "2021-12-01", "2024-01-15", "regional-geriatrics", Resolved: "2022-03-31"),
                    .. LargeRecordGenerator.Generate("takahashi", LargeRecordGenerator.DefaultCount, "regional-geriatrics"),
                ],
                [
                    new("takahashi-a1", "セフェム系抗菌薬", DemoAllergyKind.Medication, HighCriticality: true, "2015-02-01", "2024-01-15", "regional-geriatrics",
                        [new("薬疹", "moderate")]),
                ],
                [
                    DemoLabCodes.Lab("takahashi-l1", "HBA1C", "HbA1c", DemoLabCodes.HbA1c, 6.9m, "%", 4.6m, 6.2m, "2025-12-02", "regional-geriatrics"),
                    DemoLabCodes.Lab("takahashi-l2", "HBA1C", "HbA1c", DemoLabCodes.HbA1c, 7.2m, "%", 4.6m, 6.2m, "2026-06-02", "regional-geriatrics"),
                ],
                [
                    new("takahashi-m1", "テルミサルタン錠40mg", "1回1錠 1日1回 朝食後", 56, "2025-12-02", "regional-geriatrics"),
                    new("takahashi-m2", "テルミサルタン錠40mg", "1回1錠 1日1回 朝食後", 90, "2026-10-20", "regional-geriatrics"),
                ]),
            new(DemoPatients.NakamuraSakura,
                [
                    new("nakamura-c1", DemoDiseases.Insomnia, "2024-02-01", "2024-03-11", "hospital-cardiology"),
                    new("nakamura-c2", DemoDiseases.Dizziness, "2025-09-01", "2025-09-02", "hospital-cardiology"),
                ],
                [],
                [],
                []),
            new(DemoPatients.YamadaHanako2,
                [
                    new("yamada1972-c1", DemoDiseases.Gout, "2023-05-10", "2024-07-22", "regional-geriatrics"),
                    new("yamada1972-c2", DemoDiseases.Constipation, "2024-07-01", "2024-07-22", "regional-geriatrics", Resolved: "2024-10-01"),
                ],
                [],
                [],
                []),
        ];
    }
}

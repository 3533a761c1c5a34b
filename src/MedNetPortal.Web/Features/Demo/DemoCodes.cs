namespace MedNetPortal.Web.Features.Demo;

/// <summary>Disease names and codes used by the demo data.</summary>
public static class DemoDiseases
{
    public static readonly DemoDisease Diabetes2 = new("2型糖尿病", "20050020", "U23V", "2500015", "E119", "2型<インスリン非依存性>糖尿病，合併症を伴わないもの");
    public static readonly DemoDisease AnginaPectoris = new("狭心症", "20058911", Icd10: "I209", Icd10Display: "狭心症，詳細不明");
    public static readonly DemoDisease StomachCancer = new("胃癌", "20054178", Icd10: "C169", Icd10Display: "胃の悪性新生物，胃，部位不明");
    public static readonly DemoDisease DuodenalUlcer = new("十二指腸潰瘍", "20064049", Icd10: "K269", Icd10Display: "十二指腸潰瘍，急性又は慢性の別不明，出血又は穿孔を伴わないもの");
    public static readonly DemoDisease Hypertension = new("本態性高血圧症", Icd10: "I10", Icd10Display: "本態性（原発性<一次性>）高血圧（症）");
    public static readonly DemoDisease Dyslipidemia = new("脂質異常症", Icd10: "E785", Icd10Display: "高脂血症，詳細不明");
    public static readonly DemoDisease Asthma = new("気管支喘息", Icd10: "J459", Icd10Display: "喘息，詳細不明");
    public static readonly DemoDisease AtopicDermatitis = new("アトピー性皮膚炎", Icd10: "L209", Icd10Display: "アトピー性皮膚炎，詳細不明");
    public static readonly DemoDisease Osteoporosis = new("骨粗鬆症", Icd10: "M819", Icd10Display: "骨粗しょう<鬆>症，詳細不明");
    public static readonly DemoDisease AtrialFibrillation = new("心房細動", Icd10: "I489", Icd10Display: "心房細動及び粗動，詳細不明");
    public static readonly DemoDisease ChronicKidneyDisease = new("慢性腎臓病", Icd10: "N189", Icd10Display: "慢性腎臓病，詳細不明");
    public static readonly DemoDisease RefluxEsophagitis = new("逆流性食道炎", Icd10: "K210", Icd10Display: "食道炎を伴う胃食道逆流症");
    public static readonly DemoDisease LowBackPain = new("腰痛症", Icd10: "M545", Icd10Display: "腰痛症");
    public static readonly DemoDisease AcuteUpperRespiratoryInfection = new("急性上気道炎", Icd10: "J069", Icd10Display: "急性上気道感染症，詳細不明");
    public static readonly DemoDisease SenileCataract = new("老人性白内障", Icd10: "H259", Icd10Display: "老人性白内障，詳細不明");
    public static readonly DemoDisease ChronicPeriodontitis = new("慢性歯周炎", Icd10: "K053", Icd10Display: "慢性歯周炎");
    public static readonly DemoDisease DentalCaries = new("う蝕", Icd10: "K029", Icd10Display: "う蝕，詳細不明");
    public static readonly DemoDisease AlzheimerDementia = new("アルツハイマー型認知症", Icd10: "G309", Icd10Display: "アルツハイマー<Alzheimer>病，詳細不明");
    public static readonly DemoDisease Pneumonia = new("肺炎", Icd10: "J189", Icd10Display: "肺炎，詳細不明");
    public static readonly DemoDisease ChronicHeartFailure = new("慢性心不全", Icd10: "I509", Icd10Display: "心不全，詳細不明");
    public static readonly DemoDisease CerebralInfarction = new("脳梗塞", Icd10: "I639", Icd10Display: "脳梗塞，詳細不明");
    public static readonly DemoDisease Gout = new("痛風", Icd10: "M109", Icd10Display: "痛風，詳細不明");
    public static readonly DemoDisease Insomnia = new("不眠症", Icd10: "G470", Icd10Display: "睡眠の導入及び維持の障害［不眠症］");
    public static readonly DemoDisease Constipation = new("便秘症", Icd10: "K590", Icd10Display: "便秘");
    public static readonly DemoDisease ChestDiscomfort = new("胸部不快感");
    public static readonly DemoDisease Dizziness = new("めまい");
    public static readonly DemoDisease RightKneePain = new("右膝の痛み");
    public static readonly DemoDisease EpigastricHeaviness = new("食後の胃もたれ");
    public static readonly DemoDisease JawPain = new("左顎関節の痛み");
}

/// <summary>
/// JLAC10 codes of the JP-CLINS core-lab and infection-lab code systems the demo uses (each a code of that system, with its
/// display there), by the item's local code.
/// </summary>
public static class DemoLabCodes
{
    public static readonly (string Code, string Display) HbA1c = ("3D046000001921002", "HbA1c-NGSP");
    public static readonly (string Code, string Display) Glucose = ("3D010129902327101", "BS");
    public static readonly (string Code, string Display) Ldl = ("3F077000002327101", "LDL-C");
    public static readonly (string Code, string Display) Hdl = ("3F070000002327101", "HDL-C");
    public static readonly (string Code, string Display) Triglycerides = ("3F015000002327101", "TG");
    public static readonly (string Code, string Display) Creatinine = ("3C015000002327101", "Cre");
    public static readonly (string Code, string Display) Crp = ("5C070000002306201", "CRP");
    public static readonly (string Code, string Display) Bnp = ("4Z271000002205101", "BNP");
    public static readonly (string Code, string Display) Potassium = ("3H015000002326101", "K");
    public static readonly (string Code, string Display) Alt = ("3B045000002327201", "ALT");
    public static readonly (string Code, string Display) Hemoglobin = ("2A030000001930901", "Hb");
    public static readonly (string Code, string Display) HbsAntigen = ("5F016141002302311", "HBs抗原(判定)");
    public static readonly (string Code, string Display) HcvAntibody = ("5F360148202302311", "HCV抗体(判定)");
    public static readonly (string Code, string Display) SyphilisTp = ("5E075135102310311", "梅毒TP抗体(定性)");

    public static DemoLab Lab(string key, string localCode, string name, (string Code, string Display) jlac, decimal value, string unit,
        decimal? low, decimal? high, string effective, string doctorKey) =>
        new(key, localCode, name, value, unit, low, high, effective, doctorKey, jlac.Code, jlac.Display);

    public static DemoLab Infection(string key, string localCode, string name, (string Code, string Display) jlac, string result, string effective,
        string doctorKey) =>
        new(key, localCode, name, 0m, string.Empty, null, null, effective, doctorKey, jlac.Code, jlac.Display, Infection: true, Qualitative: result);
}

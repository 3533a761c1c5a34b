using Hl7.Fhir.Model;

namespace MedNetPortal.Web.Features.Demo;

/// <summary>
/// A demo patient. The qualification identifier is <c>保険者番号:記号:番号:枝番</c>; a 6-digit insurer number is padded with <c>00</c>.
/// All people are fictional.
/// </summary>
public sealed record DemoPatient(
    string Key,
    string FamilyKanji,
    string GivenKanji,
    string FamilyKana,
    string GivenKana,
    AdministrativeGender Gender,
    string BirthDate,
    string InsurerNumber,
    string Symbol,
    string Number,
    string Branch,
    string HomeFacilityKey,
    string PostalCode,
    string Address,
    string Phone)
{
    public string NameKanji => $"{FamilyKanji} {GivenKanji}";

    public string NameKana => $"{FamilyKana} {GivenKana}";

    public string QualificationIdentifier =>
        $"{(InsurerNumber.Length == 6 ? "00" + InsurerNumber : InsurerNumber)}:{Symbol}:{Number}:{Branch}";
}

/// <summary>The demo patients: a spread of ages, insurers and identifier shapes; two share the name 山田 花子.</summary>
public static class DemoPatients
{
    /// <summary>The patient with the large record (at least 500 diagnoses).</summary>
    public const string LargeRecordKey = "takahashi-makoto";

    public static DemoPatient YamadaHanako { get; } = new(
        "yamada-hanako-1958", "山田", "花子", "ヤマダ", "ハナコ", AdministrativeGender.Female, "1958-04-12",
        "06134522", "1234", "5678", "01", "clinic", "176-0001", "東京都練馬区練馬一丁目1番1号", "03-5550-1001");

    public static DemoPatient SatoKenichi { get; } = new(
        "sato-kenichi", "佐藤", "健一", "サトウ", "ケンイチ", AdministrativeGender.Male, "1975-09-03",
        "01137116", "A12", "3456789", "", "hospital", "176-0002", "東京都練馬区豊玉北二丁目2番2号", "03-5550-1002");

    /// <summary>後期高齢者 (insurer 39…), no symbol, no branch.</summary>
    public static DemoPatient SuzukiTome { get; } = new(
        "suzuki-tome", "鈴木", "トメ", "スズキ", "トメ", AdministrativeGender.Female, "1936-02-20",
        "39130158", "", "00123456", "", "hospital", "176-0003", "東京都練馬区中村三丁目3番3号", "03-5550-1003");

    /// <summary>A child (dependent on a parent's 組合 insurance).</summary>
    public static DemoPatient TanakaYota { get; } = new(
        "tanaka-yota", "田中", "陽太", "タナカ", "ヨウタ", AdministrativeGender.Male, "2018-07-15",
        "06138879", "9870", "65", "03", "clinic", "176-0004", "東京都練馬区桜台四丁目4番4号", "03-5550-1004");

    /// <summary>国民健康保険 (6-digit insurer) with a full-width kanji symbol, so the number is full-width too.</summary>
    public static DemoPatient ItoMisaki { get; } = new(
        "ito-misaki", "伊藤", "美咲", "イトウ", "ミサキ", AdministrativeGender.Female, "1990-12-01",
        "138214", "練馬", "１２３４５", "", "dental", "176-0005", "東京都練馬区旭丘一丁目5番5号", "03-5550-1005");

    public static DemoPatient WatanabeSho { get; } = new(
        "watanabe-sho", "渡辺", "翔", "ワタナベ", "ショウ", AdministrativeGender.Male, "2001-05-23",
        "31102049", "12", "345", "02", "hospital", "176-0006", "東京都練馬区栄町六丁目6番6号", "03-5550-1006");

    /// <summary>The large record; 国民健康保険 (6-digit insurer), half-width symbol, no branch.</summary>
    public static DemoPatient TakahashiMakoto { get; } = new(
        LargeRecordKey, "高橋", "誠", "タカハシ", "マコト", AdministrativeGender.Male, "1948-10-08",
        "273052", "45", "7654321", "", "regional", "220-0001", "神奈川県横浜市西区北幸七丁目7番7号", "045-555-1007");

    public static DemoPatient NakamuraSakura { get; } = new(
        "nakamura-sakura", "中村", "さくら", "ナカムラ", "サクラ", AdministrativeGender.Female, "1985-03-30",
        "01135425", "2040", "1051", "01", "hospital", "176-0008", "東京都練馬区羽沢八丁目8番8号", "03-5550-1008");

    /// <summary>Shares the name 山田 花子 with <see cref="YamadaHanako"/>, so a name search finds several.</summary>
    public static DemoPatient YamadaHanako2 { get; } = new(
        "yamada-hanako-1972", "山田", "花子", "ヤマダ", "ハナコ", AdministrativeGender.Female, "1972-11-30",
        "34110270", "5", "88", "00", "regional", "220-0002", "神奈川県横浜市西区高島九丁目9番9号", "045-555-1009");

    /// <summary>
    /// The one demo patient without any consent in the base: the record page explains why nothing is shown and offers
    /// 「本日受付で同意を確認」 (and emergency access at the demo hospital).
    /// </summary>
    public static DemoPatient KobayashiMinoru { get; } = new(
        "kobayashi-minoru", "小林", "実", "コバヤシ", "ミノル", AdministrativeGender.Male, "1962-08-17",
        "01134568", "K7", "246810", "", "regional", "220-0003", "神奈川県横浜市西区みなとみらい十丁目10番10号", "045-555-1010");

    public static IReadOnlyList<DemoPatient> All { get; } =
        [YamadaHanako, SatoKenichi, SuzukiTome, TanakaYota, ItoMisaki, WatanabeSho, TakahashiMakoto, NakamuraSakura, YamadaHanako2, KobayashiMinoru];

    /// <summary>Patients seeded without consent for the demo hospital and clinic.</summary>
    public static IReadOnlyList<DemoPatient> WithoutConsent { get; } = [KobayashiMinoru];

    public static DemoPatient ByKey(string key) => All.Single(p => p.Key == key);

    /// <summary>The demo patients' registration time (meta.lastUpdated, required by JP_Patient_eCS).</summary>
    private static readonly DateTimeOffset Registered = new(2024, 4, 1, 9, 0, 0, TimeSpan.FromHours(9));

    internal static Patient ToPatient(DemoPatient patient, string? managingOrganizationReference = null) => new()
    {
        Meta = new Meta { Profile = [DemoSystems.PatientProfile], LastUpdated = Registered },
        Language = "ja",
        Identifier = [new Identifier(DemoSystems.InsuranceMemberId, patient.QualificationIdentifier)],
        Active = true,
        Name = [DemoNames.Kanji(patient.FamilyKanji, patient.GivenKanji), DemoNames.Kana(patient.FamilyKana, patient.GivenKana)],
        Gender = patient.Gender,
        BirthDate = patient.BirthDate,
        Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Home, patient.Phone)],
        Address = [new Address { Text = patient.Address, PostalCode = patient.PostalCode, Country = "JP" }],
        ManagingOrganization = managingOrganizationReference is null ? null : new ResourceReference(managingOrganizationReference),
    };
}

using Hl7.Fhir.Model;

namespace MedNetPortal.Web.Features.Demo;

/// <summary>A clinical department (SS-MIX2 統一診療科コード).</summary>
public sealed record DemoDepartment(string Code, string Name);

/// <summary>A demo doctor; <see cref="RegistrationNumber"/> (医籍登録番号, fictional) is the Practitioner's identifier.</summary>
public sealed record DemoDoctor(
    string Key,
    string RegistrationNumber,
    string FamilyKanji,
    string GivenKanji,
    string FamilyKana,
    string GivenKana,
    DemoDepartment Department)
{
    public string NameKanji => $"{FamilyKanji} {GivenKanji}";

    public string NameKana => $"{FamilyKana} {GivenKana}";
}

/// <summary>A demo facility; <see cref="Code"/> is its 医療機関コード.</summary>
public sealed record DemoFacility(
    string Key,
    string Code,
    string Name,
    string NameKana,
    string Kind,
    bool HasEhr,
    bool IsEmergencyHospital,
    string PostalCode,
    string Prefecture,
    string City,
    string Line,
    string Phone,
    IReadOnlyList<DemoDepartment> Departments,
    IReadOnlyList<DemoDoctor> Doctors)
{
    public string PrefectureCode => Code[..2];

    /// <summary>点数表番号: 1 medical, 3 dental.</summary>
    public string FeeTable => Code[2..3];

    public string AddressText => $"{Prefecture}{City}{Line}";

    public DemoDoctor Doctor(string key) => Doctors.Single(d => d.Key == key);

    /// <summary>Receives letters electronically (the portal's facility record); false shows the paper fallback.</summary>
    public bool AcceptsElectronicLetters { get; init; } = true;
}

/// <summary>
/// The demo facilities. Stable keys and codes other features (sign-in, referrals) can rely on:
/// <see cref="Hospital"/> (account <c>doctor@hospital.example</c>) and <see cref="Clinic"/> (account <c>doctor@clinic.example</c>).
/// All names, codes and people are fictional.
/// </summary>
public static class DemoFacilities
{
    public const string HospitalCode = "1310123455";
    public const string ClinicCode = "1310267898";
    public const string DentalClinicCode = "1330311225";
    public const string RegionalHospitalCode = "1410543215";

    public static readonly DemoDepartment InternalMedicine = new("01", "内科");
    public static readonly DemoDepartment Cardiology = new("081", "循環器内科");
    public static readonly DemoDepartment Gastroenterology = new("70", "消化器内科");
    public static readonly DemoDepartment Pediatrics = new("09", "小児科");
    public static readonly DemoDepartment Orthopedics = new("11", "整形外科");
    public static readonly DemoDepartment Emergency = new("39", "救急科");
    public static readonly DemoDepartment OralSurgery = new("902", "歯科口腔外科");
    public static readonly DemoDepartment Dentistry = new("90", "歯科");
    public static readonly DemoDepartment Geriatrics = new("77", "老年科");

    /// <summary>みどり台総合病院: a large emergency hospital with an EHR.</summary>
    public static DemoFacility Hospital { get; } = new(
        "hospital", HospitalCode, "みどり台総合病院", "ミドリダイソウゴウビョウイン", "病院", HasEhr: true, IsEmergencyHospital: true,
        "176-0099", "東京都", "練馬区", "みどり台一丁目2番3号", "03-5550-0100",
        [InternalMedicine, Cardiology, Gastroenterology, Pediatrics, Orthopedics, Emergency, OralSurgery],
        [
            new("hospital-cardiology", "900101", "青木", "誠一", "アオキ", "セイイチ", Cardiology),
            new("hospital-gastro", "900102", "松本", "由美", "マツモト", "ユミ", Gastroenterology),
            new("hospital-pediatrics", "900103", "井上", "大輔", "イノウエ", "ダイスケ", Pediatrics),
            new("hospital-oral", "900104", "木村", "香織", "キムラ", "カオリ", OralSurgery),
        ]);

    /// <summary>さくら内科クリニック: a 診療所 without an EHR (writes letters in the browser).</summary>
    public static DemoFacility Clinic { get; } = new(
        "clinic", ClinicCode, "さくら内科クリニック", "サクラナイカクリニック", "診療所", HasEhr: false, IsEmergencyHospital: false,
        "176-0098", "東京都", "練馬区", "桜台四丁目5番6号 さくらビル2階", "03-5550-0200",
        [InternalMedicine, Pediatrics],
        [
            new("clinic-director", "900201", "森", "一郎", "モリ", "イチロウ", InternalMedicine),
        ]);

    /// <summary>あおば歯科医院: a dental clinic (点数表番号 3), not connected: letters to it are printed (paper or FAX).</summary>
    public static DemoFacility DentalClinic { get; } = new(
        "dental", DentalClinicCode, "あおば歯科医院", "アオバシカイイン", "歯科診療所", HasEhr: false, IsEmergencyHospital: false,
        "176-0097", "東京都", "練馬区", "青葉町7番8号", "03-5550-0300",
        [Dentistry],
        [
            new("dental-director", "900301", "清水", "直子", "シミズ", "ナオコ", Dentistry),
        ])
    {
        AcceptsElectronicLetters = false,
    };

    /// <summary>はまかぜ記念病院: another hospital, in Kanagawa.</summary>
    public static DemoFacility RegionalHospital { get; } = new(
        "regional", RegionalHospitalCode, "はまかぜ記念病院", "ハマカゼキネンビョウイン", "病院", HasEhr: true, IsEmergencyHospital: false,
        "220-0099", "神奈川県", "横浜市西区", "はまかぜ町9番10号", "045-555-0400",
        [InternalMedicine, Geriatrics, Orthopedics],
        [
            new("regional-geriatrics", "900401", "石川", "修", "イシカワ", "オサム", Geriatrics),
        ]);

    public static IReadOnlyList<DemoFacility> All { get; } = [Hospital, Clinic, DentalClinic, RegionalHospital];

    public static DemoFacility ByKey(string key) => All.Single(f => f.Key == key);

    public static (DemoFacility Facility, DemoDoctor Doctor) FindDoctor(string doctorKey)
    {
        foreach (var facility in All)
        {
            var doctor = facility.Doctors.FirstOrDefault(d => d.Key == doctorKey);
            if (doctor is not null)
            {
                return (facility, doctor);
            }
        }

        throw new ArgumentException($"Unknown demo doctor '{doctorKey}'.", nameof(doctorKey));
    }

    /// <summary>The facility as a JP_Organization_eCS; with <paramref name="department"/> it carries the department extension (as in letters).</summary>
    internal static Organization ToOrganization(DemoFacility facility, DemoDepartment? department = null)
    {
        var organization = new Organization
        {
            Meta = new Meta { Profile = [DemoSystems.OrganizationProfile] },
            Language = "ja",
            Identifier = [new Identifier(DemoSystems.MedicalInstitutionNo, facility.Code)],
            Type = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/organization-type", "prov")],
            Name = facility.Name,
            Alias = [facility.NameKana],
            Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Work, facility.Phone)],
            Address =
            [
                new Address
                {
                    Text = facility.AddressText,
                    PostalCode = facility.PostalCode,
                    State = facility.Prefecture,
                    City = facility.City,
                    Line = [facility.Line],
                    Country = "JP",
                },
            ],
            Extension =
            [
                new Extension(DemoSystems.PrefectureNoExtension, new Coding(DemoSystems.PrefectureNo, facility.PrefectureCode)),
                new Extension(DemoSystems.InsuranceCategoryExtension, new Coding(DemoSystems.InsuranceCategory, facility.FeeTable)),
            ],
        };
        if (department is not null)
        {
            organization.Extension.Add(new Extension(DemoSystems.DepartmentExtension, DepartmentConcept(department)));
        }

        return organization;
    }

    internal static CodeableConcept DepartmentConcept(DemoDepartment department) =>
        new(DemoSystems.Department, department.Code, department.Name, department.Name);

    internal static Practitioner ToPractitioner(DemoDoctor doctor) => new()
    {
        Meta = new Meta { Profile = [DemoSystems.PractitionerProfile] },
        Language = "ja",
        Identifier = [new Identifier(DemoSystems.MedicalRegistrationNo, doctor.RegistrationNumber)],
        Name =
        [
            DemoNames.Kanji(doctor.FamilyKanji, doctor.GivenKanji, HumanName.NameUse.Official),
            DemoNames.Kana(doctor.FamilyKana, doctor.GivenKana, HumanName.NameUse.Official),
        ],
    };

    internal static PractitionerRole ToPractitionerRole(DemoFacility facility, DemoDoctor doctor, string practitionerReference, string organizationReference) => new()
    {
        Identifier = [DemoIds.Identifier($"practitionerrole-{doctor.Key}")],
        Active = true,
        Practitioner = new ResourceReference(practitionerReference, doctor.NameKanji),
        Organization = new ResourceReference(organizationReference, facility.Name),
        Code = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/practitioner-role", "doctor", "Doctor", "医師")],
        Specialty = [DepartmentConcept(doctor.Department)],
    };
}

internal static class DemoNames
{
    public static HumanName Kanji(string family, string given, HumanName.NameUse? use = null) => Name("IDE", family, given, use);

    public static HumanName Kana(string family, string given, HumanName.NameUse? use = null) => Name("SYL", family, given, use);

    private static HumanName Name(string representation, string family, string given, HumanName.NameUse? use) => new()
    {
        Extension = [new Extension(DemoSystems.NameRepresentation, new Code(representation))],
        Use = use,
        Text = $"{family} {given}",
        Family = family,
        Given = [given],
    };
}

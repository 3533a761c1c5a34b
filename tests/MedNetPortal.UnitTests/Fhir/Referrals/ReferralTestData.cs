// Tests walk Firely models whose elements are all nullable; a missing element fails the test with an exception anyway.
#nullable disable warnings

using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;

namespace MedNetPortal.UnitTests.Fhir.Referrals;

internal static class ReferralTestData
{
    public const string SenderCode = "1319876543";
    public const string DestinationCode = "1311234567";

    public static ReferralLetterContent Full() => new()
    {
        Sender = new ReferralSender("港診療所", SenderCode, "〒106-9900 東京都港区新橋１−２−３", "03-9876-5432", "01", "内科", "大河内 勘三郎", "オオコウチ カンザブロウ"),
        Destination = new ReferralDestination("東京第一テスト病院", DestinationCode, "081", "循環器内科", "野口 英世丸"),
        Patient = new ReferralPatient("00131045:あいう:１８７:05", "牧野 爛漫", "マキノ ランマン", new DateOnly(1930, 6, 28), ReferralSex.Female, Address: "〒131-0045 東京都墨田区押上１−１−２"),
        Purpose = "腹痛精査お願いします。",
        Diagnoses = "上腹部痛\n腰痛",
        PresentIllness = "２０２２年６月上旬から夜食後に時々上腹部痛があり、だんだんひどくなっている。",
        PastAndFamilyHistory = "2018年 狭心症\n母 胃がん",
        Allergies = "サバ、キウイ",
        CurrentMedication = "レバミピド錠100mg 1錠 1日3回毎食後",
        ClinicalCourse = "抗潰瘍薬投与で経過観察。",
        TestResults = "Hb 5.0 g/dL",
        Remarks = "よろしくお願いします。",
        LocalId = "R2025-0001",
        IssuedAt = new DateTimeOffset(2025, 1, 21, 9, 30, 0, TimeSpan.FromHours(9)),
    };

    public static ReferralLetterContent Minimal() => Full() with
    {
        Destination = new ReferralDestination("東京第一テスト病院", DestinationCode),
        PastAndFamilyHistory = null,
        Allergies = null,
        CurrentMedication = null,
        ClinicalCourse = null,
        TestResults = null,
        Remarks = null,
    };

    public static string Fixture(string file) => File.ReadAllText(FixturePath(file));

    public static string FixturePath(string file) => Path.Combine(FixtureFolder(), file);

    public static Bundle LoadExample(string file) => FhirJson.Deserialize<Bundle>(Fixture(file));

    public const string TextOnlyExample = "Bundle-Bundle-CLINS-Referral-NoEntry-Example-01.json";
    public const string StructuredExample = "Bundle-Bundle-CLINS-Referral-Example-01.json";

    private static string FixtureFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MedNetPortal.sln")))
            {
                return Path.Combine(dir.FullName, "tests", "MedNetPortal.IntegrationTests", "TestData", "jp-clins");
            }
        }

        throw new InvalidOperationException("MedNetPortal.sln not found");
    }
}

/// <summary>The structural description of a referral document, for comparing a built letter with the official example.</summary>
internal sealed record DocumentShape(
    IReadOnlyList<string> Facts,
    IReadOnlyList<string> TopSections,
    IReadOnlyList<string> StructuredSections,
    IReadOnlyList<string> EntryTypes)
{
    public static DocumentShape Of(Bundle bundle)
    {
        static string Profile(Meta? meta) => string.Join(",", meta?.Profile.Select(p => p.Split('|')[0]) ?? []);
        static string Code(Composition.SectionComponent s) => $"{s.Code.Coding[0].System}#{s.Code.Coding[0].Code}";
        var composition = (Composition)bundle.Entry[0].Resource;
        var facts = new List<string>
        {
            "type=" + bundle.Type,
            "profile=" + Profile(bundle.Meta),
            "language=" + bundle.Language,
            "identifier.system=" + bundle.Identifier?.System,
            "identifier.format=" + System.Text.RegularExpressions.Regex.IsMatch(bundle.Identifier?.Value ?? "", @"^[0-9]{10}\^[0-9]{4}\^.+$"),
            "timestamp.offset=" + (bundle.Timestamp?.Offset == TimeSpan.FromHours(9)),
            "fullUrls.urnUuid=" + bundle.Entry.All(e => System.Text.RegularExpressions.Regex.IsMatch(e.FullUrl, "^urn:uuid:[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$")),
            "entry[0]=" + bundle.Entry[0].Resource.TypeName,
            "composition.profile=" + Profile(composition.Meta),
            "composition.status=" + composition.Status,
            "composition.type=" + string.Join(",", composition.Type.Coding.Select(c => $"{c.System}#{c.Code} {c.Display}")),
            "composition.title=" + composition.Title,
            "composition.version=" + (composition.GetExtension(JpFhir.Extensions.DocumentVersionNumber)?.Value is FhirString { Value.Length: > 0 }),
            "composition.identifier.system=" + composition.Identifier?.System,
            "composition.subject=" + composition.Subject?.Type,
            "composition.author=" + string.Join(",", composition.Author.Select(a => a.Type)),
            "composition.custodian=" + composition.Custodian?.Type,
            "composition.date.offset=" + (composition.DateElement?.Value?.EndsWith("+09:00", StringComparison.Ordinal) ?? false),
            "composition.event.period.start=" + (composition.Event.FirstOrDefault()?.Period?.Start is { Length: 10 }),
            "sections.narrative=" + AllLeafSectionsHaveNarrative(composition.Section),
        };
        var structured = composition.Section.Single(s => s.Code.Coding[0].Code == "300");
        return new DocumentShape(
            facts,
            [.. composition.Section.Select(Code)],
            [.. structured.Section.Select(Code)],
            [.. bundle.Entry.Select(e => e.Resource.TypeName)]);
    }

    private static bool AllLeafSectionsHaveNarrative(IEnumerable<Composition.SectionComponent> sections) =>
        sections.All(s => s.Section.Count > 0 ? AllLeafSectionsHaveNarrative(s.Section) : s.Text?.Div?.StartsWith("<div xmlns=\"http://www.w3.org/1999/xhtml\">", StringComparison.Ordinal) == true);
}

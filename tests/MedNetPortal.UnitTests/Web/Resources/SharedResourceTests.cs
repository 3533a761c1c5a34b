using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Features.Documents;
using MedNetPortal.Web.Features.Letters;
using MedNetPortal.Web.Resources;

namespace MedNetPortal.UnitTests.Web.Resources;

/// <summary>
/// Every resource key the portal asks for exists: literal keys in .razor and .cs files, and keys built at run time
/// (<c>"Audit.Action." + action</c>, <c>$"Documents.Sex.{sex}"</c>) for every value their part can take.
/// </summary>
public sealed partial class SharedResourceTests
{
    private static readonly ResourceManager Manager = new(typeof(SharedResource).FullName!, typeof(SharedResource).Assembly);

    /// <summary>
    /// The keys built at run time, by the literal part before the value, with every value that part can take. Null where
    /// the values come from data and the code shows the value itself when no key exists (named in the reason).
    /// </summary>
    private static readonly Dictionary<string, (Func<IEnumerable<string>>? Values, string Why)> BuiltKeys = new(StringComparer.Ordinal)
    {
        ["Admin.Accounts.Role."] = (() => PortalRoles.All, "AccountText.Role, AuditViewText.Role"),
        ["Admin.Accounts.Profession."] = (Enum.GetNames<Profession>, "AccountText.Profession, AuditViewText.Profession"),
        ["Audit.Action."] = (Enum.GetNames<AuditAction>, "AuditViewText.Action"),
        ["Audit.Outcome."] = (Enum.GetNames<AuditOutcome>, "AuditViewText.Outcome"),
        ["Audit.Item."] = (null, "AuditViewText.Item shows the stored item (a section key or a document) when it has no key"),
        ["Documents.Code."] = (() => DocumentEntryMapper.LocalizedCodes, "DocumentEntryMapper.Coded: only the codes it localises"),
        ["Documents."] = (null, "DocumentViewer.Key(group, value): each group is declared below"),
        ["Documents.Sex."] = (() => Enum.GetValues<AdministrativeGender>().Select(g => g.GetLiteral()!), "PaperLetter, DocumentViewer: FHIR Patient.gender"),
        ["Documents.EntryKind."] = (Enum.GetNames<EntryKind>, "DocumentViewer: each entry's kind"),
        ["Documents.Indication."] = (() => [JpFhir.Tags.Uninformed, JpFhir.Tags.Undelivered], "DocumentViewer: the sharing tags DocumentMapper keeps"),
        ["Documents.Flag."] = (() => ["H", "L", "HH", "LL", "A", "N"], "DocumentViewer: the interpretation flags DocumentMapper keeps (AA shown as A)"),
        ["Documents.Paper.Field."] = (() => PaperLetter.FormFields.Select(f => f.Key).Append(PaperLetter.OtherField), "PaperLetter's fields"),
        ["Referrals.Category."] = (() => JpFhir.DocumentSubTypes.All.Select(c => c.Code), "ReferralText.CategoryName"),
        ["Referrals.Field."] = (Enum.GetNames<ReferralField>, "ReferralText.FieldName"),
        ["Referrals.Profile."] = (Enum.GetNames<ProfileFindingKind>, "ReferralText.Message"),
        ["Referrals.Problem."] = (Enum.GetNames<ReferralProblemCode>, "ReferralText.Message"),
        ["MudBlazor."] = (null, "PortalMudLocalizer: MudBlazor's own keys; a key the portal does not translate keeps MudBlazor's English"),
    };

    [Fact]
    public void English_translates_every_Japanese_string_and_adds_none()
    {
        var japanese = Strings(CultureInfo.InvariantCulture);
        var english = Strings(CultureInfo.GetCultureInfo("en"));

        Assert.NotEmpty(japanese);
        Assert.Equal(japanese.Keys.Order(), english.Keys.Order());
        Assert.All(english, e => Assert.False(string.IsNullOrWhiteSpace(e.Value), e.Key));
    }

    [Fact]
    public void The_neutral_resources_are_Japanese()
    {
        Assert.Equal("ホーム", Manager.GetString("Nav.Home", CultureInfo.GetCultureInfo("ja-JP")));
        Assert.Equal("Home", Manager.GetString("Nav.Home", CultureInfo.GetCultureInfo("en-US")));
    }

    [Fact]
    public void Every_literal_key_in_razor_and_cs_files_exists()
    {
        var known = Known();
        var literal = LiteralKey(known);

        var missing = Sources()
            .SelectMany(file => literal.Matches(File.ReadAllText(file.Path)).Select(m => (file.Name, Key: m.Groups[1].Value)))
            .Where(use => !known.Contains(use.Key))
            .Select(use => $"{use.Name}: {use.Key}")
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.True(missing.Count == 0, "Missing resource keys: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_key_built_at_run_time_is_declared_here()
    {
        var prefixes = Prefixes(Known());
        var built = new Regex("\"((?:" + prefixes + @")\.(?:[A-Za-z0-9]+\.)*)""\s*\+|\$""((?:" + prefixes + @")\.(?:[A-Za-z0-9]+\.)*)\{", RegexOptions.CultureInvariant);

        var uses = Sources()
            .SelectMany(file => built.Matches(File.ReadAllText(file.Path))
                .Select(m => (file.Name, Prefix: m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)))
            .Concat(Sources().Where(f => f.Name == "DocumentViewer.razor")
                .SelectMany(file => ViewerKey().Matches(File.ReadAllText(file.Path)).Select(m => (file.Name, Prefix: $"Documents.{m.Groups[1].Value}."))))
            .ToList();

        // The scan itself must find the known sites, or a changed pattern would make this test pass on nothing.
        Assert.Contains(uses, u => u.Prefix == "Audit.Action.");
        Assert.Contains(uses, u => u.Prefix == "Documents.Paper.Field.");
        Assert.Contains(uses, u => u.Prefix == "Documents.EntryKind.");
        var undeclared = uses.Where(u => !BuiltKeys.ContainsKey(u.Prefix)).Select(u => $"{u.Name}: {u.Prefix}…").Distinct().ToList();
        Assert.True(undeclared.Count == 0, "Keys built at run time with no declared values (add them to BuiltKeys): " + string.Join(", ", undeclared));
        var unused = BuiltKeys.Keys.Except(uses.Select(u => u.Prefix)).ToList();
        Assert.True(unused.Count == 0, "Declared but no longer built: " + string.Join(", ", unused));
    }

    [Fact]
    public void Every_value_of_a_key_built_at_run_time_has_its_key()
    {
        var known = Known();

        var missing = BuiltKeys
            .Where(b => b.Value.Values is not null)
            .SelectMany(b => b.Value.Values!().Select(v => b.Key + v))
            .Where(key => !known.Contains(key))
            .ToList();

        Assert.True(missing.Count == 0, "Missing resource keys: " + string.Join(", ", missing));
    }

    private static HashSet<string> Known() => Strings(CultureInfo.InvariantCulture).Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>The first segments of the keys (Account, Admin, Patients…): a literal starting with one is a key.</summary>
    private static string Prefixes(HashSet<string> known) =>
        string.Join('|', known.Select(k => k.Split('.')[0]).Distinct(StringComparer.Ordinal).Select(Regex.Escape));

    private static Regex LiteralKey(HashSet<string> known) =>
        new("\"((?:" + Prefixes(known) + @")\.[A-Za-z0-9.]*[A-Za-z0-9])""", RegexOptions.CultureInvariant);

    private static IEnumerable<(string Path, string Name)> Sources() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "src", "MedNetPortal.Web"), "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
                        && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (f, Path.GetFileName(f)));

    private static Dictionary<string, string> Strings(CultureInfo culture)
    {
        var set = Manager.GetResourceSet(culture, createIfNotExists: true, tryParents: false)
                  ?? throw new InvalidOperationException("No resources for " + culture.Name);
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MedNetPortal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("MedNetPortal.sln not found");
    }

    [GeneratedRegex(@"\bKey\(""([A-Za-z]+)"",")]
    private static partial Regex ViewerKey();
}

using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using MedNetPortal.Web.Resources;

namespace MedNetPortal.UnitTests.Web.Resources;

public sealed partial class SharedResourceTests
{
    private static readonly ResourceManager Manager = new(typeof(SharedResource).FullName!, typeof(SharedResource).Assembly);

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
    public void Every_key_the_components_use_exists()
    {
        var known = Strings(CultureInfo.InvariantCulture).Keys.ToHashSet();
        var components = Path.Combine(RepositoryRoot(), "src", "MedNetPortal.Web");

        var missing = Directory.EnumerateFiles(components, "*.razor", SearchOption.AllDirectories)
            .SelectMany(file => KeyUse().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetFileName(file), Key: m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)))
            .Where(use => !known.Contains(use.Key))
            .Select(use => $"{use.File}: {use.Key}")
            .ToList();

        Assert.True(missing.Count == 0, "Missing resource keys: " + string.Join(", ", missing));
    }

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

    // L["Key"] and L[title] where title is a "Key"-looking literal in the same file.
    [GeneratedRegex("L\\[\"([A-Za-z0-9.]+)\"|\"((?:Home|Nav|Layout|Print|NotFound|Error|Reconnect|App|PageTitle)\\.[A-Za-z0-9.]+)\"")]
    private static partial Regex KeyUse();
}

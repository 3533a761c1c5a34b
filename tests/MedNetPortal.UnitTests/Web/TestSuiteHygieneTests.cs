using System.Text.RegularExpressions;

namespace MedNetPortal.UnitTests.Web;

/// <summary>
/// Patterns that make a test unable to fail, or tie it to a private name the compiler cannot check, are kept out of
/// every tier: <c>Assert.NotNull(cut.Find(…))</c> (Find already throws; use <c>Shown.One(cut.FindAll(…))</c>) and
/// reflection into non-public members by name.
/// </summary>
public sealed partial class TestSuiteHygieneTests
{
    [Fact]
    public void No_test_asserts_NotNull_on_what_Find_returns()
    {
        var offenders = Offending(NotNullOfFind());

        Assert.True(offenders.Count == 0, "Assert.NotNull(x.Find(…)) cannot fail; assert what the element shows: " + string.Join(", ", offenders));
    }

    [Fact]
    public void No_test_reaches_a_non_public_member_by_name()
    {
        var offenders = Offending(PrivateByName());

        Assert.True(offenders.Count == 0, "Reflection into non-public members by name: " + string.Join(", ", offenders));
    }

    [Fact]
    public void One_portal_fixture_and_one_user_fake_serve_every_tier()
    {
        // SampleConfigurationTests starts the app from appsettings.sample.json alone, which is what it tests.
        var factories = Offending(PortalHost()).Where(f => !f.StartsWith("MedNetPortal.TestSupport/TestPortal.cs", StringComparison.Ordinal)
                                                            && !f.StartsWith("MedNetPortal.IntegrationTests/Web/SampleConfigurationTests.cs", StringComparison.Ordinal)).ToList();
        var users = Offending(UserFake()).Where(f => !f.StartsWith("MedNetPortal.TestSupport/TestUser.cs", StringComparison.Ordinal)).ToList();

        Assert.True(factories.Count == 0, "Derive from TestSupport's TestPortal instead of WebApplicationFactory<Program>: " + string.Join(", ", factories));
        Assert.True(users.Count == 0, "Use TestSupport's TestUser instead of another ICurrentUserAccessor fake: " + string.Join(", ", users));
    }

    [Fact]
    public void The_patterns_find_what_they_are_meant_to()
    {
        Assert.Matches(NotNullOfFind(), "        Assert.NotNull(cut.Find(\"[data-testid=x]\"));");
        Assert.Matches(NotNullOfFind(), "cut.WaitForAssertion(() => Assert.NotNull(cut.Find(\"#a\")));");
        Assert.DoesNotMatch(NotNullOfFind(), "Assert.NotNull(cut.Find(\"#a\").QuerySelector(\"#b\"));");
        Assert.Matches(PrivateByName(), "typeof(X).GetMethod(\"Validate\", BindingFlags.NonPublic | BindingFlags.Instance)");
        Assert.DoesNotMatch(PrivateByName(), "type.GetField(\"SectionName\", BindingFlags.Public | BindingFlags.Static)");
        Assert.Matches(PortalHost(), "public sealed class X : WebApplicationFactory<Program>, IAsyncLifetime");
        Assert.Matches(UserFake(), "private sealed class FixedUser(CurrentUser? user) : ICurrentUserAccessor");
    }

    private static List<string> Offending(Regex pattern)
    {
        var tests = Path.Combine(RepositoryRoot(), "tests");
        var self = nameof(TestSuiteHygieneTests) + ".cs";
        return Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains("node_modules", StringComparison.Ordinal)
                        && Path.GetFileName(f) != self)
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => pattern.IsMatch(l.Text))
            .Select(l => $"{Path.GetRelativePath(tests, l.File).Replace('\\', '/')}:{l.Line}")
            .ToList();
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

    // The NotNull's argument ends with the Find call: "…Find(…))" closes both, with no member access after Find.
    [GeneratedRegex(@"Assert\.NotNull\([^;]*\.Find\((?:[^()]|\([^()]*\))*\)\)")]
    private static partial Regex NotNullOfFind();

    [GeneratedRegex(@"class\s+\w+[^:]*:\s*WebApplicationFactory<Program>")]
    private static partial Regex PortalHost();

    [GeneratedRegex(@"class\s+\w+.*:\s*(?:[\w.]+\.)?ICurrentUserAccessor\b")]
    private static partial Regex UserFake();

    [GeneratedRegex(@"\.Get(?:Method|Field|Property|Constructor|Event)\(""[^""]*""[^;]*BindingFlags\.NonPublic")]
    private static partial Regex PrivateByName();
}

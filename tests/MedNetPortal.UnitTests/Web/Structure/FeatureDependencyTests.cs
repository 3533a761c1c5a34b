using System.Text.RegularExpressions;

namespace MedNetPortal.UnitTests.Web;

/// <summary>
/// The letters feature has one home and the generic document viewer stays reusable: Documents depends on no other feature,
/// Patients does not depend on Letters (Letters plugs its record action in), and Documents, Patients and Letters have no
/// dependency cycle among them. Read from the sources: every <c>MedNetPortal.Web.Features.X</c> a folder names.
/// </summary>
public sealed partial class FeatureDependencyTests
{
    private static readonly string[] Watched = ["Documents", "Letters", "Patients"];

    [Fact]
    public void The_document_viewer_depends_on_no_other_feature()
    {
        Assert.Empty(DependenciesOf("Documents"));
    }

    [Fact]
    public void Patients_does_not_depend_on_Letters_and_Documents_Letters_Patients_have_no_cycle()
    {
        var graph = Watched.ToDictionary(f => f, f => DependenciesOf(f).Where(Watched.Contains).ToHashSet());
        Assert.DoesNotContain("Letters", graph["Patients"]);
        Assert.Contains("Documents", graph["Letters"]);

        // Depth-first search for a cycle.
        var state = new Dictionary<string, int>();
        bool Cyclic(string node)
        {
            state[node] = 1;
            foreach (var next in graph[node])
            {
                if (state.GetValueOrDefault(next) == 1 || (state.GetValueOrDefault(next) == 0 && Cyclic(next)))
                {
                    return true;
                }
            }

            state[node] = 2;
            return false;
        }

        Assert.DoesNotContain(Watched, f => state.GetValueOrDefault(f) == 0 && Cyclic(f));
    }

    private static HashSet<string> DependenciesOf(string feature)
    {
        var folder = Path.Combine(RepositoryRoot(), "src", "MedNetPortal.Web", "Features", feature);
        Assert.True(Directory.Exists(folder), folder);
        return Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .SelectMany(f => FeatureName().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Where(name => name != feature)
            .ToHashSet(StringComparer.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MedNetPortal.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }

    [GeneratedRegex(@"MedNetPortal\.Web\.Features\.([A-Za-z]+)")]
    private static partial Regex FeatureName();
}

namespace MedNetPortal.UnitTests.Web.Structure;

/// <summary>
/// One home per concept: no hand-written source file under src/ is longer than 300 lines. Generated files (EF Core migrations,
/// their designer files and model snapshots) and build output are not counted.
/// </summary>
public sealed class FileSizeTests
{
    private const int MaxLines = 300;

    private static readonly string[] Extensions = [".cs", ".razor", ".js", ".css"];

    [Fact]
    public void No_hand_written_file_under_src_is_over_300_lines()
    {
        var tooLong = SourceFiles()
            .Select(f => (File: f, Lines: File.ReadLines(Path.Combine(Root, f)).Count()))
            .Where(f => f.Lines > MaxLines)
            .Select(f => $"{f.File}: {f.Lines}")
            .ToList();

        Assert.True(tooLong.Count == 0, $"Over {MaxLines} lines (split by concept):\n" + string.Join("\n", tooLong));
    }

    [Fact]
    public void The_count_sees_the_sources_and_skips_only_generated_files()
    {
        var files = SourceFiles().ToList();

        Assert.Contains("src/MedNetPortal.Web/Host/Data/PortalDbContext.cs", files);
        Assert.Contains(files, f => f.EndsWith(".razor", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(".css", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.Contains("/Migrations/", StringComparison.Ordinal) || f.Contains("/obj/", StringComparison.Ordinal));
        Assert.True(Generated("src/MedNetPortal.Web/Host/Data/Migrations/Sqlite/SqlitePortalDbContextModelSnapshot.cs"));
        Assert.True(Generated("src/X/Y.Designer.cs"));
        Assert.False(Generated("src/MedNetPortal.Web/Host/Data/PortalDbContext.cs"));
    }

    private static string Root { get; } = RepositoryRoot();

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Where(f => Extensions.Contains(Path.GetExtension(f)) && !Generated(f));

    private static bool Generated(string path) =>
        path.Contains("/Migrations/", StringComparison.Ordinal) || path.EndsWith(".Designer.cs", StringComparison.Ordinal)
        || path.Contains("/obj/", StringComparison.Ordinal) || path.Contains("/bin/", StringComparison.Ordinal)
        || path.Contains("/wwwroot/lib/", StringComparison.Ordinal) || path.EndsWith(".min.js", StringComparison.Ordinal)
        || path.EndsWith(".min.css", StringComparison.Ordinal);

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MedNetPortal.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}

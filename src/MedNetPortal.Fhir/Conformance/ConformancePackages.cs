namespace MedNetPortal.Fhir.Conformance;

/// <summary>
/// The two official packages the profile validator needs, found on disk: JP-CLINS 1.5.2 (the snapshot package) and
/// JP Core 1.1.2 (the <c>-url</c> package, the one the JP-CLINS IG's sushi-config names).
/// </summary>
/// <param name="JpClins">Path of <c>jp-clins.r4-1.5.2*.tgz</c>.</param>
/// <param name="JpCore">Path of <c>jp-core.r4-1.1.2-url*.tgz</c>.</param>
public sealed record ConformancePackages(string JpClins, string JpCore)
{
    /// <summary>File-name pattern of the JP-CLINS package.</summary>
    public const string JpClinsPattern = "jp-clins.r4-1.5.2*.tgz";

    /// <summary>File-name pattern of the JP Core package.</summary>
    public const string JpCorePattern = "jp-core.r4-1.1.2-url*.tgz";

    /// <summary>Environment variable naming a folder to look in when <c>Conformance:PackageDirectory</c> is not set.</summary>
    public const string EnvironmentVariable = "MEDNET_FHIR_PACKAGES";

    /// <summary>The package files in one folder (searched with its sub-folders), or null when either is missing.</summary>
    public static ConformancePackages? FindIn(string? directory)
    {
        if (string.IsNullOrWhiteSpace(directory) || !Directory.Exists(directory))
        {
            return null;
        }

        var clins = First(directory, JpClinsPattern);
        var core = First(directory, JpCorePattern);
        return clins is null || core is null ? null : new ConformancePackages(clins, core);
    }

    /// <summary>
    /// The default lookup: the configured folder when set (and nothing else, so a wrong setting is never papered over);
    /// otherwise the folder named by <see cref="EnvironmentVariable"/>, then <c>shared</c> beside the repository (found by
    /// walking up from <paramref name="startDirectory"/> to the folder holding <c>MedNetPortal.sln</c>).
    /// </summary>
    /// <returns>The packages, or null with the places looked in.</returns>
    public static (ConformancePackages? Packages, IReadOnlyList<string> LookedIn) Locate(string? configuredDirectory, string startDirectory) =>
        Locate(configuredDirectory, Environment.GetEnvironmentVariable(EnvironmentVariable), startDirectory);

    /// <summary><see cref="Locate(string?, string)"/> with the environment variable's value given.</summary>
    public static (ConformancePackages? Packages, IReadOnlyList<string> LookedIn) Locate(string? configuredDirectory, string? fromEnvironment, string startDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configuredDirectory))
        {
            return (FindIn(configuredDirectory), [configuredDirectory]);
        }

        var lookedIn = new List<string>();
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            lookedIn.Add(fromEnvironment);
            if (FindIn(fromEnvironment) is { } found)
            {
                return (found, lookedIn);
            }
        }

        for (var dir = new DirectoryInfo(startDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MedNetPortal.sln")))
            {
                var shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
                lookedIn.Add(shared);
                return (FindIn(shared), lookedIn);
            }
        }

        return (null, lookedIn);
    }

    // The official repository keeps superseded copies beside the packages (jp-core.r4-1.1.2-url-obsolete.tgz, …-bak.tgz):
    // never those; of the rest the shortest name wins.
    private static string? First(string directory, string pattern) =>
        Directory.EnumerateFiles(directory, pattern, SearchOption.AllDirectories)
            .Where(p => !Path.GetFileName(p).Contains("obsolete", StringComparison.OrdinalIgnoreCase)
                        && !Path.GetFileName(p).Contains("bak", StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => Path.GetFileName(p).Length).ThenBy(p => p, StringComparer.Ordinal).FirstOrDefault();
}

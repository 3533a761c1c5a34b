namespace MedNetPortal.TestSupport;

/// <summary>The repository the tests run from, found by walking up from the test binaries to MedNetPortal.sln.</summary>
public static class RepositoryRoot
{
    /// <summary>The folder holding MedNetPortal.sln.</summary>
    public static string Path { get; } = Find();

    /// <summary>A path inside the repository.</summary>
    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "MedNetPortal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("MedNetPortal.sln not found above " + AppContext.BaseDirectory);
    }
}

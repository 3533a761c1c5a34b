using System.ComponentModel.DataAnnotations;

namespace MedNetPortal.FhirBase;

/// <summary>
/// Section <c>Storage</c>: where the portal keeps its SQLite files. Shared by the portal database and the embedded base,
/// so that two instances can run side by side by pointing at different folders.
/// </summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Folder for SQLite files; relative paths are resolved against the app's content root.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Resolves <see cref="DataDirectory"/> against <paramref name="contentRoot"/> and creates it.</summary>
    public string ResolveDataDirectory(string contentRoot)
    {
        var path = Path.IsPathRooted(DataDirectory) ? DataDirectory : Path.Combine(contentRoot, DataDirectory);
        Directory.CreateDirectory(path);
        return path;
    }
}

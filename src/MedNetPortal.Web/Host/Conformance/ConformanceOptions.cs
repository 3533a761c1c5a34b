namespace MedNetPortal.Web.Host.Conformance;

/// <summary>Section <c>Conformance</c>: where the official FHIR packages for profile validation are.</summary>
public sealed class ConformanceOptions
{
    public const string SectionName = "Conformance";

    /// <summary>
    /// Folder holding <c>jp-clins.r4-1.5.2*.tgz</c> and <c>jp-core.r4-1.1.2-url*.tgz</c> (searched with its sub-folders).
    /// Empty: the folder named by the environment variable <c>MEDNET_FHIR_PACKAGES</c>, else <c>shared</c> beside the
    /// repository. Without packages the portal runs and sends letters checked by its own rules only, and says so.
    /// </summary>
    public string? PackageDirectory { get; set; }
}

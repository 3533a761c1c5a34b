using MedNetPortal.Fhir.Conformance;

namespace MedNetPortal.IntegrationTests.Infrastructure;

/// <summary>
/// The official packages for the tests that need them, found like the portal finds them without configuration:
/// <c>MEDNET_FHIR_PACKAGES</c>, else <c>shared</c> beside the repository. One validator for the whole test run (compiled once).
/// </summary>
internal static class OfficialPackages
{
    public const string SkipReason =
        "Official JP-CLINS packages not found: put jp-clins.r4-1.5.2-snap.tgz and jp-core.r4-1.1.2-url.tgz in ../shared or set MEDNET_FHIR_PACKAGES (docs/conformance.md).";

    private static readonly Lazy<ConformancePackages?> Found = new(() => ConformancePackages.Locate(null, AppContext.BaseDirectory).Packages);

    private static readonly Lazy<JpClinsProfileValidator> Shared = new(() => new JpClinsProfileValidator(Found.Value, SkipReason));

    public static bool Available => Found.Value is not null;

    public static IProfileValidator Validator => Shared.Value;
}

/// <summary>A fact that needs the official packages; skipped with one clear message when they are absent.</summary>
public sealed class OfficialPackagesFactAttribute : FactAttribute
{
    public OfficialPackagesFactAttribute()
    {
        if (!OfficialPackages.Available)
        {
            Skip = OfficialPackages.SkipReason;
        }
    }
}

/// <summary>A theory that needs the official packages; skipped with one clear message when they are absent.</summary>
public sealed class OfficialPackagesTheoryAttribute : TheoryAttribute
{
    public OfficialPackagesTheoryAttribute()
    {
        if (!OfficialPackages.Available)
        {
            Skip = OfficialPackages.SkipReason;
        }
    }
}

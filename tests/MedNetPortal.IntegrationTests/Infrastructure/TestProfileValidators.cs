using MedNetPortal.Fhir.Conformance;

namespace MedNetPortal.IntegrationTests.Infrastructure;

/// <summary>Profile validators for tests that are not about profile validation.</summary>
internal static class TestProfileValidators
{
    /// <summary>No packages: letters are checked by the portal's own rules only (as on a server without the packages).</summary>
    public static IProfileValidator Unavailable { get; } = new JpClinsProfileValidator(null, "Not under test.");
}

namespace MedNetPortal.Web.Features.Demo;

/// <summary>Section <c>Demo</c>: demo data for the embedded configuration.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Seed the demo facilities, patients, records and letters into the central base once the app has started.</summary>
    public bool Enabled { get; set; }
}

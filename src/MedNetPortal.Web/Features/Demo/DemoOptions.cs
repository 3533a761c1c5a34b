namespace MedNetPortal.Web.Features.Demo;

/// <summary>Section <c>Demo</c>: demo data for the embedded configuration.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Seed the demo facilities, patients, records and letters into the central base once the app has started.</summary>
    public bool Enabled { get; set; }

    /// <summary>Password of the demo accounts (created only when <see cref="Enabled"/> is true).</summary>
    [System.ComponentModel.DataAnnotations.Required]
    public string Password { get; set; } = DefaultPassword;

    public const string DefaultPassword = "MedNet-Demo-2026!";
}

namespace MedNetPortal.Web.Features.Demo;

/// <summary>Section <c>Demo</c>: demo data for the embedded configuration.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Seed the demo facilities, patients, records and letters into the central base once the app has started.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// How many generated diagnoses the large-record patient gets (0–520, default 520, for paging and speed). Fewer suit
    /// bases whose searches slow down with every stored resource.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, LargeRecordGenerator.DefaultCount)]
    public int LargeRecordDiagnoses { get; set; } = LargeRecordGenerator.DefaultCount;

    /// <summary>Password of the demo accounts (created only when <see cref="Enabled"/> is true).</summary>
    [System.ComponentModel.DataAnnotations.Required]
    public string Password { get; set; } = DefaultPassword;

    public const string DefaultPassword = "MedNet-Demo-2026!";

    /// <summary>The OAuth client that plays an outside EHR: registered at the embedded base with <c>system/*.cruds</c> when <see cref="Enabled"/>.</summary>
    public const string EhrClientId = "demo-ehr";

    /// <summary>
    /// Secret of <see cref="EhrClientId"/> (at least 16 characters). The demo seeder writes the demo records with it, and
    /// outside tools can use it to write as an EHR would (README).
    /// </summary>
    [System.ComponentModel.DataAnnotations.Required, System.ComponentModel.DataAnnotations.MinLength(16)]
    public string EhrClientSecret { get; set; } = DefaultEhrClientSecret;

    public const string DefaultEhrClientSecret = "MedNet-Demo-EHR-Secret-2026";
}

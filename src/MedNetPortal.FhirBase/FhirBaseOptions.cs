using System.ComponentModel.DataAnnotations;

namespace MedNetPortal.FhirBase;

/// <summary>Section <c>FhirBase</c>: the embedded central FHIR base.</summary>
public sealed class FhirBaseOptions
{
    public const string SectionName = "FhirBase";

    /// <summary>Serve the embedded base at <see cref="PathBase"/> on the portal's host.</summary>
    public bool Enabled { get; set; }

    /// <summary>Where the base is mapped on the host.</summary>
    [Required, RegularExpression("^/[A-Za-z0-9/_-]*$")]
    public string PathBase { get; set; } = "/fhir";

    /// <summary>Largest accepted request body; the national base's limit is 10 MB.</summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Page size when a search gives no <c>_count</c>.</summary>
    [Range(1, 10000)]
    public int DefaultPageSize { get; set; } = 50;

    /// <summary>Largest <c>_count</c> honoured.</summary>
    [Range(1, 100000)]
    public int MaxPageSize { get; set; } = 1000;
}

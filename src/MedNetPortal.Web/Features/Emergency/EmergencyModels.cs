using System.ComponentModel.DataAnnotations;

namespace MedNetPortal.Web.Features.Emergency;

/// <summary>Section <c>Emergency</c>: emergency access (break-the-glass).</summary>
public sealed class EmergencyOptions
{
    public const string SectionName = "Emergency";

    /// <summary>How long one emergency access lasts (hh:mm:ss); 1 minute to 24 hours.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan Duration { get; set; } = TimeSpan.FromHours(4);
}

using System.ComponentModel.DataAnnotations;
using System.Net;

namespace MedNetPortal.Web.Host.Hosting;

/// <summary>
/// Section <c>Proxy</c>: the reverse proxies in front of the portal whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>
/// are believed. Empty (the default): the headers are ignored, since anyone could send them, and the connection's own
/// address is the client address of the audit trail and the rate limits.
/// </summary>
public sealed class ProxyOptions : IValidatableObject
{
    public const string SectionName = "Proxy";

    /// <summary>Comma-separated IP addresses of the trusted proxies, e.g. <c>10.0.0.5,10.0.0.6</c>.</summary>
    public string KnownProxies { get; set; } = string.Empty;

    /// <summary>The addresses of <see cref="KnownProxies"/> (valid only after validation).</summary>
    public IReadOnlyList<IPAddress> Addresses =>
        [.. Entries().Select(e => IPAddress.TryParse(e, out var address) ? address : null).OfType<IPAddress>()];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var entry in Entries())
        {
            if (!IPAddress.TryParse(entry, out _))
            {
                yield return new ValidationResult($"has '{entry}', which is not an IP address", [nameof(KnownProxies)]);
            }
        }
    }

    private IEnumerable<string> Entries() =>
        KnownProxies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

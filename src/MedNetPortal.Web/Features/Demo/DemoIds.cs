using System.Security.Cryptography;
using System.Text;
using Hl7.Fhir.Model;

namespace MedNetPortal.Web.Features.Demo;

/// <summary>Deterministic ids: the same key always gives the same uuid, so the demo data is identical on every run.</summary>
internal static class DemoIds
{
    public static Guid Guid(string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("mednetportal-demo/" + key));
        var bytes = hash.AsSpan(0, 16).ToArray();
        // RFC 9562 layout: version 8 (custom), variant 10.
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    public static string Urn(string key) => "urn:uuid:" + Guid(key).ToString("D");

    public static Identifier Identifier(string key) => new(DemoSystems.DemoResource, key);

    /// <summary>A search query (for <c>ifNoneExist</c> / <c>If-None-Exist</c>) matching a token identifier; values percent-encoded.</summary>
    public static string IdentifierQuery(string system, string value) =>
        "identifier=" + Uri.EscapeDataString(system + "|" + value);
}

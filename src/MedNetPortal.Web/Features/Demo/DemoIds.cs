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

    /// <summary>
    /// A search query (for <c>ifNoneExist</c> / <c>If-None-Exist</c>) matching a token identifier. ASCII stays readable
    /// (<c>identifier=system|value</c>); non-ASCII (full-width symbols, kana) and query delimiters are percent-encoded
    /// as UTF-8, because HTTP header values must be ASCII and the server parses the value as a URL query.
    /// </summary>
    public static string IdentifierQuery(string system, string value) => "identifier=" + EncodeQueryValue(system + "|" + value);

    private static string EncodeQueryValue(string value)
    {
        var builder = new StringBuilder(value.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsAsciiLetterOrDigit(c) || "-._~:/|^!$'()*,;@?[]".Contains(c, StringComparison.Ordinal))
            {
                builder.Append(c);
                continue;
            }

            var length = char.IsHighSurrogate(c) && i + 1 < value.Length
                ? Encoding.UTF8.GetBytes(value.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(value.AsSpan(i, 1), utf8);
            foreach (var b in utf8[..length])
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace MedNetPortal.Web.Features.Audit;

/// <summary>
/// The chain's hash: HMAC-SHA256 (chain key) over a canonical serialisation of every hashed column of an entry, its
/// <see cref="AuditEntry.PreviousHash"/> included, as lowercase hex. The canonical form is a JSON array of strings in a fixed
/// column order (unambiguous: every value is quoted and escaped, null is <c>null</c>); the forwarding columns are outside.
/// </summary>
internal static class AuditChain
{
    private const string FormatVersion = "mednet-audit-v1";

    /// <summary>Timestamps keep microseconds only: PostgreSQL stores no finer, and the hash must survive a round trip.</summary>
    public static DateTime Normalise(DateTime utc) =>
        new(utc.Ticks - (utc.Ticks % 10), DateTimeKind.Utc);

    public static string ComputeHash(AuditEntry entry, byte[] chainKey)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Convert.ToHexStringLower(HMACSHA256.HashData(chainKey, Canonical(entry)));
    }

    internal static byte[] Canonical(AuditEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            json.WriteStringValue(FormatVersion);
            json.WriteStringValue(entry.Id.ToString(CultureInfo.InvariantCulture));
            json.WriteStringValue(entry.RecordedAtUtc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            Write(json, entry.ActorUserId);
            Write(json, entry.ActorName);
            Write(json, entry.FacilityCode);
            Write(json, entry.Roles);
            json.WriteStringValue(entry.Action.ToString());
            json.WriteStringValue(entry.Outcome.ToString());
            Write(json, entry.PatientId);
            Write(json, entry.LookupKeyHash);
            Write(json, entry.Detail);
            json.WriteStringValue(entry.Emergency ? "true" : "false");
            Write(json, entry.ClientAddress);
            json.WriteStringValue(entry.PreviousHash);
            json.WriteEndArray();
        }

        return buffer.ToArray();
    }

    private static void Write(Utf8JsonWriter json, string? value)
    {
        if (value is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteStringValue(value);
        }
    }
}

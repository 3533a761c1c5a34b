using System.Text;

namespace MedNetPortal.Web.Features.Account;

/// <summary>Shows an authenticator key for typing and as an <c>otpauth://</c> URI.</summary>
public static class TotpKeys
{
    /// <summary>The key in groups of four, lower case (easier to type): <c>abcd efgh …</c>.</summary>
    public static string Group(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var result = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            if (i > 0)
            {
                result.Append(' ');
            }

            result.Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }

        return result.ToString().ToLowerInvariant();
    }

    /// <summary>The key URI format understood by authenticator apps (6 digits, 30 seconds, SHA-1).</summary>
    public static string Uri(string issuer, string account, string key) =>
        $"otpauth://totp/{System.Uri.EscapeDataString(issuer)}:{System.Uri.EscapeDataString(account)}?secret={key}&issuer={System.Uri.EscapeDataString(issuer)}&digits=6";
}

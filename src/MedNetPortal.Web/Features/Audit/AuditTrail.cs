using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using MedNetPortal.Web.Host.Hosting;

namespace MedNetPortal.Web.Features.Audit;

/// <summary>
/// The trail (scoped): adds who (the signed-in user, or the account named by <see cref="AuditRecord.ActorUserId"/> read from
/// the account table), when (UTC, <see cref="TimeProvider"/>) and the client address to a feature's <see cref="AuditRecord"/>,
/// and appends it to the hash chain through <see cref="AuditWriter"/>.
/// </summary>
/// <remarks>
/// Failing to write the entry makes the action fail: <see cref="RecordAsync"/> lets the exception through, and callers record
/// before they show or return what the user asked for (a view that cannot be audited is not shown). Forwarding to the central
/// base is separate and never makes an action fail or wait.
/// </remarks>
internal sealed class AuditTrail(
    AuditWriter writer,
    AuditKeys keys,
    ICurrentUserAccessor currentUser,
    ClientAddress clientAddress,
    IAuditAccountDirectory accounts) : IAuditTrail
{
    public async Task RecordAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var (userId, name, facility, roles) = record.ActorUserId is { } actor
            ? await AccountAsync(actor, cancellationToken)
            : await SignedInAsync(cancellationToken);
        var entry = new AuditEntry
        {
            ActorUserId = userId,
            ActorName = Truncate(name, 200),
            FacilityCode = facility,
            Roles = Truncate(roles, 200),
            Action = record.Action,
            Outcome = record.Outcome,
            PatientId = record.PatientId,
            LookupKeyHash = record.LookupKeyHash,
            Detail = Truncate(record.Detail, 1000),
            Emergency = record.Emergency,
            ClientAddress = clientAddress.Current,
        };
        await writer.AppendAsync(entry, cancellationToken);
    }

    public string HashIdentifier(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Convert.ToHexStringLower(HMACSHA256.HashData(keys.IdentifierKey, Encoding.UTF8.GetBytes(value)));
    }

    private async Task<(string?, string?, string?, string?)> SignedInAsync(CancellationToken cancellationToken)
    {
        // Outside a Razor component (a minimal endpoint) the accessor falls back to the request's own user.
        var user = await currentUser.GetAsync(cancellationToken);

        return user is null
            ? (null, null, null, null)
            : (user.UserId, user.DisplayName, user.FacilityCode, string.Join(',', user.Roles.Order(StringComparer.Ordinal)));
    }

    private async Task<(string?, string?, string?, string?)> AccountAsync(string userId, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(userId, cancellationToken);
        return (userId, account?.DisplayName, account?.FacilityCode, account?.Roles ?? string.Empty);
    }

    private static string? Truncate(string? value, int max) => value is { Length: var n } && n > max ? value[..max] : value;

    internal static string? UserIdOf(ClaimsPrincipal? principal) =>
        principal?.Identity?.IsAuthenticated == true ? principal.FindFirstValue(ClaimTypes.NameIdentifier) : null;
}

using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Admin.Accounts;
using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Resources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Features.Audit.Views;

namespace MedNetPortal.Web.Features.Admin.Audit;

/// <summary>
/// Reading the audit trail for administrators. Every method checks the signed-in user on the server: a SystemAdmin reads every
/// facility's entries; a FacilityAdmin only entries of their own facility, whatever the filter says; anyone else nothing.
/// </summary>
public interface IAuditLogService
{
    Task<AdminResult<AuditLogScope>> GetScopeAsync(CancellationToken cancellationToken = default);

    Task<AdminResult<AuditLogPage>> SearchAsync(AuditLogQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes every entry matching <paramref name="filter"/> to <paramref name="destination"/> as CSV (UTF-8 with BOM, header in the
    /// UI language), streaming from the database; records the export in the trail. Returns the number of rows.
    /// </summary>
    Task<AdminResult<int>> ExportCsvAsync(AuditFilter filter, Stream destination, CancellationToken cancellationToken = default);

    /// <summary>The hash-chain check (SystemAdmin only: the chain spans every facility). Null value: no checker registered.</summary>
    Task<AdminResult<AuditChainReport?>> CheckChainAsync(CancellationToken cancellationToken = default);
}

internal sealed partial class AuditLogService(
    ICurrentUserAccessor currentUser,
    IDbContextFactory<PortalDbContext> dbFactory,
    IServiceProvider services,
    IStringLocalizer<SharedResource> localizer,
    ILogger<AuditLogService> logger) : IAuditLogService
{
    public async Task<AdminResult<AuditLogScope>> GetScopeAsync(CancellationToken cancellationToken = default)
    {
        var actor = await AdminAsync(cancellationToken);
        if (actor is null)
        {
            return AdminResult<AuditLogScope>.Fail(AdminOutcome.Forbidden);
        }

        var system = actor.IsInRole(PortalRoles.SystemAdmin);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var facilities = await db.Facilities.AsNoTracking()
            .Where(f => system || f.Code == actor.FacilityCode)
            .OrderBy(f => f.Code)
            .Select(f => new FacilityChoice(f.Code, f.Name))
            .ToListAsync(cancellationToken);
        if (!system && facilities.Count == 0)
        {
            facilities.Add(new FacilityChoice(actor.FacilityCode!, actor.FacilityName ?? actor.FacilityCode!));
        }

        return AdminResult<AuditLogScope>.Ok(new AuditLogScope(system, system ? null : actor.FacilityCode, facilities));
    }

    public async Task<AdminResult<AuditLogPage>> SearchAsync(AuditLogQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var actor = await AdminAsync(cancellationToken);
        if (actor is null)
        {
            return AdminResult<AuditLogPage>.Fail(AdminOutcome.Forbidden);
        }

        var pageSize = Math.Clamp(query.PageSize, 1, AuditLogQuery.MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entries = Filtered(db, actor, query.Filter);
        var snapshot = query.SnapshotId ?? await entries.MaxAsync(e => (long?)e.Id, cancellationToken);
        if (snapshot is null)
        {
            return AdminResult<AuditLogPage>.Ok(new AuditLogPage([], 0, null));
        }

        entries = entries.Where(e => e.Id <= snapshot);
        var total = await entries.CountAsync(cancellationToken);
        var page = entries;
        if (query.BeforeId is { } before)
        {
            page = page.Where(e => e.Id < before);
        }

        var rows = await page.OrderByDescending(e => e.Id).Take(pageSize).ToListAsync(cancellationToken);
        var userIds = rows.Select(r => r.ActorUserId).OfType<string>().Distinct().ToList();
        var emails = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
        var codes = rows.Select(r => r.FacilityCode).OfType<string>().Distinct().ToList();
        var names = await db.Facilities.AsNoTracking().Where(f => codes.Contains(f.Code))
            .ToDictionaryAsync(f => f.Code, f => f.Name, cancellationToken);
        var items = rows.Select(r => Row(r, emails, names)).ToList();
        return AdminResult<AuditLogPage>.Ok(new AuditLogPage(items, total, snapshot));
    }

    public async Task<AdminResult<int>> ExportCsvAsync(AuditFilter filter, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(destination);
        var actor = await AdminAsync(cancellationToken);
        if (actor is null)
        {
            return AdminResult<int>.Fail(AdminOutcome.Forbidden);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // Accounts and facilities are few next to entries: one dictionary each instead of a join per row.
        var emails = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
        var names = await db.Facilities.AsNoTracking().ToDictionaryAsync(f => f.Code, f => f.Name, cancellationToken);
        var count = 0;
        var outcome = AuditOutcome.Failure;
        try
        {
            await using (var csv = new AuditCsvWriter(destination, localizer))
            {
                await csv.WriteHeaderAsync(cancellationToken);
                await foreach (var entry in Filtered(db, actor, filter).OrderByDescending(e => e.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
                {
                    await csv.WriteRowAsync(Row(entry, emails, names), cancellationToken);
                    count++;
                }
            }

            outcome = AuditOutcome.Success;
            LogExported(logger, count);
        }
        finally
        {
            await RecordExportAsync(filter, count, outcome);
        }

        return AdminResult<int>.Ok(count);
    }

    public async Task<AdminResult<AuditChainReport?>> CheckChainAsync(CancellationToken cancellationToken = default)
    {
        var actor = await AdminAsync(cancellationToken);
        if (actor is null || !actor.IsInRole(PortalRoles.SystemAdmin))
        {
            return AdminResult<AuditChainReport?>.Fail(AdminOutcome.Forbidden);
        }

        var checker = services.GetService<IAuditChainVerifier>();
        return AdminResult<AuditChainReport?>.Ok(checker is null ? null : await checker.VerifyAsync(cancellationToken));
    }

    /// <summary>The first UTC instant of a Japan date.</summary>
    internal static DateTime JapanDayStartUtc(DateOnly day) => day.ToDateTime(TimeOnly.MinValue).AddHours(-9);

    private static IQueryable<AuditEntry> Filtered(PortalDbContext db, CurrentUser actor, AuditFilter filter)
    {
        var entries = db.AuditEntries.AsNoTracking();
        var policy = Admin.AdminPolicy.For(actor);
        if (policy.IsSystem)
        {
            if (!string.IsNullOrWhiteSpace(filter.FacilityCode))
            {
                var code = filter.FacilityCode.Trim();
                entries = entries.Where(e => e.FacilityCode == code);
            }
        }
        else
        {
            // A FacilityAdmin reads their facility's entries only, whatever was asked.
            var own = policy.FacilityCode;
            entries = entries.Where(e => e.FacilityCode == own);
        }

        if (filter.From is { } from)
        {
            var start = JapanDayStartUtc(from);
            entries = entries.Where(e => e.RecordedAtUtc >= start);
        }

        if (filter.To is { } to)
        {
            var end = JapanDayStartUtc(to.AddDays(1));
            entries = entries.Where(e => e.RecordedAtUtc < end);
        }

        var account = filter.Account?.Trim();
        if (!string.IsNullOrEmpty(account))
        {
            var upper = account.ToUpperInvariant();
            var ids = db.Users.Where(u => u.NormalizedEmail != null && u.NormalizedEmail.Contains(upper)).Select(u => u.Id);
            entries = entries.Where(e => e.ActorUserId == account
                || (e.ActorName != null && e.ActorName.Contains(account))
                || (e.ActorUserId != null && ids.Contains(e.ActorUserId)));
        }

        var patient = filter.PatientId?.Trim();
        if (!string.IsNullOrEmpty(patient))
        {
            entries = entries.Where(e => e.PatientId == patient);
        }

        if (filter.Action is { } action)
        {
            entries = entries.Where(e => e.Action == action);
        }

        if (filter.Outcome is { } outcome)
        {
            entries = entries.Where(e => e.Outcome == outcome);
        }

        if (filter.EmergencyOnly)
        {
            entries = entries.Where(e => e.Emergency);
        }

        return entries;
    }

    private static AuditLogRow Row(AuditEntry e, Dictionary<string, string?> emails, Dictionary<string, string> names) => new(
        e.Id,
        new DateTimeOffset(DateTime.SpecifyKind(e.RecordedAtUtc, DateTimeKind.Utc)),
        e.ActorUserId,
        e.ActorName,
        e.ActorUserId is null ? null : emails.GetValueOrDefault(e.ActorUserId),
        e.FacilityCode,
        e.FacilityCode is null ? null : names.GetValueOrDefault(e.FacilityCode),
        e.Roles,
        e.Action,
        e.Outcome,
        e.PatientId,
        e.Detail,
        e.Emergency,
        e.ClientAddress);

    private async Task RecordExportAsync(AuditFilter filter, int count, AuditOutcome outcome)
    {
        var trail = services.GetService<IAuditTrail>();
        if (trail is null)
        {
            return;
        }

        // Which filters were set, not their values (those are personal data); the patient is the entry's own column.
        var used = new List<string>();
        if (filter.From is not null || filter.To is not null)
        {
            used.Add($"period={filter.From:yyyy-MM-dd}..{filter.To:yyyy-MM-dd}");
        }

        if (!string.IsNullOrWhiteSpace(filter.Account))
        {
            used.Add("account");
        }

        if (!string.IsNullOrWhiteSpace(filter.FacilityCode))
        {
            used.Add("facility=" + filter.FacilityCode.Trim());
        }

        if (filter.Action is { } action)
        {
            used.Add("action=" + action);
        }

        if (filter.Outcome is { } result)
        {
            used.Add("outcome=" + result);
        }

        if (filter.EmergencyOnly)
        {
            used.Add("emergency");
        }

        var record = new AuditRecord(AuditAction.AuditExported, outcome)
        {
            PatientId = string.IsNullOrWhiteSpace(filter.PatientId) ? null : filter.PatientId.Trim(),
            Detail = $"csv rows={count}" + (used.Count == 0 ? string.Empty : "; " + string.Join(", ", used)),
        };

        // Not the caller's token: an export cancelled half-way is still recorded.
        await trail.RecordAsync(record, CancellationToken.None);
    }

    private async Task<CurrentUser?> AdminAsync(CancellationToken cancellationToken)
    {
        var user = await currentUser.GetAsync(cancellationToken);
        return Admin.AdminPolicy.For(user).IsAdmin ? user : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit trail exported as CSV: {Rows} rows")]
    private static partial void LogExported(ILogger logger, int rows);
}

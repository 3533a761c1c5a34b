using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Host.Data;
using Microsoft.EntityFrameworkCore;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Features.Consent;
using MedNetPortal.Web.Features.Audit.Views;

namespace MedNetPortal.Web.Features.Patients;

/// <summary>
/// Who opened a patient's record: successful record views, documents opened, emergency accesses and consents recorded at
/// reception from the trail, newest first. Facility, role and profession are shown, never the staff member's name (as the
/// national service shows patients). Shown only to a clinician whose facility may see the patient's record (the gate's
/// decision, cached for the record page: no extra request).
/// </summary>
public interface IRecordAccessHistory
{
    /// <summary>Null when the signed-in user is not a clinician with access to the patient's record.</summary>
    Task<RecordAccessPage?> GetAsync(string patientId, int skip, int take, CancellationToken cancellationToken = default);
}

internal sealed class RecordAccessHistory(ICurrentUserAccessor currentUser, IDbContextFactory<PortalDbContext> dbFactory, IPatientAccessGate gate) : IRecordAccessHistory
{
    public const int MaxTake = 100;

    /// <summary>The item key for an opened document (record views list their section keys).</summary>
    public const string DocumentItem = "document";

    /// <summary>The item key for the start of an emergency access.</summary>
    public const string EmergencyItem = "emergency";

    /// <summary>The item key for a consent recorded at reception (self-service, by a clinician).</summary>
    public const string ConsentItem = "consent";

    private static readonly AuditAction[] Shown =
        [AuditAction.RecordViewed, AuditAction.DocumentOpened, AuditAction.EmergencyAccessStarted, AuditAction.ConsentRecorded];

    public async Task<RecordAccessPage?> GetAsync(string patientId, int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(patientId);
        var user = await currentUser.GetAsync(cancellationToken);
        if (user?.ClinicalFacility is null || !(await gate.CheckAsync(patientId, cancellationToken)).Allowed)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entries = db.AuditEntries.AsNoTracking()
            .Where(e => e.PatientId == patientId && e.Outcome == AuditOutcome.Success && Shown.Contains(e.Action));
        var total = await entries.CountAsync(cancellationToken);
        var rows = await entries.OrderByDescending(e => e.Id)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, MaxTake))
            .ToListAsync(cancellationToken);

        var userIds = rows.Select(r => r.ActorUserId).OfType<string>().Distinct().ToList();
        var professions = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.Profession, cancellationToken);
        var codes = rows.Select(r => r.FacilityCode).OfType<string>().Distinct().ToList();
        var names = await db.Facilities.AsNoTracking().Where(f => codes.Contains(f.Code))
            .ToDictionaryAsync(f => f.Code, f => f.Name, cancellationToken);

        var items = rows.Select(r => new RecordAccess(
            r.Id,
            new DateTimeOffset(DateTime.SpecifyKind(r.RecordedAtUtc, DateTimeKind.Utc)),
            r.FacilityCode,
            r.FacilityCode is null ? null : names.GetValueOrDefault(r.FacilityCode),
            r.Roles?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(),
            r.ActorUserId is not null && professions.TryGetValue(r.ActorUserId, out var profession) ? profession : null,
            r.Action,
            ItemsOf(r),
            r.Emergency || r.Action == AuditAction.EmergencyAccessStarted)).ToList();
        return new RecordAccessPage(items, total);
    }

    private static IReadOnlyList<string> ItemsOf(AuditEntry entry) => entry.Action switch
    {
        AuditAction.RecordViewed => entry.Detail?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
        AuditAction.DocumentOpened => [DocumentItem],
        AuditAction.ConsentRecorded => [ConsentItem],
        _ => [EmergencyItem],
    };
}

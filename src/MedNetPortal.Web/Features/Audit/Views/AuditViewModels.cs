using MedNetPortal.Web.Features.Account;

namespace MedNetPortal.Web.Features.Audit.Views;

/// <summary>
/// What an administrator filters the trail by. Dates are Japan dates (inclusive), the trail stores UTC. Kept in the page's
/// state, never in a URL: patient ids and accounts are personal data here.
/// </summary>
public sealed record AuditFilter
{
    public DateOnly? From { get; init; }

    public DateOnly? To { get; init; }

    /// <summary>Part of the account's name or email, or its id.</summary>
    public string? Account { get; init; }

    /// <summary>医療機関コード; ignored for a FacilityAdmin (always their own).</summary>
    public string? FacilityCode { get; init; }

    /// <summary>The central base's Patient id, exactly.</summary>
    public string? PatientId { get; init; }

    public AuditAction? Action { get; init; }

    public AuditOutcome? Outcome { get; init; }

    public bool EmergencyOnly { get; init; }
}

/// <summary>
/// One page of the trail, newest first. The first page (<see cref="SnapshotId"/> null) fixes the newest entry counted, so later
/// pages (<see cref="BeforeId"/>: the last id shown) neither repeat nor skip rows when entries are added meanwhile.
/// </summary>
public sealed record AuditLogQuery(AuditFilter Filter, long? SnapshotId = null, long? BeforeId = null, int PageSize = AuditLogQuery.DefaultPageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
}

/// <summary>One audit entry as an administrator reads it; <see cref="RecordedAt"/> is UTC (shown in Japan time).</summary>
public sealed record AuditLogRow(
    long Id,
    DateTimeOffset RecordedAt,
    string? ActorUserId,
    string? ActorName,
    string? ActorEmail,
    string? FacilityCode,
    string? FacilityName,
    string? Roles,
    AuditAction Action,
    AuditOutcome Outcome,
    string? PatientId,
    string? Detail,
    bool Emergency,
    string? ClientAddress);

/// <summary>Rows matching the filter: <see cref="Total"/> in all up to <see cref="SnapshotId"/>.</summary>
public sealed record AuditLogPage(IReadOnlyList<AuditLogRow> Items, int Total, long? SnapshotId);

/// <summary>One access to a patient's record, as the "who viewed this record" panel shows it (no staff names).</summary>
public sealed record RecordAccess(
    long Id,
    DateTimeOffset At,
    string? FacilityCode,
    string? FacilityName,
    string? Role,
    Profession? Profession,
    AuditAction Action,
    IReadOnlyList<string> Items,
    bool Emergency);

/// <summary>Accesses to one patient's record, newest first; <see cref="Total"/> in all.</summary>
public sealed record RecordAccessPage(IReadOnlyList<RecordAccess> Items, int Total);

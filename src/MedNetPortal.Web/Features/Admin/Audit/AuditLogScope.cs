using MedNetPortal.Web.Features.Admin.Accounts;

namespace MedNetPortal.Web.Features.Admin.Audit;

/// <summary>Which facilities the signed-in administrator may read the trail of.</summary>
public sealed record AuditLogScope(bool IsSystemAdmin, string? OwnFacilityCode, IReadOnlyList<FacilityChoice> Facilities);

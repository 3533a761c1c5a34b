using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Features.Facilities;
using Microsoft.EntityFrameworkCore;

namespace MedNetPortal.Web.Features.Consent;

/// <summary>
/// <see cref="IPatientAccessGate"/>: the user's facility from the server-side user; consent from the central base (one
/// search for the patient's active Consents), emergency grants from the portal database. Granted decisions are kept per
/// patient until they end; refusals are not kept, so a consent recorded elsewhere opens the record on retry.
/// </summary>
internal sealed partial class PatientAccessGate(
    CentralFhirClient client,
    ICurrentUserAccessor currentUser,
    IDbContextFactory<PortalDbContext> dbFactory,
    IAuditTrail audit,
    TimeProvider time,
    ILogger<PatientAccessGate> logger) : IPatientAccessGate
{
    /// <summary>
    /// A granted decision is reused at most this long (or until the consent ends, if sooner), so a consent withdrawn in the
    /// central base stops opening the record within minutes even in a long session, while page after page stays one request.
    /// </summary>
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, (string UserKey, PatientAccess Access, DateTimeOffset RecheckAt)> cache = new(StringComparer.Ordinal);

    public async Task<PatientAccess> CheckAsync(string patientId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patientId);
        if (!FhirSearchValue.IsValidId(patientId))
        {
            return PatientAccess.Denied(PatientAccessDenial.InvalidPatientId);
        }

        var user = await currentUser.GetAsync(cancellationToken).ConfigureAwait(false);
        if (user?.FacilityCode is not { } code)
        {
            return PatientAccess.Denied(PatientAccessDenial.NoFacility);
        }

        if (!user.IsInRole(PortalRoles.Clinician))
        {
            return PatientAccess.Denied(PatientAccessDenial.NotClinician);
        }

        var now = time.GetUtcNow();
        var userKey = user.UserId + "|" + code;
        if (cache.TryGetValue(patientId, out var cached) && cached.UserKey == userKey && cached.RecheckAt > now)
        {
            return cached.Access;
        }

        cache.Remove(patientId);
        var parameters = new FhirSearchParameters()
            .Add("patient", FhirSearchValue.Reference("Patient", patientId))
            .Add("status", "active")
            .Add("_count", "100");
        var page = await client.SearchPostAsync<Hl7.Fhir.Model.Consent>(parameters, cancellationToken).ConfigureAwait(false);
        // Checked after loading: a server that ignored "patient" would answer with other patients' consents.
        var returned = page.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Consent>().ToList();
        var consents = returned.Where(c => FhirReferences.RefersTo(c.Patient, "Patient", patientId)).ToList();
        if (consents.Count < returned.Count)
        {
            Log.Dropped(logger, returned.Count - consents.Count);
        }

        var access = ConsentRules.Evaluate(consents, code, now);
        if (!access.Allowed)
        {
            var nowUtc = now.UtcDateTime;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var grant = await db.Set<EmergencyAccessGrant>().AsNoTracking()
                .Where(g => g.UserId == user.UserId && g.FacilityCode == code && g.PatientId == patientId && g.EndUtc > nowUtc)
                .OrderByDescending(g => g.EndUtc)
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            if (grant is not null)
            {
                access = new PatientAccess(PatientAccessKind.Emergency, new DateTimeOffset(DateTime.SpecifyKind(grant.EndUtc, DateTimeKind.Utc)), null);
            }
            else
            {
                var emergencyHospital = await db.Set<PortalFacility>().AsNoTracking()
                    .AnyAsync(f => f.Code == code && f.Active && f.IsEmergencyHospital, cancellationToken).ConfigureAwait(false);
                return access with { EmergencyAvailable = emergencyHospital };
            }
        }

        var recheckAt = now + RecheckAfter;
        cache[patientId] = (userKey, access, access.Until is { } until && until < recheckAt ? until : recheckAt);
        return access;
    }

    public async Task<PatientAccess> EnsureAsync(string patientId, CancellationToken cancellationToken)
    {
        var access = await CheckAsync(patientId, cancellationToken).ConfigureAwait(false);
        if (access.Allowed)
        {
            return access;
        }

        await audit.RecordAsync(
            new AuditRecord(AuditAction.AccessDenied, AuditOutcome.Denied)
            {
                // Never a value that is not an id (it came from a URL): the entry then names no patient.
                PatientId = access.Denial == PatientAccessDenial.InvalidPatientId ? null : patientId,
                Detail = access.Denial?.ToString().ToLowerInvariant(),
                Emergency = false,
            },
            cancellationToken).ConfigureAwait(false);
        throw new PatientAccessDeniedException(patientId, access);
    }

    public void Forget(string patientId) => cache.Remove(patientId);

    private static partial class Log
    {
        [LoggerMessage(EventId = 4522, Level = LogLevel.Warning,
            Message = "The central base answered a patient's consent search with {Count} Consents of other patients; they were dropped.")]
        public static partial void Dropped(ILogger logger, int count);
    }
}

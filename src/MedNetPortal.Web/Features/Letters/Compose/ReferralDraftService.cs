using MedNetPortal.Web.Features.Audit;
using System.Globalization;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Conformance;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Features.Documents;
using MedNetPortal.Web.Features.Facilities;
using MedNetPortal.Web.Features.Patients;
using Microsoft.EntityFrameworkCore;

namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>
/// Referral drafts: create (empty or for a base patient), read, autosave, list, delete, preview and send. Every method
/// authorises on the server from the signed-in user: a draft is visible only to users of its facility; a user without a
/// facility has none. A draft of another facility answers exactly like a missing one.
/// </summary>
/// <remarks>
/// Each call opens its own DbContext (a Blazor circuit's scope lives as long as the tab, and an autosave may overlap the
/// idle sign-out's save): one short unit of work per call.
/// </remarks>
public sealed partial class ReferralDraftService(
    ICurrentUserAccessor currentUser,
    IServiceScopeFactory scopes,
    IDbContextFactory<PortalDbContext> contexts,
    IPatientRecordService records,
    CentralFhirClient client,
    FacilityDirectory directory,
    ReferralLetterSender sender,
    IProfileValidator profiles,
    IAuditTrail audit,
    TimeProvider time,
    MedNetPortal.Web.Features.Consent.IPatientAccessGate gate) : IReferralDraftStarter, IReferralDraftService
{
    /// <summary>At most this many drafts per list page.</summary>
    public const int MaxPageSize = 100;

    private static readonly TimeSpan Jst = TimeSpan.FromHours(9);

    private ReferralSenderInfo? senderInfo;

    /// <summary>A new 施設内ID: <c>R</c> + the Japan date + <c>-</c> + 8 hex characters (never a <c>^</c>).</summary>
    public static string NewLocalId(DateTimeOffset now) =>
        "R" + now.ToOffset(Jst).ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    /// <summary>Creates a draft: empty (a new patient is typed in), or for a base patient, with the patient and the
    /// shared record's allergies filled in.</summary>
    public async Task<DraftCreateResult> CreateAsync(string? basePatientId, CancellationToken cancellationToken)
    {
        var user = await UserAsync(cancellationToken);
        if (user is null)
        {
            return new DraftCreateResult(DraftCreateOutcome.NoFacility, null);
        }

        var form = new ReferralForm();
        if (!string.IsNullOrEmpty(basePatientId))
        {
            try
            {
                await PrefillAsync(form, basePatientId, cancellationToken);
            }
            catch (FhirApiException ex)
            {
                return new DraftCreateResult(DraftCreateOutcome.PatientUnavailable, null, ex.Reason);
            }
            catch (MedNetPortal.Web.Features.Consent.PatientAccessDeniedException)
            {
                // Without consent the shared record cannot prefill the letter.
                return new DraftCreateResult(DraftCreateOutcome.PatientUnavailable, null, FhirApiErrorReason.Forbidden);
            }
        }

        return new DraftCreateResult(DraftCreateOutcome.Created, await InsertAsync(user, form, cancellationToken));
    }

    /// <summary>Creates a draft holding a form typed before the first save (the new-patient page).</summary>
    public async Task<DraftCreateResult> CreateAsync(ReferralForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var user = await UserAsync(cancellationToken);
        return user is null
            ? new DraftCreateResult(DraftCreateOutcome.NoFacility, null)
            : new DraftCreateResult(DraftCreateOutcome.Created, await InsertAsync(user, form.Clone(), cancellationToken));
    }

    /// <summary>The draft, or null when it does not exist for this user.</summary>
    public async Task<ReferralDraftView?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var user = await UserAsync(cancellationToken);
        if (user is null)
        {
            return null;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var draft = await Drafts(db, user).AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        return draft is null ? null : View(draft);
    }

    /// <summary>
    /// Saves the form if the draft is still at <paramref name="expectedVersion"/>; otherwise reports a conflict and writes
    /// nothing (the page keeps its text and lets the user choose). <paramref name="overwrite"/> saves over a newer version.
    /// </summary>
    public async Task<DraftSaveResult> SaveAsync(Guid id, ReferralForm form, long expectedVersion, bool overwrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var user = await UserAsync(cancellationToken);
        if (user is null)
        {
            return new DraftSaveResult(DraftSaveOutcome.NotFound, 0, null);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var draft = await Drafts(db, user).FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (draft is null)
        {
            return new DraftSaveResult(DraftSaveOutcome.NotFound, 0, null);
        }

        if (draft.Status == ReferralDraftStatus.Sent)
        {
            return new DraftSaveResult(DraftSaveOutcome.AlreadySent, draft.Version, null, View(draft));
        }

        if (draft.Version != expectedVersion && !overwrite)
        {
            return new DraftSaveResult(DraftSaveOutcome.Conflict, draft.Version, null, View(draft));
        }

        Apply(draft, form);
        draft.Version++;
        draft.UpdatedAt = time.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another save won between our read and our write.
            var current = await GetAsync(id, cancellationToken);
            return current is null
                ? new DraftSaveResult(DraftSaveOutcome.NotFound, 0, null)
                : new DraftSaveResult(DraftSaveOutcome.Conflict, current.Version, null, current);
        }

        return new DraftSaveResult(DraftSaveOutcome.Saved, draft.Version, draft.UpdatedAt);
    }

    /// <summary>Unsent drafts, newest first: the user's own or the whole facility's.</summary>
    public async Task<ReferralDraftList> ListAsync(ReferralDraftScope scope, int skip, int take, CancellationToken cancellationToken)
    {
        var user = await UserAsync(cancellationToken);
        if (user is null)
        {
            return new ReferralDraftList([], 0, 0);
        }

        skip = Math.Max(0, skip);
        take = Math.Clamp(take, 1, MaxPageSize);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = Drafts(db, user).AsNoTracking().Where(d => d.Status == ReferralDraftStatus.Draft);
        if (scope == ReferralDraftScope.Mine)
        {
            query = query.Where(d => d.AuthorUserId == user.UserId);
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(d => d.UpdatedAt).ThenBy(d => d.Id).Skip(skip).Take(take)
            .Select(d => new { d.Id, d.PatientDisplayName, d.DestinationName, d.AuthorName, d.AuthorUserId, d.UpdatedAt })
            .ToListAsync(cancellationToken);
        return new ReferralDraftList(
            [.. rows.Select(r => new ReferralDraftSummary(r.Id, r.PatientDisplayName, r.DestinationName, r.AuthorName, r.AuthorUserId == user.UserId, r.UpdatedAt))],
            total,
            skip);
    }

    /// <summary>Deletes an unsent draft; false when there is no such draft for this user (or it was sent).</summary>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var user = await UserAsync(cancellationToken);
        if (user is null)
        {
            return false;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var deleted = await Drafts(db, user).Where(d => d.Id == id && d.Status == ReferralDraftStatus.Draft).ExecuteDeleteAsync(cancellationToken);
        return deleted > 0;
    }

    private async Task<Guid> InsertAsync(CurrentUser user, ReferralForm form, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var draft = new ReferralDraft
        {
            Id = Guid.NewGuid(),
            FacilityCode = user.FacilityCode!,
            AuthorUserId = user.UserId,
            AuthorName = user.DisplayName,
            Status = ReferralDraftStatus.Draft,
            LocalId = NewLocalId(now),
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
        Apply(draft, form);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.ReferralDrafts.Add(draft);
        await db.SaveChangesAsync(cancellationToken);
        return draft.Id;
    }

    private static void Apply(ReferralDraft draft, ReferralForm form)
    {
        draft.FormJson = form.ToJson();
        draft.PatientDisplayName = Truncate(form.Patient.NameKanji?.Trim(), 200);
        draft.DestinationName = Truncate(form.Destination.Name?.Trim(), 200);
    }

    private static string? Truncate(string? value, int length) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= length ? value : value[..length];

    private static ReferralDraftView View(ReferralDraft d) => new(
        d.Id, ReferralForm.FromJson(d.FormJson), d.Version, d.Status, d.LocalId, d.IssuedAt, d.AuthorName, d.UpdatedAt, d.SentBundleId, d.BundleIdentifier);

    private static IQueryable<ReferralDraft> Drafts(PortalDbContext db, CurrentUser user) =>
        db.ReferralDrafts.Where(d => d.FacilityCode == user.FacilityCode);

    private async Task<CurrentUser?> UserAsync(CancellationToken cancellationToken)
    {
        var user = await currentUser.GetAsync(cancellationToken);
        // Drafts and sending are clinical work: a clinician of a facility, never an administrator.
        return user is { ClinicalFacility: { Length: > 0 } } ? user : null;
    }
}

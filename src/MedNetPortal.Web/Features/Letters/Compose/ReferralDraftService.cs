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

/// <summary>A draft as a page sees it. <see cref="Form"/> is the page's own copy.</summary>
public sealed record ReferralDraftView(
    Guid Id,
    ReferralForm Form,
    long Version,
    ReferralDraftStatus Status,
    string LocalId,
    DateTimeOffset? IssuedAt,
    string AuthorName,
    DateTimeOffset UpdatedAt,
    string? SentBundleId,
    string? BundleIdentifier);

/// <summary>One row of a drafts list.</summary>
public sealed record ReferralDraftSummary(
    Guid Id,
    string? PatientDisplayName,
    string? DestinationName,
    string AuthorName,
    bool IsMine,
    DateTimeOffset UpdatedAt);

/// <summary>A page of drafts and how many there are in all.</summary>
public sealed record ReferralDraftList(IReadOnlyList<ReferralDraftSummary> Items, int Total, int Skip);

/// <summary>Whose drafts a list shows.</summary>
public enum ReferralDraftScope
{
    Mine,
    Facility,
}

public enum DraftCreateOutcome
{
    Created,

    /// <summary>The user acts for no facility: no drafts.</summary>
    NoFacility,

    /// <summary>The base patient could not be read (<see cref="DraftCreateResult.Failure"/>).</summary>
    PatientUnavailable,
}

public sealed record DraftCreateResult(DraftCreateOutcome Outcome, Guid? DraftId, FhirApiErrorReason? Failure = null);

public enum DraftSaveOutcome
{
    Saved,

    /// <summary>Someone (another tab) saved since this copy was loaded; nothing was written. See <see cref="DraftSaveResult.Current"/>.</summary>
    Conflict,

    /// <summary>No such draft for this user (deleted, another facility's, or none at all).</summary>
    NotFound,

    /// <summary>The letter was sent; a sent draft is not edited.</summary>
    AlreadySent,
}

/// <param name="Outcome">What happened.</param>
/// <param name="Version">The draft's version after the save (Saved) or the stored one (Conflict).</param>
/// <param name="SavedAt">When it was saved (UTC).</param>
/// <param name="Current">On a conflict, the stored draft (so the page can offer to overwrite or to load it).</param>
public sealed record DraftSaveResult(DraftSaveOutcome Outcome, long Version, DateTimeOffset? SavedAt, ReferralDraftView? Current = null);

/// <summary>The preview of a draft: the document as the receiver will see it, or why it cannot be built, and the problems.</summary>
/// <param name="Document">The document as the receiver will see it, or null when it cannot be built.</param>
/// <param name="Problems">Everything found (the form, the portal's rules, the official profiles).</param>
/// <param name="ProfileCheck">Whether the official profiles checked it (false when unavailable, never claimed otherwise).</param>
public sealed record DraftPreview(DocumentView? Document, IReadOnlyList<ReferralProblem> Problems, ProfileCheck ProfileCheck = ProfileCheck.NotRun);

/// <summary>Whether a preview was checked against the official JP-CLINS profiles.</summary>
public enum ProfileCheck
{
    /// <summary>Not run: the letter already has problems of its own, or could not be built.</summary>
    NotRun,

    /// <summary>Checked against the official profiles.</summary>
    Checked,

    /// <summary>The official profiles are not available on this server: only the portal's own rules were checked.</summary>
    Unavailable,
}

public enum DraftSendOutcome
{
    /// <summary>See <see cref="DraftSendResult.Send"/>.</summary>
    Attempted,

    /// <summary>Problems found before sending (form or validator); nothing was sent.</summary>
    Invalid,

    NotFound,

    /// <summary>The destination does not receive letters electronically: print it instead.</summary>
    NotConnected,

    /// <summary>Someone changed the draft while the send was being prepared; nothing was sent. Reload and send again.</summary>
    Conflict,
}

public sealed record DraftSendResult(DraftSendOutcome Outcome, SendResult? Send, IReadOnlyList<ReferralProblem> Problems);

/// <summary>
/// Referral drafts: create (empty or for a base patient), read, autosave, list, delete, preview and send. Every method
/// authorises on the server from the signed-in user: a draft is visible only to users of its facility; a user without a
/// facility has none. A draft of another facility answers exactly like a missing one.
/// </summary>
/// <remarks>
/// Each call opens its own DbContext (a Blazor circuit's scope lives as long as the tab, and an autosave may overlap the
/// idle sign-out's save): one short unit of work per call.
/// </remarks>
/// <summary>Starts a draft for a base patient (the record page's 「紹介状を作成」); implemented by <see cref="ReferralDraftService"/>.</summary>
public interface IReferralDraftStarter
{
    /// <summary>Creates a draft for the patient, prefilled from the shared record; see <see cref="ReferralDraftService.CreateAsync(string?, CancellationToken)"/>.</summary>
    Task<DraftCreateResult> CreateAsync(string? basePatientId, CancellationToken cancellationToken);
}

public sealed class ReferralDraftService(
    ICurrentUserAccessor currentUser,
    IServiceScopeFactory scopes,
    IPatientRecordService records,
    CentralFhirClient client,
    FacilityDirectory directory,
    ReferralLetterSender sender,
    IProfileValidator profiles,
    IAuditTrail audit,
    TimeProvider time,
    MedNetPortal.Web.Features.Consent.IPatientAccessGate gate) : IReferralDraftStarter
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

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
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

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
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
        await using var serviceScope = scopes.CreateAsyncScope();
        var db = serviceScope.ServiceProvider.GetRequiredService<PortalDbContext>();
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

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var deleted = await Drafts(db, user).Where(d => d.Id == id && d.Status == ReferralDraftStatus.Draft).ExecuteDeleteAsync(cancellationToken);
        return deleted > 0;
    }

    /// <summary>The stored draft built into the JP-CLINS document and mapped for the viewer, with every problem found.</summary>
    public async Task<DraftPreview?> PreviewAsync(Guid id, CancellationToken cancellationToken)
    {
        var draft = await GetAsync(id, cancellationToken);
        if (draft is null)
        {
            return null;
        }

        var senderInfo = await SenderAsync(cancellationToken);
        var issuedAt = draft.IssuedAt ?? time.GetUtcNow();
        var mapped = ReferralFormMapper.ToContent(draft.Form, senderInfo, draft.LocalId, issuedAt);
        var problems = mapped.Problems.ToList();
        if (mapped.Content is not { } content)
        {
            return new DraftPreview(null, problems);
        }

        problems.AddRange(ReferralDocumentValidator.Validate(content));
        Bundle bundle;
        try
        {
            bundle = ReferralDocumentBuilder.Build(content);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            // Content the validator already reports (a broken copy, an unparseable identifier) may not build at all.
            return new DraftPreview(null, problems);
        }

        if (problems.Count == 0)
        {
            problems.AddRange(ReferralDocumentValidator.Validate(bundle, verifyCheckDigit: true));
        }

        // The official profiles run on a letter that passes the portal's own rules (the same order as sending).
        var check = ProfileCheck.NotRun;
        if (problems.Count == 0)
        {
            var report = await profiles.ValidateAsync(bundle, cancellationToken);
            check = report.Performed ? ProfileCheck.Checked : ProfileCheck.Unavailable;
            problems.AddRange(ReferralProfileProblems.From(bundle, report));
        }

        return new DraftPreview(DocumentMapper.Map(bundle, draft.SentBundleId ?? string.Empty), problems, check);
    }

    /// <summary>
    /// Sends the stored draft. The issue time is saved before the POST, so every later attempt (a retry after a failure,
    /// even in another year) has the same Bundle identifier and the base stores the letter once. On success the draft
    /// becomes Sent with the base's id.
    /// </summary>
    public async Task<DraftSendResult> SendAsync(Guid id, CancellationToken cancellationToken)
    {
        var user = await UserAsync(cancellationToken);
        if (user is null)
        {
            return new DraftSendResult(DraftSendOutcome.NotFound, null, []);
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var draft = await Drafts(db, user).FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (draft is null)
        {
            return new DraftSendResult(DraftSendOutcome.NotFound, null, []);
        }

        var form = ReferralForm.FromJson(draft.FormJson);
        if (draft.Status == ReferralDraftStatus.Sent)
        {
            return new DraftSendResult(DraftSendOutcome.Attempted,
                new SendResult(SendOutcome.AlreadySent, draft.SentBundleId, draft.BundleIdentifier ?? string.Empty, [], null), []);
        }

        // The registry's current record decides, not the flag copied when the destination was picked (it may have changed since).
        var connected = form.Destination.AcceptsElectronicLetters;
        if (form.Destination.Code is { Length: > 0 } destinationCode)
        {
            var registry = scope.ServiceProvider.GetRequiredService<IFacilityRegistry>();
            var connections = await registry.GetConnectionsAsync([destinationCode], cancellationToken);
            connected = connections.TryGetValue(destinationCode, out var registered) ? registered : null;
        }

        if (connected == false)
        {
            return new DraftSendResult(DraftSendOutcome.NotConnected, null, []);
        }

        var senderInfo = await SenderAsync(cancellationToken);
        var mapped = ReferralFormMapper.ToContent(form, senderInfo, draft.LocalId, draft.IssuedAt ?? time.GetUtcNow());
        var problems = mapped.Problems.ToList();
        if (mapped.Content is { } candidate)
        {
            problems.AddRange(ReferralDocumentValidator.Validate(candidate));
        }

        if (problems.Count > 0 || mapped.Content is null)
        {
            return new DraftSendResult(DraftSendOutcome.Invalid, null, problems);
        }

        var content = mapped.Content;
        if (draft.IssuedAt is null)
        {
            draft.IssuedAt = content.IssuedAt;
            draft.BundleIdentifier = ReferralDocumentBuilder.BundleIdentifierValue(content);
            draft.Version++;
            draft.UpdatedAt = time.GetUtcNow();
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                return new DraftSendResult(DraftSendOutcome.Conflict, null, []);
            }
        }

        var result = await sender.SendAsync(content, cancellationToken);
        if (result.Outcome == SendOutcome.Invalid)
        {
            return new DraftSendResult(DraftSendOutcome.Invalid, result, result.Problems);
        }

        if (result.IsStored)
        {
            // Recorded even if a concurrent save changed the form meanwhile: the letter is in the base now.
            await Drafts(db, user).Where(d => d.Id == id).ExecuteUpdateAsync(
                set => set
                    .SetProperty(d => d.Status, ReferralDraftStatus.Sent)
                    .SetProperty(d => d.SentBundleId, result.BundleId)
                    .SetProperty(d => d.BundleIdentifier, result.BundleIdentifier)
                    .SetProperty(d => d.Version, d => d.Version + 1)
                    .SetProperty(d => d.UpdatedAt, time.GetUtcNow()),
                cancellationToken);
        }

        await audit.RecordAsync(
            new AuditRecord(AuditAction.LetterSent, result.IsStored ? AuditOutcome.Success : AuditOutcome.Failure)
            {
                PatientId = form.Patient.IsFromBase ? form.Patient.BasePatientId : null,
                Detail = result.IsStored
                    ? $"bundle={result.BundleId};destination={form.Destination.Code};{result.Outcome}"
                    : $"destination={form.Destination.Code};error={result.FailureReason}",
            },
            CancellationToken.None);
        return new DraftSendResult(DraftSendOutcome.Attempted, result, []);
    }

    /// <summary>
    /// A copy of one of the patient's shared diagnoses or allergies, as FHIR JSON. Through the consent gate like every read of
    /// clinical data (<see cref="MedNetPortal.Web.Features.Consent.PatientAccessDeniedException"/> when refused), and only a
    /// resource the base finds to be that patient's: one search by id and patient, never a bare read by id.
    /// </summary>
    public async Task<PickedSharedResource> CopySharedAsync(
        string basePatientId, SharedResourceKind kind, string resourceId, string label, CancellationToken cancellationToken)
    {
        _ = await UserAsync(cancellationToken) ?? throw new InvalidOperationException("No facility.");
        if (!FhirSearchValue.IsValidId(basePatientId) || !FhirSearchValue.IsValidId(resourceId))
        {
            throw new FhirApiException(FhirApiErrorReason.NotFound, FhirApiException.DefaultMessage(FhirApiErrorReason.NotFound), System.Net.HttpStatusCode.NotFound);
        }

        await gate.EnsureAsync(basePatientId, cancellationToken);
        var parameters = new FhirSearchParameters()
            .Add("_id", resourceId)
            .Add("patient", FhirSearchValue.Reference("Patient", basePatientId));
        var page = kind == SharedResourceKind.Diagnosis
            ? await client.SearchPostAsync<Condition>(parameters, cancellationToken)
            : await client.SearchPostAsync<AllergyIntolerance>(parameters, cancellationToken);
        var resource = page.Entry.Select(e => e.Resource)
                           // Checked after loading: this id, and this patient's (a lenient server may ignore "patient").
                           .FirstOrDefault(r => r is not null && r.Id == resourceId && r switch
                           {
                               Condition c => FhirReferences.RefersTo(c.Subject, "Patient", basePatientId),
                               AllergyIntolerance a => FhirReferences.RefersTo(a.Patient, "Patient", basePatientId),
                               _ => false,
                           })
                       ?? throw new FhirApiException(FhirApiErrorReason.NotFound, FhirApiException.DefaultMessage(FhirApiErrorReason.NotFound), System.Net.HttpStatusCode.NotFound);
        return new PickedSharedResource(resourceId, label, FhirJson.Serialize(resource));
    }

    /// <summary>The sender facility (name, code from the account; address and phone from the directory) and doctor.</summary>
    public async Task<ReferralSenderInfo> SenderAsync(CancellationToken cancellationToken)
    {
        if (senderInfo is not null)
        {
            return senderInfo;
        }

        var user = await UserAsync(cancellationToken) ?? throw new InvalidOperationException("No facility.");
        FacilitySummary? facility = null;
        try
        {
            facility = (await directory.SearchAsync(user.FacilityCode!, cancellationToken)).Facilities.FirstOrDefault(f => f.Code == user.FacilityCode);
        }
        catch (FhirApiException)
        {
            // Address and phone are optional in the letter; the name and code come from the account.
        }

        var address = facility?.PostalCode is { Length: > 0 } postcode ? $"〒{postcode} {facility.Address}" : facility?.Address;
        senderInfo = new ReferralSenderInfo(facility?.Name ?? user.FacilityName ?? string.Empty, user.FacilityCode!, address, facility?.Phone, user.DisplayName);
        return senderInfo;
    }

    private async Task PrefillAsync(ReferralForm form, string basePatientId, CancellationToken cancellationToken)
    {
        var record = await records.LoadAsync(basePatientId, cancellationToken);
        var patient = record.Patient;
        var parts = (patient.MemberIdentifier ?? ":::").Split(':');
        form.Patient = new ReferralFormPatient
        {
            BasePatientId = patient.Id,
            Insurer = parts.ElementAtOrDefault(0),
            Symbol = parts.ElementAtOrDefault(1),
            Number = parts.ElementAtOrDefault(2),
            Branch = parts.ElementAtOrDefault(3),
            NameKanji = patient.NameKanji,
            NameKana = patient.NameKana,
            BirthDate = patient.BirthDate,
            Address = patient.Address,
            Sex = patient.Sex switch
            {
                PatientSex.Male => ReferralSex.Male,
                PatientSex.Female => ReferralSex.Female,
                PatientSex.Other => ReferralSex.Other,
                _ => ReferralSex.Unknown,
            },
        };

        var allergies = record.Allergies.ToList();
        var page = record.AllergiesPage;
        while (page.NextLink is { } next && record.AllergiesError is null)
        {
            var more = await records.MoreAllergiesAsync(basePatientId, next, allergies.Count, cancellationToken);
            allergies.AddRange(more.Items);
            page = more.Page;
        }

        var lines = allergies.Where(a => !a.EnteredInError && a.ClinicalStatus is not ("inactive" or "resolved"))
            .Select(AllergyLine).ToList();
        form.Allergies = lines.Count == 0 ? null : string.Join('\n', lines);
    }

    internal static string AllergyLine(Allergy allergy)
    {
        var reactions = string.Join("、", allergy.Reactions.Select(r => r.Manifestation).Where(m => !string.IsNullOrWhiteSpace(m)));
        var line = allergy.Substance;
        if (reactions.Length > 0)
        {
            line += "（" + reactions + "）";
        }

        return allergy.HighCriticality ? line + "【重篤】" : line;
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
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
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

/// <summary>Which shared-record list a pick comes from.</summary>
public enum SharedResourceKind
{
    Diagnosis,
    Allergy,
}

using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Consent;
using MedNetPortal.Web.Features.Emergency;
using MedNetPortal.Web.Features.Letters.Compose;
using MedNetPortal.Web.Features.Letters.Mailbox;
using MedNetPortal.Web.Features.Patients;
using MedNetPortal.Web.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace MedNetPortal.Web.Features.Home;

/// <summary>
/// What the home page shows, one call per tile so that each loads and fails on its own. Every call decides from the
/// signed-in user on the server whether they may see it, and answers null when not.
/// </summary>
public interface IHomeService
{
    /// <summary>Which tiles the user gets.</summary>
    Task<HomeAudience> AudienceAsync(CancellationToken cancellationToken);

    /// <summary>The facility's unread letters (clinicians): one Task search on the central base.</summary>
    Task<UnreadLetters?> GetUnreadLettersAsync(CancellationToken cancellationToken);

    /// <summary>The user's own unsent drafts (clinicians): the portal database only.</summary>
    Task<MyDrafts?> GetMyDraftsAsync(CancellationToken cancellationToken);

    /// <summary>Patients whose record the user opened in this session (clinicians): server memory only.</summary>
    Task<IReadOnlyList<HomePatient>?> GetRecentPatientsAsync(CancellationToken cancellationToken);

    /// <summary>Emergency-access notifications of the administrator's facility not yet marked read (facility administrators).</summary>
    Task<EmergencyReviews?> GetEmergencyReviewsAsync(CancellationToken cancellationToken);

    /// <summary>Suspended and locked accounts (administrators; a facility administrator's own facility only).</summary>
    Task<AccountsNeedingAttention?> GetAccountsNeedingAttentionAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The home page's data, from the features that own it: the mailbox (<see cref="IReferralMailbox.GetUnreadAsync"/>), the
/// drafts, the session's recent patients, and two counts over the portal database. Each database read has its own scope,
/// because the tiles load at the same time on one circuit.
/// </summary>
internal sealed class HomeService(
    ICurrentUserAccessor users,
    IReferralMailbox mailbox,
    ReferralDraftService drafts,
    IRecentPatients recent,
    IDbContextFactory<PortalDbContext> contexts,
    TimeProvider time) : IHomeService
{
    /// <summary>How many items a tile lists; the count says how many there are in all.</summary>
    public const int Newest = 3;

    /// <summary>How many accounts the administrators' tile names.</summary>
    public const int AccountsListed = 5;

    public async Task<HomeAudience> AudienceAsync(CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(cancellationToken).ConfigureAwait(false);
        return user is null
            ? HomeAudience.Nobody
            : new HomeAudience(Clinical(user), FacilityAdmin(user) is not null, AccountAdmin(user));
    }

    public async Task<UnreadLetters?> GetUnreadLettersAsync(CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(cancellationToken).ConfigureAwait(false);
        if (user is null || !Clinical(user))
        {
            return null;
        }

        var page = await mailbox.GetUnreadAsync(Newest, cancellationToken).ConfigureAwait(false);
        return page.Access == MailboxAccess.Allowed
            ? new UnreadLetters(page.Total, [.. page.Items.Select(i => new HomeLetter(i.LetterId, i.SentAt, i.From.Facility))])
            : null;
    }

    public async Task<MyDrafts?> GetMyDraftsAsync(CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(cancellationToken).ConfigureAwait(false);
        if (user is null || !Clinical(user))
        {
            return null;
        }

        var list = await drafts.ListAsync(ReferralDraftScope.Mine, 0, Newest, cancellationToken).ConfigureAwait(false);
        return new MyDrafts(list.Total, [.. list.Items.Select(d => new HomeDraft(d.Id, d.PatientDisplayName, d.DestinationName, d.UpdatedAt))]);
    }

    public async Task<IReadOnlyList<HomePatient>?> GetRecentPatientsAsync(CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(cancellationToken).ConfigureAwait(false);
        if (user is null || !Clinical(user))
        {
            return null;
        }

        var list = await recent.ListAsync(cancellationToken).ConfigureAwait(false);
        return [.. list.Select(p => new HomePatient(p.PatientId, p.NameKanji, p.NameKana, p.OpenedAt))];
    }

    public async Task<EmergencyReviews?> GetEmergencyReviewsAsync(CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(cancellationToken).ConfigureAwait(false);
        if (user is null || FacilityAdmin(user) is not { } facility)
        {
            return null;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return new EmergencyReviews(await db.Set<PortalNotification>().AsNoTracking()
            .CountAsync(n => n.FacilityCode == facility && n.Kind == PortalNotificationKinds.EmergencyAccess && n.ReadUtc == null, cancellationToken)
            .ConfigureAwait(false));
    }

    public async Task<AccountsNeedingAttention?> GetAccountsNeedingAttentionAsync(CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(cancellationToken).ConfigureAwait(false);
        if (user is null || !AccountAdmin(user))
        {
            return null;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var accounts = db.Users.AsNoTracking().Where(u => u.IsSuspended || u.LockoutEnd != null);
        var system = user.IsInRole(PortalRoles.SystemAdmin);
        if (!system)
        {
            // A facility administrator sees their own facility's accounts only, whatever else exists.
            var facility = user.FacilityCode;
            accounts = accounts.Where(u => u.FacilityCode == facility);
        }

        // A lockout ends by itself, so "locked" is decided here against the clock; SQLite cannot compare the stored offsets.
        var rows = await accounts
            .Select(u => new { u.Id, u.DisplayName, u.DisplayNameKana, u.FacilityName, u.IsSuspended, u.LockoutEnd })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var needing = rows
            .Select(r => new { r.Id, r.DisplayName, r.DisplayNameKana, r.FacilityName, r.IsSuspended, Locked = r.LockoutEnd is { } end && end > now })
            .Where(r => r.IsSuspended || r.Locked)
            .OrderBy(r => r.DisplayNameKana, StringComparer.Ordinal).ThenBy(r => r.DisplayName, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList();
        return new AccountsNeedingAttention(
            needing.Count(r => r.IsSuspended),
            needing.Count(r => r.Locked),
            needing.Count,
            // The facility is named for a system administrator only: a facility administrator's accounts are all their own facility's.
            [.. needing.Take(AccountsListed).Select(r => new HomeAccount(r.Id, r.DisplayName, system ? r.FacilityName : null, r.IsSuspended, r.Locked))]);
    }

    private static bool Clinical(CurrentUser user) => user.ClinicalFacility is not null;

    // Notifications belong to a facility; the page that reviews them is for its administrators only.
    private static string? FacilityAdmin(CurrentUser user) => user.IsInRole(PortalRoles.FacilityAdmin) ? user.FacilityCode : null;

    private static bool AccountAdmin(CurrentUser user) =>
        user.IsInRole(PortalRoles.SystemAdmin) || (user.IsInRole(PortalRoles.FacilityAdmin) && user.FacilityCode is not null);
}

/// <summary>Registration of the home page's service.</summary>
public static class HomeExtensions
{
    public static IServiceCollection AddHome(this IServiceCollection services)
    {
        services.AddScoped<IHomeService, HomeService>();
        return services;
    }
}

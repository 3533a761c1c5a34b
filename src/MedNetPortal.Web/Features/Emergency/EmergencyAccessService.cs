using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Options;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Features.Consent;
using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Features.Facilities;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Features.Emergency;

/// <summary>How a request for emergency access ended.</summary>
public enum EmergencyStartOutcome
{
    Granted,

    /// <summary>The account's facility is not an emergency hospital (or the account has none).</summary>
    NotAllowed,

    /// <summary>その他 without a text.</summary>
    ReasonTextRequired,

    /// <summary>The password (or the authenticator code) was wrong.</summary>
    WrongSecret,

    /// <summary>The account is locked out (too many wrong passwords or codes, here or at sign-in); nothing was checked.</summary>
    LockedOut,

    /// <summary>Too many requests from this account in a short time; nothing was checked.</summary>
    RateLimited,
}

/// <summary>The answer to a request for emergency access.</summary>
public sealed record EmergencyStartResult(EmergencyStartOutcome Outcome, DateTimeOffset? Until = null);

/// <summary>What the emergency form needs to know about the signed-in account.</summary>
public sealed record EmergencyFormInfo(bool Allowed, bool UsesAuthenticatorCode);

/// <summary>Emergency access (break-the-glass) for clinicians of emergency hospitals.</summary>
public interface IEmergencyAccessService
{
    /// <summary>Whether the user may use emergency access, and whether the form asks for the password or an authenticator code.</summary>
    Task<EmergencyFormInfo> FormInfoAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Verifies the password (or the TOTP code when the account has two-factor sign-in) on the server, then stores a grant
    /// for <c>Emergency:Duration</c>, records <c>EmergencyAccessStarted</c> and notifies the facility's administrators.
    /// </summary>
    Task<EmergencyStartResult> StartAsync(string patientId, EmergencyReason reason, string? reasonText, string secret, CancellationToken cancellationToken);
}

internal sealed class EmergencyAccessService(
    ICurrentUserAccessor currentUser,
    IServiceScopeFactory scopes,
    IDbContextFactory<PortalDbContext> dbFactory,
    IAuditTrail audit,
    IPatientAccessGate gate,
    IOptions<EmergencyOptions> options,
    Host.Security.PortalRateLimits limits,
    TimeProvider time) : IEmergencyAccessService
{
    public async Task<EmergencyFormInfo> FormInfoAsync(CancellationToken cancellationToken)
    {
        var user = await currentUser.GetAsync(cancellationToken).ConfigureAwait(false);
        if (user is null || !await AllowedAsync(user, cancellationToken).ConfigureAwait(false))
        {
            return new EmergencyFormInfo(false, false);
        }

        await using var scope = scopes.CreateAsyncScope();
        var account = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByIdAsync(user.UserId).ConfigureAwait(false);
        return new EmergencyFormInfo(account is not null, account?.TwoFactorEnabled == true);
    }

    public async Task<EmergencyStartResult> StartAsync(
        string patientId, EmergencyReason reason, string? reasonText, string secret, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        var user = await currentUser.GetAsync(cancellationToken).ConfigureAwait(false);
        if (user is null || !FhirSearchValue.IsValidId(patientId) || !Enum.IsDefined(reason) || !await AllowedAsync(user, cancellationToken).ConfigureAwait(false))
        {
            return new EmergencyStartResult(EmergencyStartOutcome.NotAllowed);
        }

        var text = string.IsNullOrWhiteSpace(reasonText) ? null : reasonText.Trim();
        if (reason == EmergencyReason.Other && text is null)
        {
            return new EmergencyStartResult(EmergencyStartOutcome.ReasonTextRequired);
        }

        // Break-the-glass re-authenticates like a sign-in: limited in rate, refused while locked out, every wrong password or
        // code counted towards the lockout, and every refusal audited.
        if (await limits.TryAcquireAsync(Host.Security.RateLimitKind.Emergency, user.UserId, address: null, cancellationToken).ConfigureAwait(false) is not null)
        {
            return await RefusedAsync(patientId, EmergencyStartOutcome.RateLimited, "rate-limited").ConfigureAwait(false);
        }

        // A scope of its own: the circuit's would keep the account as first read, and miss a lockout from a sign-in elsewhere.
        await using var accountScope = scopes.CreateAsyncScope();
        var users = accountScope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var account = await users.FindByIdAsync(user.UserId).ConfigureAwait(false);
        if (account is null)
        {
            return new EmergencyStartResult(EmergencyStartOutcome.NotAllowed);
        }

        if (await users.IsLockedOutAsync(account).ConfigureAwait(false))
        {
            return await RefusedAsync(patientId, EmergencyStartOutcome.LockedOut, "locked-out").ConfigureAwait(false);
        }

        if (!await VerifyAsync(users, account, secret ?? string.Empty).ConfigureAwait(false))
        {
            await users.AccessFailedAsync(account).ConfigureAwait(false);
            var locked = await users.IsLockedOutAsync(account).ConfigureAwait(false);
            return await RefusedAsync(
                patientId, locked ? EmergencyStartOutcome.LockedOut : EmergencyStartOutcome.WrongSecret,
                (account.TwoFactorEnabled ? "wrong-code" : "wrong-password") + (locked ? ";locked-out" : string.Empty)).ConfigureAwait(false);
        }

        await users.ResetAccessFailedCountAsync(account).ConfigureAwait(false);

        var now = time.GetUtcNow();
        var end = now + options.Value.Duration;
        db.Add(new EmergencyAccessGrant
        {
            Id = Guid.NewGuid(),
            UserId = user.UserId,
            FacilityCode = user.FacilityCode!,
            PatientId = patientId,
            Reason = reason,
            ReasonText = text,
            StartUtc = now.UtcDateTime,
            EndUtc = end.UtcDateTime,
        });
        db.Add(new PortalNotification
        {
            Id = Guid.NewGuid(),
            FacilityCode = user.FacilityCode!,
            Kind = PortalNotificationKinds.EmergencyAccess,
            ActorUserId = user.UserId,
            ActorName = user.DisplayName,
            PatientId = patientId,
            Reason = reason,
            ReasonText = text,
            CreatedUtc = now.UtcDateTime,
            EndsUtc = end.UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        gate.Forget(patientId);
        await audit.RecordAsync(
            new AuditRecord(AuditAction.EmergencyAccessStarted)
            {
                PatientId = patientId,
                Detail = reason.ToString(),
                Emergency = true,
            },
            cancellationToken).ConfigureAwait(false);
        return new EmergencyStartResult(EmergencyStartOutcome.Granted, end);
    }

    private async Task<EmergencyStartResult> RefusedAsync(string patientId, EmergencyStartOutcome outcome, string detail)
    {
        await audit.RecordAsync(
            new AuditRecord(AuditAction.EmergencyAccessRefused, AuditOutcome.Failure) { PatientId = patientId, Detail = detail },
            CancellationToken.None).ConfigureAwait(false);
        return new EmergencyStartResult(outcome);
    }

    private async Task<bool> AllowedAsync(CurrentUser user, CancellationToken cancellationToken)
    {
        if (user.FacilityCode is not { } code || !user.IsInRole(PortalRoles.Clinician))
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<PortalFacility>().AsNoTracking()
            .AnyAsync(f => f.Code == code && f.Active && f.IsEmergencyHospital, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> VerifyAsync(UserManager<PortalUser> users, PortalUser account, string secret)
    {
        if (account.TwoFactorEnabled)
        {
            var code = secret.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
            return await users.VerifyTwoFactorTokenAsync(account, users.Options.Tokens.AuthenticatorTokenProvider, code).ConfigureAwait(false);
        }

        return await users.CheckPasswordAsync(account, secret).ConfigureAwait(false);
    }
}

/// <summary>One notification as the admin page shows it.</summary>
public sealed record NotificationItem(Guid Id, string Kind, string? ActorName, string? PatientId, EmergencyReason? Reason, string? ReasonText,
    DateTimeOffset Created, DateTimeOffset? Ends, bool Read)
{
    /// <summary>For <see cref="PortalNotificationKinds.ReceptionConsent"/>: how the consent was confirmed.</summary>
    public Consent.ReceptionConsentReason? ConsentReason { get; init; }
}

/// <summary>The facility administrators' notifications (their own facility only).</summary>
public interface INotificationService
{
    /// <summary>Unread notifications of the admin's facility; 0 for anyone else.</summary>
    Task<int> UnreadCountAsync(CancellationToken cancellationToken);

    /// <summary>The newest <paramref name="take"/> notifications of the admin's facility and their total.</summary>
    Task<(IReadOnlyList<NotificationItem> Items, int Total)> ListAsync(int take, CancellationToken cancellationToken);

    /// <summary>Marks one as read (own facility only).</summary>
    Task MarkReadAsync(Guid id, CancellationToken cancellationToken);
}

internal sealed class NotificationService(ICurrentUserAccessor currentUser, IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time) : INotificationService
{
    public async Task<int> UnreadCountAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var code = await FacilityAsync(cancellationToken).ConfigureAwait(false);
        return code is null ? 0 : await db.Set<PortalNotification>().CountAsync(n => n.FacilityCode == code && n.ReadUtc == null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<(IReadOnlyList<NotificationItem> Items, int Total)> ListAsync(int take, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var code = await FacilityAsync(cancellationToken).ConfigureAwait(false);
        if (code is null)
        {
            return ([], 0);
        }

        var query = db.Set<PortalNotification>().AsNoTracking().Where(n => n.FacilityCode == code);
        var total = await query.CountAsync(cancellationToken).ConfigureAwait(false);
        var rows = await query.OrderByDescending(n => n.CreatedUtc).Take(take).ToListAsync(cancellationToken).ConfigureAwait(false);
        return (rows.Select(n => new NotificationItem(n.Id, n.Kind, n.ActorName, n.PatientId, n.Reason, n.ReasonText,
            Utc(n.CreatedUtc), n.EndsUtc is { } e ? Utc(e) : null, n.ReadUtc is not null) { ConsentReason = n.ConsentReason }).ToList(), total);
    }

    public async Task MarkReadAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var code = await FacilityAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.Set<PortalNotification>().FirstOrDefaultAsync(n => n.Id == id && n.FacilityCode == code, cancellationToken).ConfigureAwait(false);
        if (row is { ReadUtc: null })
        {
            row.ReadUtc = time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string?> FacilityAsync(CancellationToken cancellationToken)
    {
        var user = await currentUser.GetAsync(cancellationToken).ConfigureAwait(false);
        return user is not null && user.IsInRole(PortalRoles.FacilityAdmin) ? user.FacilityCode : null;
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

/// <summary>Registration of consent and emergency access.</summary>
public static class EmergencyExtensions
{
    public static IServiceCollection AddConsentAndEmergency(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<EmergencyOptions>(configuration, EmergencyOptions.SectionName);
        services.AddScoped<IPatientAccessGate, PatientAccessGate>();
        services.AddScoped<IConsentRecorder, ConsentRecorder>();
        services.AddScoped<IEmergencyAccessService, EmergencyAccessService>();
        services.AddScoped<INotificationService, NotificationService>();
        return services;
    }
}

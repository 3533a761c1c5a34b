using System.Security.Claims;
using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.Web.Host.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Features.Account.EntraId;

/// <summary>What became of an Entra ID user at sign-in.</summary>
public enum EntraSignInOutcome
{
    /// <summary>A portal user: roles, and a facility unless SystemAdmin.</summary>
    Registered,

    /// <summary>Known to Entra ID but without a portal role or facility: sees only the not-registered page.</summary>
    NotRegistered,

    /// <summary>The matching portal account is suspended: sees only the not-registered page.</summary>
    Suspended,
}

/// <summary>The mapped principal (the shape <see cref="CurrentUser.From"/> reads) and the outcome.</summary>
public sealed record EntraSignIn(EntraSignInOutcome Outcome, ClaimsPrincipal Principal);

/// <summary>
/// Turns the principal Entra ID signed in (object id, user name, app roles, optionally a facility claim) into a portal
/// principal: NameIdentifier (the portal account's id, or <c>entra:{oid}</c> for a user known only from the token), display
/// name, facility code and name, and portal roles. Entra's own claims are kept, because Microsoft.Identity.Web's token cache
/// finds the user's tokens by them.
/// </summary>
/// <remarks>
/// Facility: the configured <see cref="PortalAuthenticationOptions.FacilityClaim"/> when the token carries a valid 医療機関コード
/// of an active facility in the portal's registry; otherwise the portal account's facility. The account is found by
/// <see cref="PortalUser.EntraObjectId"/>, else by email when the account is not yet linked to another object id (the first
/// sign-in links it). Roles: the app roles mapped by the configured values, plus the account's own roles.
/// </remarks>
public sealed partial class EntraPrincipalMapper(
    IDbContextFactory<PortalDbContext> dbFactory,
    UserManager<PortalUser> users,
    IOptions<PortalAuthenticationOptions> options,
    TimeProvider time,
    ILogger<EntraPrincipalMapper> logger)
{
    /// <summary>Claim on every principal signed in through Entra ID.</summary>
    public const string AuthenticationMethodClaim = "mednet:auth";

    /// <summary>Present (the account id) when the principal is backed by a row of the portal's account table.</summary>
    public const string AccountClaim = "mednet:account";

    /// <summary>Present when the user may see nothing but the not-registered page; value "not-registered" or "suspended".</summary>
    public const string NotRegisteredClaim = "mednet:not_registered";

    public const string ObjectIdClaim = "oid";
    public const string ObjectIdClaimLong = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    private static readonly string[] EmailClaims = ["preferred_username", "email", "upn", ClaimTypes.Email, ClaimTypes.Upn];
    private static readonly string[] RoleClaims = ["roles", "role", ClaimTypes.Role];

    public async Task<EntraSignIn> MapAsync(ClaimsPrincipal entra, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entra);
        var settings = options.Value;
        var objectId = entra.FindFirstValue(ObjectIdClaim) ?? entra.FindFirstValue(ObjectIdClaimLong);
        var email = EmailClaims.Select(entra.FindFirstValue).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

        var account = await FindAccountAsync(objectId, email, cancellationToken);
        if (account is { IsSuspended: true })
        {
            return NotRegistered(entra, "suspended", EntraSignInOutcome.Suspended);
        }

        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var appRole in RoleClaims.SelectMany(entra.FindAll).Select(c => c.Value))
        {
            if (settings.PortalRoleFor(appRole) is { } role)
            {
                roles.Add(role);
            }
        }

        if (account is not null)
        {
            roles.UnionWith((await users.GetRolesAsync(account)).Where(r => PortalRoles.All.Contains(r)));
        }

        var (facilityCode, facilityName) = await FacilityAsync(entra, settings, account, cancellationToken);
        var isSystemAdmin = roles.Contains(PortalRoles.SystemAdmin);
        if (roles.Count == 0 || (facilityCode is null && !isSystemAdmin))
        {
            return NotRegistered(entra, "not-registered", EntraSignInOutcome.NotRegistered);
        }

        var id = account?.Id ?? (objectId is null ? null : "entra:" + objectId);
        if (id is null)
        {
            return NotRegistered(entra, "not-registered", EntraSignInOutcome.NotRegistered);
        }

        var claims = KeptEntraClaims(entra).ToList();
        claims.Add(new Claim(ClaimTypes.NameIdentifier, id));
        claims.Add(new Claim(AuthenticationMethodClaim, "entra"));
        claims.Add(new Claim(PortalClaimTypes.DisplayName, DisplayName(entra, account, email)));
        // Multi-factor sign-in is Entra ID's job (Conditional Access); the portal's own TOTP gate does not apply.
        claims.Add(new Claim(PortalClaimTypes.TwoFactorEnabled, "true"));
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        if (facilityCode is not null)
        {
            claims.Add(new Claim(PortalClaimTypes.FacilityCode, facilityCode));
            if (!string.IsNullOrEmpty(facilityName))
            {
                claims.Add(new Claim(PortalClaimTypes.FacilityName, facilityName));
            }
        }

        if (account is not null)
        {
            claims.Add(new Claim(AccountClaim, account.Id));
            claims.Add(new Claim(PortalClaimTypes.Profession, account.Profession.ToString()));
            account.LastSignInAt = time.GetUtcNow();
            await users.UpdateAsync(account);
        }

        return new EntraSignIn(EntraSignInOutcome.Registered, Principal(entra, claims));
    }

    private async Task<PortalUser?> FindAccountAsync(string? objectId, string? email, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(objectId))
        {
            var linked = await users.Users.FirstOrDefaultAsync(u => u.EntraObjectId == objectId, cancellationToken);
            if (linked is not null)
            {
                return linked;
            }
        }

        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        var normalized = users.NormalizeEmail(email);
        var byEmail = await users.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        if (byEmail is null)
        {
            return null;
        }

        if (byEmail.EntraObjectId is not null && !string.Equals(byEmail.EntraObjectId, objectId, StringComparison.Ordinal))
        {
            // The account belongs to another Entra user (an email address reused in the directory): never take it over.
            Log.EmailLinkedToOtherObject(logger);
            return null;
        }

        if (byEmail.EntraObjectId is null && !string.IsNullOrWhiteSpace(objectId))
        {
            byEmail.EntraObjectId = objectId;
            await users.UpdateAsync(byEmail);
        }

        return byEmail;
    }

    private async Task<(string? Code, string? Name)> FacilityAsync(
        ClaimsPrincipal entra, PortalAuthenticationOptions settings, PortalUser? account, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrWhiteSpace(settings.FacilityClaim)
            && entra.FindFirstValue(settings.FacilityClaim) is { Length: > 0 } claimed)
        {
            var code = MedicalInstitutionCode.Parse(claimed, requireJpClinsPattern: false).Value?.Value;
            var facility = code is null ? null : await db.Facilities.AsNoTracking().FirstOrDefaultAsync(f => f.Code == code, cancellationToken);
            if (facility is { Active: true })
            {
                return (facility.Code, facility.Name);
            }

            // An unknown or inactive facility in the token is not trusted; the account table may still know the user.
            Log.FacilityClaimNotRegistered(logger);
        }

        if (account?.FacilityCode is { Length: > 0 } accountCode)
        {
            var facility = await db.Facilities.AsNoTracking().FirstOrDefaultAsync(f => f.Code == accountCode, cancellationToken);
            if (facility is { Active: false })
            {
                return (null, null);
            }

            return (accountCode, facility?.Name ?? account.FacilityName);
        }

        return (null, null);
    }

    private static string DisplayName(ClaimsPrincipal entra, PortalUser? account, string? email) =>
        !string.IsNullOrWhiteSpace(account?.DisplayName) ? account.DisplayName
        : entra.FindFirstValue("name") is { Length: > 0 } name ? name
        : email ?? string.Empty;

    /// <summary>Entra's claims minus anything the portal decides itself (a token can never carry a portal claim in).</summary>
    private static IEnumerable<Claim> KeptEntraClaims(ClaimsPrincipal entra) =>
        entra.Claims
            .Where(c => c.Type != ClaimTypes.NameIdentifier && !RoleClaims.Contains(c.Type)
                        && !c.Type.StartsWith("mednet:", StringComparison.Ordinal))
            .Select(c => new Claim(c.Type, c.Value, c.ValueType, c.Issuer, c.OriginalIssuer));

    private static EntraSignIn NotRegistered(ClaimsPrincipal entra, string reason, EntraSignInOutcome outcome)
    {
        var claims = KeptEntraClaims(entra).ToList();
        claims.Add(new Claim(AuthenticationMethodClaim, "entra"));
        claims.Add(new Claim(NotRegisteredClaim, reason));
        var name = entra.FindFirstValue("name") ?? EmailClaims.Select(entra.FindFirstValue).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        if (!string.IsNullOrEmpty(name))
        {
            claims.Add(new Claim(PortalClaimTypes.DisplayName, name));
        }

        return new EntraSignIn(outcome, Principal(entra, claims));
    }

    private static ClaimsPrincipal Principal(ClaimsPrincipal entra, IEnumerable<Claim> claims) =>
        new(new ClaimsIdentity(claims, entra.Identity?.AuthenticationType ?? "EntraId", PortalClaimTypes.DisplayName, ClaimTypes.Role));

    private static partial class Log
    {
        [LoggerMessage(EventId = 5401, Level = LogLevel.Warning,
            Message = "Entra ID sign-in: the token's facility claim names no active registered facility; it was ignored.")]
        public static partial void FacilityClaimNotRegistered(ILogger logger);

        [LoggerMessage(EventId = 5402, Level = LogLevel.Warning,
            Message = "Entra ID sign-in: the email matches an account linked to another Entra object id; not matched.")]
        public static partial void EmailLinkedToOtherObject(ILogger logger);
    }
}

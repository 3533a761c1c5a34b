using System.Net;
using System.Security.Claims;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Account.EntraId;
using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Features.Facilities;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MedNetPortal.IntegrationTests.Account.EntraId;

/// <summary>
/// One Entra ID portal with a small registry (two active facilities, one closed) and accounts; each test maps a principal
/// carrying Entra claims, built here, through the app's own <see cref="EntraPrincipalMapper"/>.
/// </summary>
public sealed class EntraIdMappingFixture : IAsyncLifetime
{
    public const string ClinicCode = "1310267898";
    public const string ClinicName = "さくら内科クリニック";
    public const string HospitalCode = "1310123455";
    public const string HospitalName = "みどり台総合病院";
    public const string ClosedCode = "1311111111";

    internal EntraIdPortal Portal { get; } = new(new Dictionary<string, string?>());

    public async Task InitializeAsync()
    {
        _ = Portal.RootUri;
        await using var scope = Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        db.Facilities.AddRange(
            new PortalFacility { Code = ClinicCode, Name = ClinicName, Active = true },
            new PortalFacility { Code = HospitalCode, Name = HospitalName, Active = true },
            new PortalFacility { Code = ClosedCode, Name = "閉院医院", Active = false });
        await db.SaveChangesAsync();

        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        await AddAsync(users, "tanaka@clinic.example", "田中 一郎", ClinicCode, ClinicName, PortalRoles.Clinician, objectId: "oid-tanaka");
        await AddAsync(users, "admin@hospital.example", "高橋 美咲", HospitalCode, HospitalName, PortalRoles.FacilityAdmin);
        await AddAsync(users, "suspended@clinic.example", "停止 太郎", ClinicCode, ClinicName, PortalRoles.Clinician, objectId: "oid-suspended", suspended: true);
        await AddAsync(users, "linked@clinic.example", "別人 花子", ClinicCode, ClinicName, PortalRoles.Clinician, objectId: "oid-someone-else");
        await AddAsync(users, "closed@closed.example", "閉院 次郎", ClosedCode, "閉院医院", PortalRoles.Clinician, objectId: "oid-closed");
    }

    public async Task DisposeAsync() => await Portal.DisposeAsync();

    internal async Task<EntraSignIn> MapAsync(params (string Type, string Value)[] claims)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<EntraPrincipalMapper>()
            .MapAsync(EntraIdPortal.EntraPrincipal(claims), CancellationToken.None);
    }

    internal async Task<PortalUser> AccountAsync(string email)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email))!;
    }

    private static async Task AddAsync(
        UserManager<PortalUser> users, string email, string name, string code, string facilityName, string role,
        string? objectId = null, bool suspended = false)
    {
        var user = new PortalUser
        {
            UserName = email, Email = email, DisplayName = name, FacilityCode = code, FacilityName = facilityName,
            EntraObjectId = objectId, IsSuspended = suspended, Profession = Profession.Doctor,
        };
        Assert.True((await users.CreateAsync(user)).Succeeded, email);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded, email);
    }
}

public sealed class EntraIdMappingTests(EntraIdMappingFixture fixture) : IClassFixture<EntraIdMappingFixture>
{
    private const string Facility = "extension_facilityCode";

    [Fact]
    public async Task Facility_from_the_configured_claim_and_app_role_gives_a_portal_user_without_an_account()
    {
        var result = await fixture.MapAsync(
            ("oid", "oid-new"), ("tid", EntraIdPortal.TenantId), ("preferred_username", "new@hospital.example"),
            ("name", "新人 医師"), ("roles", "MedNet.Clinician"), (Facility, EntraIdMappingFixture.HospitalCode));

        var user = CurrentUser.From(result.Principal);
        Assert.Equal(EntraSignInOutcome.Registered, result.Outcome);
        Assert.NotNull(user);
        Assert.Equal("entra:oid-new", user.UserId);
        Assert.Equal("新人 医師", user.DisplayName);
        Assert.Equal(EntraIdMappingFixture.HospitalCode, user.FacilityCode);
        Assert.Equal(EntraIdMappingFixture.HospitalName, user.FacilityName);
        Assert.Equal([PortalRoles.Clinician], user.Roles);
        Assert.True(result.Principal.IsInRole(PortalRoles.Clinician));
        // Kept for Microsoft.Identity.Web's token cache.
        Assert.Equal("oid-new", result.Principal.FindFirstValue("oid"));
        Assert.Equal(EntraIdPortal.TenantId, result.Principal.FindFirstValue("tid"));
    }

    [Fact]
    public async Task Facility_from_the_account_table_by_object_id()
    {
        var tanaka = await fixture.AccountAsync("tanaka@clinic.example");

        var result = await fixture.MapAsync(("oid", "oid-tanaka"), ("preferred_username", "t.tanaka@tenant.example"), ("roles", "MedNet.Clinician"));

        var user = CurrentUser.From(result.Principal)!;
        Assert.Equal(EntraSignInOutcome.Registered, result.Outcome);
        Assert.Equal(tanaka.Id, user.UserId);
        Assert.Equal("田中 一郎", user.DisplayName);
        Assert.Equal(EntraIdMappingFixture.ClinicCode, user.FacilityCode);
        Assert.Equal(EntraIdMappingFixture.ClinicName, user.FacilityName);
        Assert.Equal([PortalRoles.Clinician], user.Roles);
        Assert.NotNull((await fixture.AccountAsync("tanaka@clinic.example")).LastSignInAt);
    }

    [Fact]
    public async Task Account_found_by_email_is_linked_to_the_object_id_and_its_own_roles_apply()
    {
        var result = await fixture.MapAsync(("oid", "oid-admin"), ("preferred_username", "ADMIN@hospital.example"), ("name", "Takahashi"));

        var user = CurrentUser.From(result.Principal)!;
        Assert.Equal(EntraSignInOutcome.Registered, result.Outcome);
        Assert.Equal([PortalRoles.FacilityAdmin], user.Roles);
        Assert.Equal(EntraIdMappingFixture.HospitalCode, user.FacilityCode);
        Assert.Equal("oid-admin", (await fixture.AccountAsync("admin@hospital.example")).EntraObjectId);
    }

    [Fact]
    public async Task App_roles_map_to_portal_roles_and_unknown_role_values_are_ignored()
    {
        var result = await fixture.MapAsync(
            ("oid", "oid-multi"), ("roles", "MedNet.FacilityAdmin"), ("roles", "MedNet.Clinician"), ("roles", "Other.Admin"),
            (Facility, EntraIdMappingFixture.ClinicCode));

        Assert.Equal([PortalRoles.Clinician, PortalRoles.FacilityAdmin], CurrentUser.From(result.Principal)!.Roles);
    }

    [Fact]
    public async Task SystemAdmin_needs_no_facility()
    {
        var result = await fixture.MapAsync(("oid", "oid-sys"), ("preferred_username", "ops@mednet.example"), ("roles", "MedNet.SystemAdmin"));

        var user = CurrentUser.From(result.Principal)!;
        Assert.Equal(EntraSignInOutcome.Registered, result.Outcome);
        Assert.Equal([PortalRoles.SystemAdmin], user.Roles);
        Assert.Null(user.FacilityCode);
    }

    [Theory]
    [InlineData("no facility anywhere", "oid-stranger", "stranger@elsewhere.example", "MedNet.Clinician", null)]
    [InlineData("facility claim but no portal role", "oid-norole", "norole@x.example", "Other.Role", EntraIdMappingFixture.ClinicCode)]
    [InlineData("facility claim not in the registry", "oid-unknown", "unknown@x.example", "MedNet.Clinician", "1310000001")]
    [InlineData("facility claim of a closed facility", "oid-closedclaim", "closedclaim@x.example", "MedNet.Clinician", EntraIdMappingFixture.ClosedCode)]
    [InlineData("facility claim not a code", "oid-garbage", "garbage@x.example", "MedNet.Clinician", "13-abc")]
    [InlineData("account of a closed facility", "oid-closed", "closed@closed.example", "MedNet.Clinician", null)]
    [InlineData("email of an account linked to another object id", "oid-intruder", "linked@clinic.example", "MedNet.Clinician", null)]
    public async Task Known_to_Entra_but_not_registered_gets_no_portal_identity(string because, string oid, string email, string role, string? facility)
    {
        var claims = new List<(string, string)> { ("oid", oid), ("preferred_username", email), ("roles", role) };
        if (facility is not null)
        {
            claims.Add((Facility, facility));
        }

        var result = await fixture.MapAsync([.. claims]);

        Assert.True(result.Outcome == EntraSignInOutcome.NotRegistered, because);
        Assert.True(result.Principal.Identity!.IsAuthenticated);
        Assert.Null(CurrentUser.From(result.Principal));
        Assert.Empty(result.Principal.FindAll(ClaimTypes.Role));
        Assert.Null(result.Principal.FindFirst(PortalClaimTypes.FacilityCode));
        Assert.Equal("not-registered", result.Principal.FindFirstValue(EntraPrincipalMapper.NotRegisteredClaim));
    }

    [Fact]
    public async Task Suspended_account_is_refused_even_with_an_app_role()
    {
        var result = await fixture.MapAsync(("oid", "oid-suspended"), ("roles", "MedNet.Clinician"), (Facility, EntraIdMappingFixture.ClinicCode));

        Assert.Equal(EntraSignInOutcome.Suspended, result.Outcome);
        Assert.Null(CurrentUser.From(result.Principal));
    }

    [Fact]
    public async Task A_token_cannot_smuggle_in_portal_claims()
    {
        var result = await fixture.MapAsync(
            ("oid", "oid-smuggler"), ("roles", "MedNet.Clinician"), (Facility, EntraIdMappingFixture.ClinicCode),
            (PortalClaimTypes.FacilityCode, EntraIdMappingFixture.HospitalCode), (ClaimTypes.Role, "SystemAdmin"),
            (ClaimTypes.NameIdentifier, "someone-else"));

        var user = CurrentUser.From(result.Principal)!;
        Assert.Equal("entra:oid-smuggler", user.UserId);
        Assert.Equal(EntraIdMappingFixture.ClinicCode, Assert.Single(result.Principal.FindAll(PortalClaimTypes.FacilityCode)).Value);
        Assert.Equal([PortalRoles.Clinician], user.Roles);
    }

    [Fact]
    public async Task The_sign_in_handler_replaces_the_Entra_principal_with_the_mapped_one()
    {
        var oidc = fixture.Portal.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OpenIdConnectDefaults.AuthenticationScheme);
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var scheme = new AuthenticationScheme(OpenIdConnectDefaults.AuthenticationScheme, null, typeof(OpenIdConnectHandler));
        var context = new TokenValidatedContext(
            http, scheme, oidc, EntraIdPortal.EntraPrincipal(("oid", "oid-tanaka"), ("roles", "MedNet.Clinician")), new AuthenticationProperties())
        {
            ProtocolMessage = new Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectMessage(),
            SecurityToken = new System.IdentityModel.Tokens.Jwt.JwtSecurityToken(),
        };

        await oidc.Events.TokenValidated(context);

        Assert.Equal(EntraIdMappingFixture.ClinicCode, CurrentUser.From(context.Principal)!.FacilityCode);
    }

    [Fact]
    public async Task Unregistered_user_is_sent_to_the_not_registered_page_from_every_page()
    {
        using var client = fixture.Portal.CreatePortalClient();
        var stranger = EntraIdPortal.Header(("oid", "oid-stranger2"), ("preferred_username", "stranger@elsewhere.example"), ("name", "Stranger"));

        foreach (var path in new[] { "/", "/patients", "/referrals/drafts", "/letters/x" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add(EntraIdPortal.TestUserHeader, stranger);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(EntraIdExtensions.NotRegisteredPath, response.Headers.Location!.OriginalString);
        }

        var (ja, jaStatus) = await GetAsync(client, EntraIdExtensions.NotRegisteredPath, stranger, "ja-JP");
        var (en, enStatus) = await GetAsync(client, EntraIdExtensions.NotRegisteredPath, stranger, "en");
        Assert.Equal(HttpStatusCode.OK, jaStatus);
        Assert.Contains("ポータルに登録されていません", ja, StringComparison.Ordinal);
        Assert.Contains("Stranger", ja, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, enStatus);
        Assert.Contains("Not registered with the portal", en, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suspended_user_sees_the_suspended_reason_and_a_registered_user_gets_the_portal_with_their_facility()
    {
        using var client = fixture.Portal.CreatePortalClient();

        var (suspended, _) = await GetAsync(client, EntraIdExtensions.NotRegisteredPath,
            EntraIdPortal.Header(("oid", "oid-suspended"), ("roles", "MedNet.Clinician")), "ja-JP");
        var (home, status) = await GetAsync(client, "/",
            EntraIdPortal.Header(("oid", "oid-home"), ("name", "来院 医師"), ("roles", "MedNet.Clinician"), (Facility, EntraIdMappingFixture.HospitalCode)), "ja-JP");

        Assert.Contains("このアカウントは停止されています", suspended, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(EntraIdMappingFixture.HospitalName, home, StringComparison.Ordinal);
        Assert.Contains("来院 医師", home, StringComparison.Ordinal);
    }

    [Fact]
    public void Role_values_are_configurable()
    {
        var options = new PortalAuthenticationOptions { ClinicianRole = "Doctors", SystemAdminRole = "Ops" };

        Assert.Equal(PortalRoles.Clinician, options.PortalRoleFor("Doctors"));
        Assert.Equal(PortalRoles.SystemAdmin, options.PortalRoleFor("Ops"));
        Assert.Null(options.PortalRoleFor("MedNet.Clinician"));
    }

    private static async Task<(string Html, HttpStatusCode Status)> GetAsync(HttpClient client, string path, string header, string language)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(EntraIdPortal.TestUserHeader, header);
        request.Headers.AcceptLanguage.ParseAdd(language);
        using var response = await client.SendAsync(request);
        return (await response.Content.ReadAsStringAsync(), response.StatusCode);
    }
}

public sealed class EntraIdSignOutTests(EntraIdMappingFixture fixture) : IClassFixture<EntraIdMappingFixture>
{
    [Fact]
    public async Task Sign_out_ends_the_portal_session_and_goes_to_the_tenant_end_session_endpoint()
    {
        using var client = fixture.Portal.CreatePortalClient();
        var stranger = EntraIdPortal.Header(("oid", "oid-leaving"), ("preferred_username", "leaving@elsewhere.example"));
        using var page = new HttpRequestMessage(HttpMethod.Get, EntraIdExtensions.NotRegisteredPath);
        page.Headers.Add(EntraIdPortal.TestUserHeader, stranger);
        using var pageResponse = await client.SendAsync(page);
        var html = await pageResponse.Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var antiforgeryCookie = string.Join("; ", pageResponse.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));

        using var logout = new HttpRequestMessage(HttpMethod.Post, "/account/logout")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["ReturnUrl"] = "/patients" }),
        };
        logout.Headers.Add(EntraIdPortal.TestUserHeader, stranger);
        logout.Headers.Add("Cookie", antiforgeryCookie);
        using var response = await client.SendAsync(logout);

        Assert.NotEmpty(token);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal($"https://login.example.test/{EntraIdPortal.TenantId}/oauth2/v2.0/logout", location.GetLeftPart(UriPartial.Path));
        Assert.Contains(Uri.EscapeDataString(new Uri(fixture.Portal.RootUri, "signout-callback-oidc").ToString()), location.Query, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".MedNetPortal.Session=;", StringComparison.Ordinal));
    }
}

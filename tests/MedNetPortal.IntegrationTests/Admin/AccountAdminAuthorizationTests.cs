using System.Net;
using MedNetPortal.IntegrationTests.Account;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Admin.Accounts;

namespace MedNetPortal.IntegrationTests.Admin;

/// <summary>
/// The authorization matrix: every role against every page (HTTP GET) and every account-administration action against an
/// account of facility A and of facility B. Each row states its outcome.
/// </summary>
public sealed class AccountAdminAuthorizationTests(AdminPortalFactory factory) : IClassFixture<AdminPortalFactory>
{
    public enum Page
    {
        Ok,
        Login,
        AccessDenied,
    }

    private const string AnyGuid = "0f8fad5b-d9cb-469f-a165-70867728950e";

    public static TheoryData<string, Actor, Page> Pages()
    {
        var data = new TheoryData<string, Actor, Page>();
        string[] admin =
        [
            "/admin/accounts", "/admin/accounts/new", $"/admin/accounts/{AnyGuid}",
            "/admin/facilities", "/admin/facilities/new", $"/admin/facilities/{MedNetPortal.Web.Features.Demo.DemoFacilities.ClinicCode}",
        ];
        string[] clinical =
        [
            "/", "/patients", $"/patients/{AnyGuid}", "/referrals/inbox", "/referrals/outbox", "/referrals/new", "/referrals/drafts",
            $"/letters/{AnyGuid}",
        ];
        foreach (var path in admin)
        {
            data.Add(path, Actor.Anonymous, Page.Login);
            data.Add(path, Actor.ClinicianOfA, Page.AccessDenied);
            data.Add(path, Actor.FacilityAdminOfA, Page.Ok);
            data.Add(path, Actor.SystemAdmin, Page.Ok);
        }

        foreach (var path in clinical)
        {
            // Clinical pages are a clinician's (issue 11, item 4); the home page is everyone's.
            var administrators = path == "/" ? Page.Ok : Page.AccessDenied;
            data.Add(path, Actor.Anonymous, Page.Login);
            data.Add(path, Actor.ClinicianOfA, Page.Ok);
            data.Add(path, Actor.FacilityAdminOfA, administrators);
            data.Add(path, Actor.SystemAdmin, administrators);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_get(string path, Actor actor, Page expected)
    {
        using var browser = await BrowserAsync(actor);
        using var response = await browser.Client.GetAsync(new Uri(path, UriKind.Relative));
        var location = PortalBrowser.LocationOf(response);
        switch (expected)
        {
            case Page.Ok:
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                break;
            case Page.Login:
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.StartsWith("/account/login", location, StringComparison.Ordinal);
                break;
            case Page.AccessDenied:
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.StartsWith(AccountExtensions.AccessDeniedPath, location, StringComparison.Ordinal);
                var (status, html) = await browser.GetAsync(location!);
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.Contains("アクセス権がありません", html, StringComparison.Ordinal);
                break;
        }
    }

    public enum Action
    {
        Get,
        Suspend,
        Reactivate,
        ResetPassword,
        ResetTwoFactor,
    }

    public static TheoryData<Actor, char, Action, AdminOutcome> Actions()
    {
        var data = new TheoryData<Actor, char, Action, AdminOutcome>();
        foreach (var action in Enum.GetValues<Action>())
        {
            foreach (var facility in new[] { 'A', 'B' })
            {
                data.Add(Actor.Anonymous, facility, action, AdminOutcome.Forbidden);
                data.Add(Actor.ClinicianOfA, facility, action, AdminOutcome.Forbidden);
                data.Add(Actor.FacilityAdminOfA, facility, action, facility == 'A' ? AdminOutcome.Succeeded : AdminOutcome.Forbidden);
                data.Add(Actor.SystemAdmin, facility, action, AdminOutcome.Succeeded);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task Action_on_an_account_of_a_facility(Actor actor, char facility, Action action, AdminOutcome expected)
    {
        var (targetId, targetEmail) = await factory.NewAccountAsync(PortalRoles.Clinician, facility == 'A' ? AdminPortalFactory.A : AdminPortalFactory.B, "target");
        var before = await TestAccounts.FindAsync(factory.Services, targetEmail);
        var service = factory.ServiceAs(await ActorAsync(actor));

        var outcome = action switch
        {
            Action.Get => (await service.GetAsync(targetId)).Outcome,
            Action.Suspend => (await service.SuspendAsync(targetId)).Outcome,
            Action.Reactivate => (await service.ReactivateAsync(targetId)).Outcome,
            Action.ResetPassword => (await service.ResetPasswordAsync(targetId, null)).Outcome,
            Action.ResetTwoFactor => (await service.ResetTwoFactorAsync(targetId)).Outcome,
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };

        Assert.Equal(expected, outcome);
        var after = await TestAccounts.FindAsync(factory.Services, targetEmail);
        if (expected != AdminOutcome.Succeeded || action is Action.Get)
        {
            // Refused (or only read): nothing about the account changed.
            Assert.Equal(before!.SecurityStamp, after!.SecurityStamp);
            Assert.Equal(before.ConcurrencyStamp, after.ConcurrencyStamp);
        }
        else if (action is Action.Suspend)
        {
            Assert.True(after!.IsSuspended);
        }
    }

    public static TheoryData<Actor, string, char?, AdminOutcome> Creations() => new()
    {
        { Actor.Anonymous, PortalRoles.Clinician, 'A', AdminOutcome.Forbidden },
        { Actor.ClinicianOfA, PortalRoles.Clinician, 'A', AdminOutcome.Forbidden },
        { Actor.FacilityAdminOfA, PortalRoles.Clinician, 'A', AdminOutcome.Succeeded },
        { Actor.FacilityAdminOfA, PortalRoles.FacilityAdmin, null, AdminOutcome.Succeeded },
        { Actor.FacilityAdminOfA, PortalRoles.Clinician, 'B', AdminOutcome.Forbidden },
        { Actor.FacilityAdminOfA, PortalRoles.SystemAdmin, null, AdminOutcome.Forbidden },
        { Actor.SystemAdmin, PortalRoles.Clinician, 'B', AdminOutcome.Succeeded },
        { Actor.SystemAdmin, PortalRoles.FacilityAdmin, 'A', AdminOutcome.Succeeded },
        { Actor.SystemAdmin, PortalRoles.SystemAdmin, null, AdminOutcome.Succeeded },
    };

    [Theory]
    [MemberData(nameof(Creations))]
    public async Task Create(Actor actor, string role, char? facility, AdminOutcome expected)
    {
        await factory.EnsureFacilitiesAsync();
        var me = await ActorAsync(actor);
        var email = $"new-{Guid.NewGuid():N}@test.example";
        var code = facility switch { 'A' => AdminPortalFactory.A.Code, 'B' => AdminPortalFactory.B.Code, _ => null };

        var result = await factory.ServiceAs(me).CreateAsync(new NewAccount("新規 一郎", "シンキ イチロウ", email, Profession.Nurse, role, code, null));

        Assert.Equal(expected, result.Outcome);
        var stored = await TestAccounts.FindAsync(factory.Services, email);
        if (expected != AdminOutcome.Succeeded)
        {
            Assert.Null(stored);
            return;
        }

        Assert.NotNull(stored);
        // A FacilityAdmin's accounts are always in their own facility; a SystemAdmin account in none.
        var expectedFacility = role == PortalRoles.SystemAdmin ? null : actor == Actor.FacilityAdminOfA ? AdminPortalFactory.A.Code : code;
        Assert.Equal(expectedFacility, stored.FacilityCode);
        Assert.Matches("^([a-z2-9]{4}-){4}[a-z2-9]{4}$", result.Value!.GeneratedPassword);
        using var browser = PortalBrowser.Open(factory);
        using var signIn = await browser.SignInAsync(email, result.Value.GeneratedPassword!);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    [Theory]
    [InlineData(Actor.Anonymous, AdminOutcome.Forbidden)]
    [InlineData(Actor.ClinicianOfA, AdminOutcome.Forbidden)]
    [InlineData(Actor.FacilityAdminOfA, AdminOutcome.Succeeded)]
    [InlineData(Actor.SystemAdmin, AdminOutcome.Succeeded)]
    public async Task Search_never_shows_another_facility_to_a_facility_admin(Actor actor, AdminOutcome expected)
    {
        var (inA, _) = await factory.NewAccountAsync(PortalRoles.Clinician, AdminPortalFactory.A, "search");
        var (inB, _) = await factory.NewAccountAsync(PortalRoles.Clinician, AdminPortalFactory.B, "search");
        var service = factory.ServiceAs(await ActorAsync(actor));

        // A FacilityAdmin asking for facility B still gets facility A only.
        var askedForB = await service.SearchAsync(new AccountQuery("search-", AdminPortalFactory.B.Code, PageSize: 100));
        var all = await service.SearchAsync(new AccountQuery("search-", PageSize: 100));
        var scope = await service.GetScopeAsync();

        Assert.Equal(expected, askedForB.Outcome);
        Assert.Equal(expected, all.Outcome);
        Assert.Equal(expected, scope.Outcome);
        if (actor == Actor.FacilityAdminOfA)
        {
            Assert.All(askedForB.Value!.Items.Concat(all.Value!.Items), a => Assert.Equal(AdminPortalFactory.A.Code, a.FacilityCode));
            Assert.Contains(all.Value.Items, a => a.Id == inA);
            Assert.DoesNotContain(all.Value.Items, a => a.Id == inB);
            Assert.Equal([PortalRoles.Clinician, PortalRoles.FacilityAdmin], scope.Value!.GrantableRoles);
            Assert.Equal([AdminPortalFactory.A.Code], scope.Value.Facilities.Select(f => f.Code));
        }
        else if (actor == Actor.SystemAdmin)
        {
            Assert.All(askedForB.Value!.Items, a => Assert.Equal(AdminPortalFactory.B.Code, a.FacilityCode));
            Assert.Contains(askedForB.Value.Items, a => a.Id == inB);
            Assert.Contains(all.Value!.Items, a => a.Id == inA);
            Assert.Contains(PortalRoles.SystemAdmin, scope.Value!.GrantableRoles);
        }
    }

    [Fact]
    public async Task A_facility_admin_cannot_touch_a_system_admin_nor_an_admin_of_another_facility()
    {
        var (sysId, _) = await factory.NewAccountAsync(PortalRoles.SystemAdmin, null, "sys");
        var (adminB, _) = await factory.NewAccountAsync(PortalRoles.FacilityAdmin, AdminPortalFactory.B, "adminb");
        var (adminA, _) = await factory.NewAccountAsync(PortalRoles.FacilityAdmin, AdminPortalFactory.A, "admina");
        var service = factory.ServiceAs(await ActorAsync(Actor.FacilityAdminOfA));

        Assert.Equal(AdminOutcome.Forbidden, (await service.SuspendAsync(sysId)).Outcome);
        Assert.Equal(AdminOutcome.Forbidden, (await service.GetAsync(adminB)).Outcome);
        Assert.Equal(AdminOutcome.Succeeded, (await service.GetAsync(adminA)).Outcome);
        Assert.Equal(AdminOutcome.NotFound, (await service.GetAsync(Guid.NewGuid().ToString())).Outcome);
        Assert.Equal(AdminOutcome.NotFound, (await service.GetAsync("../other")).Outcome);
    }

    private async Task<CurrentUser?> ActorAsync(Actor actor)
    {
        if (actor == Actor.Anonymous)
        {
            return null;
        }

        var (role, facility) = Describe(actor);
        var (id, _) = await factory.NewAccountAsync(role, facility, "actor");
        return new CurrentUser(id, "操作 者", facility?.Code, facility?.Name, [role]);
    }

    private async Task<PortalBrowser> BrowserAsync(Actor actor)
    {
        if (actor == Actor.Anonymous)
        {
            return PortalBrowser.Open(factory);
        }

        var (role, facility) = Describe(actor);
        var (_, email) = await factory.NewAccountAsync(role, facility, "page");
        return await PortalBrowser.SignedInAsync(factory, email);
    }

    private static (string Role, MedNetPortal.Web.Features.Demo.DemoFacility? Facility) Describe(Actor actor) => actor switch
    {
        Actor.ClinicianOfA => (PortalRoles.Clinician, AdminPortalFactory.A),
        Actor.FacilityAdminOfA => (PortalRoles.FacilityAdmin, AdminPortalFactory.A),
        Actor.SystemAdmin => (PortalRoles.SystemAdmin, null),
        _ => throw new ArgumentOutOfRangeException(nameof(actor)),
    };
}

using System.Security.Claims;
using Bunit.TestDoubles;
using MedNetPortal.Web.Features.Account;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MedNetPortal.ComponentTests.Account;

public sealed class AccountBarTests : PortalTestContext
{
    private readonly BunitAuthorizationContext authorization;

    public AccountBarTests()
    {
        Services.AddSingleton<AntiforgeryStateProvider>(new FixedAntiforgery());
        Services.AddSingleton(Options.Create(new SecurityOptions { IdleTimeoutMinutes = 10, IdleWarningSeconds = 30 }));
        authorization = AddAuthorization();
    }

    private void SignIn(string name, string? facilityName, params string[] roles)
    {
        authorization.SetAuthorized(name);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, "user-1"),
            new(PortalClaimTypes.DisplayName, name),
        };
        if (facilityName is not null)
        {
            claims.Add(new(PortalClaimTypes.FacilityCode, "1310123455"));
            claims.Add(new(PortalClaimTypes.FacilityName, facilityName));
        }

        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        authorization.SetClaims([.. claims]);
    }

    [Fact]
    public void Signed_in_user_sees_name_facility_and_a_menu_with_2FA_settings_and_sign_out()
    {
        var idle = JSInterop.SetupModule(IdleTimeout.ModulePath);
        SignIn("青木 誠一", "みどり台総合病院", PortalRoles.Clinician);

        // The menu's items render in MudBlazor's popover provider, as in the layout.
        var bar = Render(b =>
        {
            b.OpenComponent<MudBlazor.MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<AccountBar>(1);
            b.CloseComponent();
        });
        // The menu is one real button named by the user's name (no control nested in another); the facility is beside it.
        var button = bar.Find("[data-testid=user-menu] button");
        Assert.Empty(button.QuerySelectorAll("button, a, input, [tabindex], [role=button]"));
        Assert.Equal("青木 誠一", button.TextContent.Trim());
        Assert.Equal("みどり台総合病院", bar.Find("[data-testid=user-facility]").TextContent);
        button.Click();

        Assert.Equal("account/two-factor", bar.WaitForElement("[data-testid=user-menu-2fa]").GetAttribute("href"));
        var signOut = bar.Find("[data-testid=user-menu-signout]");
        Assert.Equal("サインアウト", signOut.TextContent.Trim());
        var form = signOut.Closest("form")!;
        Assert.Equal("account/logout", form.GetAttribute("action"));
        Assert.Equal("test-token", form.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value"));
        // The idle watcher runs with the configured times.
        // It starts after the first render, asynchronously (module import, then start): wait for it rather than race it.
        bar.WaitForAssertion(() => Assert.Equal(10 * 60 * 1000, idle.VerifyInvoke("start").Arguments[2]));
    }

    [Fact]
    public void System_administrator_without_a_facility_is_labelled_as_such()
    {
        JSInterop.SetupModule(IdleTimeout.ModulePath);
        SignIn("システム管理者", null, PortalRoles.SystemAdmin);

        var bar = Render<AccountBar>();

        Assert.Equal("システム管理", bar.Find("[data-testid=user-facility]").TextContent);
    }

    [Fact]
    public void Nothing_shows_and_no_idle_watcher_starts_when_nobody_is_signed_in()
    {
        authorization.SetNotAuthorized();

        var bar = Render<AccountBar>();

        Assert.Empty(bar.FindAll("[data-testid=user-menu]"));
        Assert.Empty(JSInterop.Invocations);
    }

    [Fact]
    public void CurrentUser_reads_the_facility_and_roles_from_the_principal()
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, "u1"),
            new Claim(PortalClaimTypes.DisplayName, "森 一郎"),
            new Claim(PortalClaimTypes.FacilityCode, "1310267898"),
            new Claim(PortalClaimTypes.FacilityName, "さくら内科クリニック"),
            new Claim(ClaimTypes.Role, PortalRoles.Clinician),
        ], "test"));

        var user = CurrentUser.From(principal)!;

        Assert.Equal(new CurrentUser("u1", "森 一郎", "1310267898", "さくら内科クリニック", user.Roles), user);
        Assert.True(user.IsInRole(PortalRoles.Clinician));
        Assert.Null(CurrentUser.From(new ClaimsPrincipal(new ClaimsIdentity())));
    }
}

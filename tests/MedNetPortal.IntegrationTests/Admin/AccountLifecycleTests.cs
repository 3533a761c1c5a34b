using System.Net;
using MedNetPortal.IntegrationTests.Account;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Admin.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MedNetPortal.IntegrationTests.Admin;

/// <summary>What each administration action does to the account and its sessions.</summary>
public sealed class AccountLifecycleTests(AdminPortalFactory factory) : IClassFixture<AdminPortalFactory>
{
    [Fact]
    public async Task Suspending_changes_the_stamp_ends_the_cookie_and_the_circuit_check_and_refuses_sign_in_until_reactivated()
    {
        var (id, email) = await factory.NewAccountAsync(PortalRoles.Clinician, AdminPortalFactory.A, "suspend");
        using var browser = await PortalBrowser.SignedInAsync(factory, email);
        var circuitUser = await PrincipalAsync(email);
        Assert.True(await StillValidAsync(circuitUser));
        var stampBefore = (await TestAccounts.FindAsync(factory.Services, email))!.SecurityStamp;

        var admin = factory.ServiceAs(await AdminOfAAsync());
        Assert.Equal(AdminOutcome.Succeeded, (await admin.SuspendAsync(id)).Outcome);

        var suspended = await TestAccounts.FindAsync(factory.Services, email);
        Assert.True(suspended!.IsSuspended);
        Assert.NotEqual(stampBefore, suspended.SecurityStamp);
        // A live circuit's check (PortalRevalidatingAuthenticationStateProvider) now fails.
        Assert.False(await StillValidAsync(circuitUser));
        // The open cookie session ends at its next check (every second in this factory).
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        using var after = await browser.Client.GetAsync(new Uri("/patients", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login", PortalBrowser.LocationOf(after), StringComparison.Ordinal);
        // Signing in again is refused.
        using var again = PortalBrowser.Open(factory);
        using var refused = await again.SignInAsync(email, TestAccounts.Password);
        Assert.NotEqual(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("login-error", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True((await admin.GetAsync(id)).Value!.IsSuspended);

        Assert.Equal(AdminOutcome.Succeeded, (await admin.ReactivateAsync(id)).Outcome);
        using var back = await again.SignInAsync(email, TestAccounts.Password);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.NotNull((await admin.GetAsync(id)).Value!.LastSignInAt);
    }

    [Fact]
    public async Task Resetting_two_factor_turns_it_off_replaces_the_key_and_deletes_the_recovery_codes()
    {
        var (id, email) = await factory.NewAccountAsync(PortalRoles.Clinician, AdminPortalFactory.A, "tfa-reset");
        string oldKey;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = (await users.FindByIdAsync(id))!;
            await users.ResetAuthenticatorKeyAsync(user);
            oldKey = (await users.GetAuthenticatorKeyAsync(user))!;
            await users.SetTwoFactorEnabledAsync(user, true);
            Assert.Equal(10, (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))!.Count());
        }

        var admin = factory.ServiceAs(await AdminOfAAsync());
        Assert.True((await admin.GetAsync(id)).Value!.TwoFactorEnabled);
        Assert.Equal(AdminOutcome.Succeeded, (await admin.ResetTwoFactorAsync(id)).Outcome);

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = (await users.FindByIdAsync(id))!;
            Assert.False(user.TwoFactorEnabled);
            Assert.Equal(0, await users.CountRecoveryCodesAsync(user));
            Assert.NotEqual(oldKey, await users.GetAuthenticatorKeyAsync(user));
        }

        Assert.False((await admin.GetAsync(id)).Value!.TwoFactorEnabled);
        // Signing in asks for no code now (RequireTwoFactor is off in this factory): the old authenticator is gone.
        using var browser = PortalBrowser.Open(factory);
        using var signIn = await browser.SignInAsync(email, TestAccounts.Password);
        Assert.Equal("/", PortalBrowser.LocationOf(signIn));
    }

    [Fact]
    public async Task Resetting_the_password_generates_one_that_works_and_the_old_one_stops()
    {
        var (id, email) = await factory.NewAccountAsync(PortalRoles.Clinician, AdminPortalFactory.A, "pw-reset");
        var admin = factory.ServiceAs(await AdminOfAAsync());

        var reset = await admin.ResetPasswordAsync(id, null);
        Assert.Equal(AdminOutcome.Succeeded, reset.Outcome);
        var generated = reset.Value!;

        using var browser = PortalBrowser.Open(factory);
        using var old = await browser.SignInAsync(email, TestAccounts.Password);
        Assert.NotEqual(HttpStatusCode.Redirect, old.StatusCode);
        using var fresh = await browser.SignInAsync(email, generated);
        Assert.Equal(HttpStatusCode.Redirect, fresh.StatusCode);

        // An administrator-chosen password goes through the same rules.
        var weak = await admin.ResetPasswordAsync(id, "password1234");
        Assert.Equal(AdminOutcome.Invalid, weak.Outcome);
        Assert.Contains("よく使われるパスワードのため使えません。推測されにくい語句を組み合わせてください。", weak.Errors);
    }

    [Fact]
    public async Task Creating_refuses_weak_passwords_duplicates_and_missing_fields_with_reasons()
    {
        await factory.EnsureFacilitiesAsync();
        var admin = factory.ServiceAs(await AdminOfAAsync());
        var email = $"dup-{Guid.NewGuid():N}@test.example";

        var weak = await admin.CreateAsync(new NewAccount("弱い 花子", null, email, Profession.Nurse, PortalRoles.Clinician, null, "short"));
        Assert.Equal(AdminOutcome.Invalid, weak.Outcome);
        Assert.Contains("パスワードは12文字以上にしてください。", weak.Errors);

        var chosen = await admin.CreateAsync(new NewAccount("選択 花子", null, email, Profession.Nurse, PortalRoles.Clinician, null, "a quiet river at dawn"));
        Assert.Equal(AdminOutcome.Succeeded, chosen.Outcome);
        Assert.Null(chosen.Value!.GeneratedPassword);

        var duplicate = await admin.CreateAsync(new NewAccount("重複 花子", null, email, Profession.Nurse, PortalRoles.Clinician, null, null));
        Assert.Equal(AdminOutcome.Invalid, duplicate.Outcome);
        Assert.Contains("このメールアドレスはすでに使われています。", duplicate.Errors);

        var missing = await admin.CreateAsync(new NewAccount(" ", null, "not-an-email", Profession.Nurse, PortalRoles.Clinician, null, null));
        Assert.Equal(AdminOutcome.Invalid, missing.Outcome);
        Assert.Equal(["氏名を入力してください。", "メールアドレスの形式が正しくありません。"], missing.Errors);
    }

    private async Task<CurrentUser> AdminOfAAsync()
    {
        var (id, _) = await factory.NewAccountAsync(PortalRoles.FacilityAdmin, AdminPortalFactory.A, "admin");
        return new CurrentUser(id, "管理 者", AdminPortalFactory.A.Code, AdminPortalFactory.A.Name, [PortalRoles.FacilityAdmin]);
    }

    private async Task<System.Security.Claims.ClaimsPrincipal> PrincipalAsync(string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var claims = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<PortalUser>>();
        return await claims.CreateAsync((await users.FindByEmailAsync(email))!);
    }

    private async Task<bool> StillValidAsync(System.Security.Claims.ClaimsPrincipal principal)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await PortalRevalidatingAuthenticationStateProvider.IsStillValidAsync(
            scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>(),
            principal,
            scope.ServiceProvider.GetRequiredService<IOptions<IdentityOptions>>().Value);
    }
}

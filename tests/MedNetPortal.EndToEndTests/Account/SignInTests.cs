using System.Text.RegularExpressions;
using MedNetPortal.EndToEndTests.Infrastructure;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Account;

[Collection(BrowserCollection.Name)]
public sealed partial class SignInTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Patient_page_without_sign_in_goes_to_the_sign_in_page_and_back_after_it()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync("patients/abc123");

        await Assertions.Expect(page).ToHaveURLAsync(LoginWithReturnUrl());
        await Assertions.Expect(page).ToHaveTitleAsync("サインイン - MedNetPortal");
        await SignIn.SubmitAsync(page, "doctor@hospital.example");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/patients/abc123$"));
    }

    [Fact]
    public async Task Demo_doctor_signs_in_sees_name_and_facility_and_signs_out_from_the_user_menu()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();

        await SignIn.AsAsync(page, "doctor@hospital.example");

        await Assertions.Expect(page.Locator("[data-testid=user-menu] button")).ToHaveTextAsync("青木 誠一");
        await Assertions.Expect(page.Locator("[data-testid=user-facility]")).ToHaveTextAsync("みどり台総合病院");
        await Eventually.PassAsync(async () =>
        {
            await page.Locator("[data-testid=user-menu] button").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=user-menu-signout]")).ToBeVisibleAsync(new() { Timeout = 500 });
        });
        await page.Locator("[data-testid=user-menu-signout]").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        await Assertions.Expect(page.Locator("[data-testid=login-notice]")).ToHaveTextAsync("サインアウトしました。");
        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login"));
    }

    [Fact]
    public async Task Wrong_password_shows_the_failure_message_and_five_failures_lock_the_account()
    {
        var email = await TestAccounts.CreateAsync(fixture.Portal.Services, "e2e-lock");
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("account/login");
        var error = page.Locator("[data-testid=login-error]");

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await page.GetByLabel("メールアドレス").FillAsync(email);
            await page.GetByLabel("パスワード").FillAsync("Wrong-passw0rd");
            await page.GetByRole(AriaRole.Button, new() { Name = "サインイン" }).ClickAsync();
            await Assertions.Expect(error).ToHaveTextAsync("メールアドレスまたはパスワードが正しくありません。続けて失敗すると、アカウントは15分間ロックされます。");
        }

        await page.GetByLabel("メールアドレス").FillAsync(email);
        await page.GetByLabel("パスワード").FillAsync("Wrong-passw0rd");
        await page.GetByRole(AriaRole.Button, new() { Name = "サインイン" }).ClickAsync();
        // Locked: the same words as for a wrong password (the page never tells whether an account exists or is locked).
        await Assertions.Expect(error).ToHaveTextAsync("メールアドレスまたはパスワードが正しくありません。続けて失敗すると、アカウントは15分間ロックされます。");

        // Even the right password is refused while locked.
        await page.GetByLabel("メールアドレス").FillAsync(email);
        await page.GetByLabel("パスワード").FillAsync(TestAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "サインイン" }).ClickAsync();
        await Assertions.Expect(error).ToHaveTextAsync("メールアドレスまたはパスワードが正しくありません。続けて失敗すると、アカウントは15分間ロックされます。");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login"));
    }

    [Fact]
    public async Task Sign_in_page_is_English_with_English_labels_when_the_browser_asks()
    {
        await using var context = await fixture.NewContextAsync("en-US");
        var page = await context.NewPageAsync();

        await page.GotoAsync("account/login");

        await Assertions.Expect(page.GetByLabel("Email")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Password")).ToBeVisibleAsync();
        await page.GetByLabel("Email").FillAsync("nobody@test.example");
        await page.GetByLabel("Password").FillAsync("Wrong-passw0rd");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToHaveTextAsync("The email or password is incorrect. Repeated failures lock the account for 15 minutes.");
    }

    [GeneratedRegex(@"/account/login\?ReturnUrl=%2Fpatients%2Fabc123$")]
    private static partial Regex LoginWithReturnUrl();
}

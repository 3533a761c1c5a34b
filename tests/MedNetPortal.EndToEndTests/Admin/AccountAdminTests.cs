using System.Security.Cryptography;
using System.Text.RegularExpressions;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Demo;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Admin;

/// <summary>The demo portal with every open session checked against its account every 5 seconds (instead of 60).</summary>
public sealed class AdminPortal : IAsyncLifetime
{
    public PortalServer Portal { get; } = new(new Dictionary<string, string?>
    {
        ["Demo:Enabled"] = "true",
        ["Security:SessionRevalidationSeconds"] = "5",
    });

    public Task InitializeAsync()
    {
        _ = Portal.RootUri;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Portal.DisposeAsync();
}

[Collection(BrowserCollection.Name)]
public sealed partial class AccountAdminTests(BrowserFixture fixture, AdminPortal admin) : IClassFixture<AdminPortal>
{
    [Fact]
    public async Task Sysadmin_registers_a_facility_and_its_admin_who_creates_a_clinician_who_enrols_totp_looks_up_a_patient_and_is_signed_out_when_suspended()
    {
        var email = $"kango-{Guid.NewGuid():N}@test.example";
        var adminEmail = $"kanri-{Guid.NewGuid():N}@test.example";
        const string FacilityCode = "1312222226";
        const string FacilityName = "わかば台クリニック";

        // The system administrator registers the facility: a wrong 医療機関コード is refused with its reason, then a right one.
        await using var systemContext = await NewContextAsync();
        var system = await systemContext.NewPageAsync();
        await SignIn.AsAsync(system, "sysadmin@mednet.example");
        await system.GotoInteractiveAsync("admin/facilities/new");
        await Eventually.PassAsync(async () =>
        {
            await system.GetByLabel("医療機関コード").FillAsync("4812345678", new() { Timeout = 2000 });
            await system.GetByLabel("施設名", new() { Exact = true }).FillAsync(FacilityName, new() { Timeout = 2000 });
        });
        await system.GetByLabel("施設名（カナ）").FillAsync("ワカバダイクリニック");
        await system.Locator("[data-testid=facility-save]").ClickAsync();
        await Assertions.Expect(system.GetByText("先頭2桁の都道府県番号は01〜47です。")).ToBeVisibleAsync();
        await system.GetByLabel("医療機関コード").FillAsync(FacilityCode);
        await system.Locator("[data-testid=facility-save]").ClickAsync();
        await system.WaitForURLAsync($"**/admin/facilities/{FacilityCode}");

        // …and creates its facility administrator.
        await system.GotoInteractiveAsync("admin/accounts/new");
        await Eventually.PassAsync(() => system.GetByLabel("氏名", new() { Exact = true }).FillAsync("管理 一郎", new() { Timeout = 2000 }));
        await system.GetByLabel("氏名（カナ）").FillAsync("カンリ イチロウ");
        await system.GetByLabel("メールアドレス").FillAsync(adminEmail);
        await system.GetByLabel("職種").SelectOptionAsync(nameof(Profession.Clerk));
        await system.GetByLabel("権限").SelectOptionAsync(PortalRoles.FacilityAdmin);
        await system.GetByLabel("所属施設").SelectOptionAsync(FacilityCode);
        await system.Locator("[data-testid=account-new-submit]").ClickAsync();
        var adminPassword = (await system.Locator("[data-testid=generated-password]").InnerTextAsync()).Trim();

        // That administrator creates a clinician; the portal generates the initial password and shows it once.
        await using var adminContext = await NewContextAsync();
        var adminPage = await adminContext.NewPageAsync();
        await SignIn.AsAsync(adminPage, adminEmail, adminPassword);
        // The 管理 group offers アカウント. (Opened by address: a click before the circuit is up can leave the old page's
        // content under the new address, a framework race unrelated to these pages.)
        var accountsLink = adminPage.GetByRole(AriaRole.Link, new() { Name = "アカウント", Exact = true });
        await Assertions.Expect(accountsLink).ToHaveAttributeAsync("href", "admin/accounts");
        await adminPage.GotoInteractiveAsync("admin/accounts");
        await Assertions.Expect(adminPage.Locator("[data-testid=account-row]").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(adminPage.Locator("[data-testid=accounts-count]")).ToContainTextAsync("件");
        await adminPage.Locator("[data-testid=accounts-new]").ClickAsync();
        await adminPage.GetByLabel("氏名", new() { Exact = true }).FillAsync("看護 花子");
        await adminPage.GetByLabel("氏名（カナ）").FillAsync("カンゴ ハナコ");
        await adminPage.GetByLabel("メールアドレス").FillAsync(email);
        await adminPage.GetByLabel("職種").SelectOptionAsync(nameof(Profession.Nurse));
        await adminPage.GetByLabel("権限").SelectOptionAsync(PortalRoles.Clinician);
        await Assertions.Expect(adminPage.GetByLabel("所属施設")).ToHaveValueAsync(FacilityName);
        await adminPage.Locator("[data-testid=account-new-submit]").ClickAsync();
        var password = (await adminPage.Locator("[data-testid=generated-password]").InnerTextAsync()).Trim();
        Assert.Matches("^([a-z2-9]{4}-){4}[a-z2-9]{4}$", password);
        await adminPage.Locator("[data-testid=account-created-open]").ClickAsync();
        await Assertions.Expect(adminPage.Locator("[data-testid=account-details]")).ToContainTextAsync(email);
        await Assertions.Expect(adminPage.Locator("[data-testid=account-last-sign-in]")).ToHaveTextAsync("なし");
        var accountUrl = adminPage.Url;

        // The clinician signs in elsewhere and enrols an authenticator (the test computes the codes).
        await using var clinicianContext = await NewContextAsync();
        var page = await clinicianContext.NewPageAsync();
        await SignIn.AsAsync(page, email, password);
        await page.GotoAsync("account/two-factor");
        var key = (await page.Locator("[data-testid=shared-key]").InnerTextAsync()).Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        await page.GetByLabel("認証コード").FillAsync(Totp(key, DateTimeOffset.UtcNow));
        // Turning two-factor on asks for the password again (issue 11, item 5).
        await page.Locator("#two-factor-password").FillAsync(password);
        await page.Locator("[data-testid=two-factor-submit]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=recovery-codes] li")).ToHaveCountAsync(10);

        // From now on the sign-in asks for a code.
        await using var secondContext = await NewContextAsync();
        var second = await secondContext.NewPageAsync();
        await second.GotoAsync("account/login");
        await second.GetByLabel("メールアドレス").FillAsync(email);
        await second.GetByLabel("パスワード").FillAsync(password);
        await second.Locator("[data-testid=login-submit]").ClickAsync();
        await Assertions.Expect(second).ToHaveURLAsync(new Regex("/account/login-2fa"));
        await second.GetByLabel("認証コード").FillAsync(Totp(key, DateTimeOffset.UtcNow));
        await second.GetByLabel("認証コード").PressAsync("Enter");
        await Assertions.Expect(second.Locator("[data-testid=login-error]")).ToHaveCountAsync(0);
        await Assertions.Expect(second).Not.ToHaveURLAsync(new Regex("/account/"));

        // The clinician looks up a patient and keeps the record open.
        await page.GotoInteractiveAsync("patients");
        var paste = page.GetByLabel("まとめて貼り付け（保険者番号:記号:番号:枝番）", new() { Exact = true });
        await Eventually.PassAsync(async () =>
        {
            await paste.FillAsync("01137116:A12:3456789:");
            await Assertions.Expect(page.Locator("[data-testid=lookup-normalised]")).ToBeVisibleAsync(new() { Timeout = 1000 });
        });
        await page.GetByLabel("番号", new() { Exact = true }).PressAsync("Enter");
        // A new facility has no consent yet: the page says so, and the nurse records today's consent given at reception.
        await Assertions.Expect(page.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "本日受付で同意を確認" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "同意を記録して記録を開く" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=patient-name]")).ToHaveTextAsync("佐藤 健一", new() { Timeout = 20000 });
        var recordUrl = page.Url;

        // The administrator sees the two-factor and last sign-in, then suspends the account after confirming.
        await adminPage.GotoInteractiveAsync(accountUrl);
        await Assertions.Expect(adminPage.Locator("[data-testid=account-two-factor]")).ToHaveTextAsync("有効");
        await Assertions.Expect(adminPage.Locator("[data-testid=account-last-sign-in]")).Not.ToHaveTextAsync("なし");
        await adminPage.Locator("[data-testid=account-suspend]").ClickAsync();
        var dialog = adminPage.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("看護 花子 さんの利用を停止しますか？");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "利用を停止" }).ClickAsync();
        await Assertions.Expect(adminPage.Locator("[data-testid=account-status]")).ToHaveTextAsync("停止中");

        // The clinician's open page, with no action of theirs, goes to the sign-in page well within a minute.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login"), new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[data-testid=patient-name]")).ToHaveCountAsync(0);
        // The session cookie is checked on a request once the revalidation interval (5 s here) has passed since it was last
        // renewed, so a request right after the page left may still pass; within the interval it is refused.
        await Eventually.PassAsync(async () =>
        {
            await page.GotoAsync(recordUrl);
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login"), new() { Timeout = 2000 });
        });
        await Assert.ThrowsAsync<InvalidOperationException>(() => SignIn.SubmitAsync(page, email, password));
    }

    private Task<IBrowserContext> NewContextAsync() =>
        fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = admin.Portal.RootUri.ToString(),
            Locale = "ja-JP",
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
        });

    /// <summary>RFC 6238 (SHA-1, 30 s, 6 digits), as an authenticator app computes it.</summary>
    private static string Totp(string base32Key, DateTimeOffset at)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in base32Key.TrimEnd('='))
        {
            buffer = (buffer << 5) | Alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        var counter = BitConverter.GetBytes(at.ToUnixTimeSeconds() / 30);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(counter);
        }

        var hash = HMACSHA1.HashData(bytes.ToArray(), counter);
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }
}

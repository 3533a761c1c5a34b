using MedNetPortal.EndToEndTests.Infrastructure;
using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Admin;

/// <summary>Registering a facility as the system administrator would, through the browser.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FacilityAdminTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_sysadmin_registers_a_facility_a_wrong_code_is_refused_with_its_reason_and_the_new_one_is_listed()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, "sysadmin@mednet.example");

        await page.GotoInteractiveAsync("admin/facilities");
        await Assertions.Expect(page.Locator("[data-testid=facilities-count]")).ToContainTextAsync("件");
        await Eventually.PassAsync(async () =>
        {
            await page.Locator("[data-testid=facility-new]").ClickAsync(new() { Timeout = 2000 });
            await page.WaitForURLAsync("**/admin/facilities/new", new() { Timeout = 3000 });
        });

        await Eventually.PassAsync(async () =>
        {
            await page.GetByLabel("施設名", new() { Exact = true }).FillAsync("わかば台クリニック", new() { Timeout = 2000 });
            await page.GetByLabel("医療機関コード").FillAsync("4812345678", new() { Timeout = 2000 });
            await page.GetByLabel("医療機関コード").BlurAsync(new() { Timeout = 2000 });
            await Assertions.Expect(page.GetByLabel("医療機関コード")).ToHaveValueAsync("4812345678", new() { Timeout = 2000 });
        });
        await page.GetByLabel("施設名（カナ）").FillAsync("わかばだいくりにっく");
        await page.GetByLabel("郵便番号").FillAsync("176-0011");
        await page.GetByLabel("所在地").FillAsync("東京都練馬区わかば台1-1");
        await page.GetByLabel("電話番号").FillAsync("03-5550-0900");
        await page.GetByLabel("診療科").FillAsync("01 内科\n09 小児科");
        await page.Locator("[data-testid=facility-save]").ClickAsync();

        await Assertions.Expect(page.GetByText("先頭2桁の都道府県番号は01〜47です。")).ToBeVisibleAsync();
        Assert.EndsWith("/admin/facilities/new", page.Url, StringComparison.Ordinal);

        await page.GetByLabel("医療機関コード").FillAsync("1312345678");
        await page.Locator("[data-testid=facility-save]").ClickAsync();
        await page.WaitForURLAsync("**/admin/facilities/1312345678");
        await Assertions.Expect(page.GetByLabel("施設名", new() { Exact = true })).ToHaveValueAsync("わかば台クリニック");
        await Assertions.Expect(page.Locator("[data-testid=facility-mirror-pending]")).ToHaveCountAsync(0);

        await page.GotoInteractiveAsync("admin/facilities");
        await Eventually.PassAsync(async () =>
        {
            await page.GetByLabel("施設名・カナ・医療機関コード").FillAsync("ワカバ", new() { Timeout = 2000 });
            await page.Locator("[data-testid=facility-search-button]").ClickAsync(new() { Timeout = 2000 });
            await Assertions.Expect(page.Locator("[data-testid=facility-row]")).ToHaveCountAsync(1, new() { Timeout = 2000 });
        });
        await Assertions.Expect(page.Locator("[data-testid=facility-row]")).ToContainTextAsync("わかば台クリニック");
        await Assertions.Expect(page.Locator("[data-testid=facilities-count]")).ToContainTextAsync("1 / 1件");
    }
}

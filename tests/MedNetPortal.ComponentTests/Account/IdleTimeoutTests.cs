using MedNetPortal.Web.Features.Account;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.ComponentTests.Account;

/// <summary>Supplies a fixed antiforgery token, as the server does when it renders a form.</summary>
internal sealed class FixedAntiforgery : AntiforgeryStateProvider
{
    public override AntiforgeryRequestToken GetAntiforgeryToken() => new("test-token", "__RequestVerificationToken");
}

public sealed class IdleTimeoutTests : PortalTestContext
{
    private readonly BunitJSModuleInterop module;
    private readonly BunitJSModuleInterop watcher;

    public IdleTimeoutTests()
    {
        Services.AddSingleton<AntiforgeryStateProvider>(new FixedAntiforgery());
        module = JSInterop.SetupModule(IdleTimeout.ModulePath);
        watcher = module.SetupModule(invocation => invocation.Identifier == "start");
    }

    private IRenderedComponent<IdleTimeout> RenderIdle() =>
        Render<IdleTimeout>(p => p
            .Add(c => c.Timeout, TimeSpan.FromMinutes(30))
            .Add(c => c.Warning, TimeSpan.FromSeconds(60)));

    [Fact]
    public void Starts_the_watcher_with_the_configured_times_and_no_dialog()
    {
        var idle = RenderIdle();

        var start = module.VerifyInvoke("start");
        Assert.Equal(30 * 60 * 1000, start.Arguments[2]);
        Assert.Equal(60 * 1000, start.Arguments[3]);
        Assert.Empty(idle.FindAll("[role=alertdialog]"));
    }

    [Fact]
    public void Sign_out_form_posts_to_logout_with_the_token_the_current_page_and_the_idle_reason()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/patients/abc?tab=letters");
        var idle = RenderIdle();

        var form = idle.Find("[data-testid=idle-signout-form]");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("account/logout", form.GetAttribute("action"));
        Assert.Equal("test-token", form.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value"));
        Assert.Equal("/patients/abc?tab=letters", form.QuerySelector("input[name=ReturnUrl]")?.GetAttribute("value"));
        Assert.Equal("idle", form.QuerySelector("input[name=Reason]")?.GetAttribute("value"));
    }

    [Fact]
    public void Return_address_follows_navigation()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        var idle = RenderIdle();

        navigation.NavigateTo("/patients/xyz");

        idle.WaitForAssertion(() =>
            Assert.Equal("/patients/xyz", idle.Find("input[name=ReturnUrl]").GetAttribute("value")));
    }

    [Fact]
    public async Task Warning_shows_an_accessible_dialog_with_a_live_countdown()
    {
        var idle = RenderIdle();

        await idle.InvokeAsync(() => idle.Instance.ShowWarning(60));
        var dialog = idle.Find("[role=alertdialog]");
        Assert.Equal("true", dialog.GetAttribute("aria-modal"));
        Assert.Equal("まもなくサインアウトします", idle.Find("#" + dialog.GetAttribute("aria-labelledby")).TextContent);
        Assert.Contains("あと60秒でサインアウトします", idle.Find("#" + dialog.GetAttribute("aria-describedby")).TextContent, StringComparison.Ordinal);
        Assert.Equal("続ける", idle.Find("[data-testid=idle-continue]").TextContent.Trim());

        await idle.InvokeAsync(() => idle.Instance.ShowWarning(59));
        Assert.Contains("あと59秒", idle.Find("[role=alertdialog]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Continue_closes_the_dialog_and_resets_the_watcher()
    {
        var idle = RenderIdle();
        await idle.InvokeAsync(() => idle.Instance.ShowWarning(30));

        idle.Find("[data-testid=idle-continue]").Click();

        Assert.Empty(idle.FindAll("[role=alertdialog]"));
        watcher.VerifyInvoke("reset");
    }

    [Fact]
    public async Task Activity_in_another_tab_hides_the_warning()
    {
        var idle = RenderIdle();
        await idle.InvokeAsync(() => idle.Instance.ShowWarning(30));

        await idle.InvokeAsync(() => idle.Instance.HideWarning());

        Assert.Empty(idle.FindAll("[role=alertdialog]"));
    }

    [Fact]
    public async Task Dialog_is_English_in_the_English_UI()
    {
        UseCulture("en");
        var idle = RenderIdle();

        await idle.InvokeAsync(() => idle.Instance.ShowWarning(12));

        Assert.Contains("signed out in 12 seconds", idle.Find("[role=alertdialog]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Continue", idle.Find("[data-testid=idle-continue]").TextContent.Trim());
    }
}

using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace MedNetPortal.ComponentTests;

/// <summary>
/// Base class for component tests: MudBlazor services, the portal's localisation (Japanese unless a test calls
/// <see cref="UseCulture"/>), and loose JS interop so MudBlazor's own JS calls need no setup.
/// </summary>
public abstract class PortalTestContext : BunitContext, IAsyncLifetime
{
    // WaitForAssertion/WaitForState give up after 1 s by default: too short on a busy 2-core CI machine. Only a failing wait
    // takes longer.
    static PortalTestContext() => DefaultWaitTimeout = TimeSpan.FromSeconds(10);

    protected PortalTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLocalization();
        UseCulture("ja-JP");
        // The admin menu's notifications link asks for the unread count; none unless a test registers its own.
        Services.AddSingleton<MedNetPortal.Web.Features.Emergency.INotificationService>(new NoNotifications());
        Services.AddScoped<MedNetPortal.Web.Host.Telemetry.InteractionTrace>();
    }

    private sealed class NoNotifications : MedNetPortal.Web.Features.Emergency.INotificationService
    {
        public Task<int> UnreadCountAsync(CancellationToken cancellationToken) => Task.FromResult(0);

        public Task<(IReadOnlyList<MedNetPortal.Web.Features.Emergency.NotificationItem> Items, int Total)> ListAsync(int take, CancellationToken cancellationToken) =>
            Task.FromResult<(IReadOnlyList<MedNetPortal.Web.Features.Emergency.NotificationItem>, int)>(([], 0));

        public Task MarkReadAsync(Guid id, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor registers services that can only be disposed asynchronously.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    /// <summary>Sets the culture the components render in (the request culture, in the app).</summary>
    protected static void UseCulture(string name)
    {
        var culture = CultureInfo.GetCultureInfo(name);
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
    }
}

using System.Net;
using MedNetPortal.IntegrationTests.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.IntegrationTests.Account;

/// <summary>The system clock plus an offset the test moves forward (timers stay real).</summary>
public sealed class ShiftedClock : TimeProvider
{
    private long offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref offsetTicks));
}

public sealed class ShiftedClockPortalFactory : PortalFactory
{
    public ShiftedClockPortalFactory()
    {
    }

    internal ShiftedClockPortalFactory(IReadOnlyDictionary<string, string?> settings)
        : base(settings)
    {
    }

    public ShiftedClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>Each test has its own server: the clock only moves forward.</summary>
public sealed class SessionLifetimeTests
{
    [Fact]
    public async Task Session_ends_twelve_hours_after_sign_in_however_active_the_user_is()
    {
        // The longest idle timeout, so that only the absolute lifetime can end this session (the idle one has its own tests).
        await using var factory = new ShiftedClockPortalFactory(new Dictionary<string, string?> { ["Security:IdleTimeoutMinutes"] = "1440" });
        await TestAccounts.CreateAsync(factory.Services, "long@test.example");
        using var browser = await PortalBrowser.SignedInAsync(factory, "long@test.example");

        // Busy all day: a request every two hours (each past the one-minute stamp check, which renews the cookie).
        for (var hour = 2; hour <= 10; hour += 2)
        {
            factory.Clock.Advance(TimeSpan.FromHours(2));
            var (status, _) = await browser.GetAsync("/");
            Assert.True(status == HttpStatusCode.OK, $"signed in after {hour} h");
        }

        factory.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(58));
        var (stillIn, _) = await browser.GetAsync("/");
        factory.Clock.Advance(TimeSpan.FromMinutes(3));
        using var after = await browser.Client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, stillIn);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login", PortalBrowser.LocationOf(after), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suspending_an_account_ends_its_open_session_within_a_minute()
    {
        await using var factory = new ShiftedClockPortalFactory();
        await TestAccounts.CreateAsync(factory.Services, "suspend-later@test.example");
        using var browser = await PortalBrowser.SignedInAsync(factory, "suspend-later@test.example");

        await TestAccounts.UpdateAsync(factory.Services, "suspend-later@test.example", u => u.IsSuspended = true);
        factory.Clock.Advance(TimeSpan.FromSeconds(61));
        using var after = await browser.Client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login", PortalBrowser.LocationOf(after), StringComparison.Ordinal);
    }
}

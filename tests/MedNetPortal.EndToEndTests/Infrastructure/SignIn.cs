using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Infrastructure;

/// <summary>
/// Temporary stand-in for the sign-in feature's helper (same signature); it does nothing until that feature lands and the
/// integrator takes its version.
/// </summary>
public static class SignIn
{
    public static Task AsAsync(IPage page, string email)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentException.ThrowIfNullOrEmpty(email);
        return Task.CompletedTask;
    }
}

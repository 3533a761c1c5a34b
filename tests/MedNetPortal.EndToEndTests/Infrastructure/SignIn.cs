using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Infrastructure;

/// <summary>
/// TEMPORARY stand-in (patients branch): signs nobody in. The sign-in engineer's version, with this exact signature,
/// replaces this file at integration.
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

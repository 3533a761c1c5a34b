using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Infrastructure;

/// <summary>
/// Retries a step until it passes: a prerendered page shows before its Blazor circuit connects, and clicks made before then
/// do nothing. Each attempt uses short Playwright timeouts; the overall limit only bounds a failure.
/// </summary>
public static class Eventually
{
    /// <summary>How long a step may keep failing: long enough for a loaded CI machine to connect a circuit.</summary>
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(90);

    public static async Task PassAsync(Func<Task> attempt, TimeSpan? limit = null)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var deadline = DateTime.UtcNow + (limit ?? DefaultLimit);
        while (true)
        {
            try
            {
                await attempt();
                return;
            }
            catch (Exception ex) when (DateTime.UtcNow < deadline && ex is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
            {
                // Try again: the circuit is not connected yet.
                await Task.Delay(200);
            }
        }
    }
}

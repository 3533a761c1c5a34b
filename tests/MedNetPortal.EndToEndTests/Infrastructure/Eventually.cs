using Microsoft.Playwright;

namespace MedNetPortal.EndToEndTests.Infrastructure;

/// <summary>
/// Retries a step until it passes: a prerendered page shows before its Blazor circuit connects, and clicks made before then
/// do nothing. Each attempt uses short Playwright timeouts; the overall limit only bounds a failure.
/// </summary>
public static class Eventually
{
    public static async Task PassAsync(Func<Task> attempt, int attempts = 30)
    {
        for (var i = 1; ; i++)
        {
            try
            {
                await attempt();
                return;
            }
            catch (Exception ex) when (i < attempts && ex is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
            {
                // Try again: the circuit is not connected yet.
            }
        }
    }
}

using MedNetPortal.Fhir;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Features.Demo;

/// <summary>
/// Seeds the demo data once the host has started (the base is reached over HTTP, so it must be listening), as the
/// outside-EHR client <c>demo-ehr</c>.
/// Failures are logged and retried with backoff; they never stop the host.
/// </summary>
internal sealed partial class DemoSeedingService(
    IHostApplicationLifetime lifetime,
    IServiceScopeFactory scopes,
    IOptions<DemoOptions> options,
    IOptions<CentralFhirOptions> fhirOptions,
    ILogger<DemoSeedingService> logger) : BackgroundService
{
    internal static readonly TimeSpan[] RetryDelays =
        [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var scope = scopes.CreateScope();
                var api = scope.ServiceProvider.GetRequiredKeyedService<IFhirApi>(DemoOptions.EhrClientId);
                await api.GetCapabilitiesAsync(stoppingToken);
                await DemoSeeder.SeedAsync(api, logger, fhirOptions.Value.MaxTransactionEntries, options.Value.LargeRecordDiagnoses, stoppingToken);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The demo seeder must never crash the host; every failure is logged.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                // The status and the OperationOutcome's codes, or the exception type: server messages could echo identifiers.
                if (attempt > RetryDelays.Length)
                {
                    LogGaveUp(logger, attempt, Summary(ex));
                    return;
                }

                LogRetry(logger, attempt, Summary(ex), RetryDelays[attempt - 1].TotalSeconds);
                try
                {
                    await Task.Delay(RetryDelays[attempt - 1], stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    internal static string Summary(Exception exception) => exception switch
    {
        FhirApiException fhir => $"{nameof(FhirApiException)}: {fhir.LogSummary}",
        _ => exception.GetType().Name,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo seeding attempt {Attempt} failed ({Failure}); retrying in {DelaySeconds} s")]
    private static partial void LogRetry(ILogger logger, int attempt, string failure, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Demo seeding gave up after {Attempt} attempts ({Failure})")]
    private static partial void LogGaveUp(ILogger logger, int attempt, string failure);
}

using MedNetPortal.Fhir.Conformance;
using MedNetPortal.Fhir.Options;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Host.Conformance;

/// <summary>Official-profile validation (section <c>Conformance</c>): one shared validator, compiled in the background after start-up.</summary>
public static class ConformanceExtensions
{
    public const string HealthEntry = "profile-validation";

    public static IServiceCollection AddProfileValidation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ConformanceOptions>(configuration, ConformanceOptions.SectionName);
        services.AddSingleton<IProfileValidator>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ConformanceOptions>>().Value;
            var environment = provider.GetRequiredService<IHostEnvironment>();
            return Create(options, environment.ContentRootPath, provider.GetRequiredService<ILogger<JpClinsProfileValidator>>());
        });
        services.AddHostedService<ProfileValidatorWarmUp>();
        services.AddHealthChecks().AddCheck<ProfileValidationHealthCheck>(HealthEntry, HealthStatus.Degraded);
        return services;
    }

    /// <summary>The validator for the configured (or default) package folder; unavailable, with the reason, when none is found.</summary>
    public static JpClinsProfileValidator Create(ConformanceOptions options, string contentRoot, ILogger<JpClinsProfileValidator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (packages, lookedIn) = ConformancePackages.Locate(options.PackageDirectory, contentRoot);
        var detail = packages is null
            ? $"Official-profile validation unavailable: no {ConformancePackages.JpClinsPattern} and {ConformancePackages.JpCorePattern} in "
              + (lookedIn.Count == 0 ? "any folder" : string.Join(" or ", lookedIn))
              + $". Set {ConformanceOptions.SectionName}:PackageDirectory (or {ConformancePackages.EnvironmentVariable}); letters are checked by the portal's own rules only."
            : string.Empty;
        return new JpClinsProfileValidator(packages, detail, logger);
    }

    /// <summary>Starts compiling the profiles once the host has started (start-up never waits), and says once when it cannot.</summary>
    private sealed class ProfileValidatorWarmUp(IProfileValidator validator, ILogger<ProfileValidatorWarmUp> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (validator.Status.State == ProfileValidatorState.Unavailable)
            {
                logger.LogWarning("{Detail}", validator.Status.Detail);
            }
            else
            {
                validator.StartLoading();
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Healthy when ready or loading; Degraded (naming the setting) when unavailable or failed.</summary>
    private sealed class ProfileValidationHealthCheck(IProfileValidator validator) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var status = validator.Status;
            return Task.FromResult(status.State switch
            {
                ProfileValidatorState.Ready => HealthCheckResult.Healthy("Official JP-CLINS profile validation ready."),
                ProfileValidatorState.Loading => HealthCheckResult.Healthy("Official JP-CLINS profiles are being compiled."),
                ProfileValidatorState.Failed => HealthCheckResult.Degraded(
                    $"Official-profile validation failed to load; check {ConformanceOptions.SectionName}:PackageDirectory."),
                _ => HealthCheckResult.Degraded(
                    $"Official-profile validation unavailable: set {ConformanceOptions.SectionName}:PackageDirectory to the folder holding the JP-CLINS and JP Core packages."),
            });
        }
    }
}

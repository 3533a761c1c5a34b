using System.Diagnostics;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedNetPortal.Fhir.Conformance;

/// <summary>
/// <see cref="IProfileValidator"/> over the official packages (JP-CLINS 1.5.2 snapshot, JP Core 1.1.2-url) and the R4 core
/// specification (<c>specification.zip</c> from Hl7.Fhir.Specification.Data.R4). The packages are read and the letter
/// profiles compiled once, in the background (<see cref="StartLoading"/>), and shared by every caller.
/// </summary>
/// <remarks>
/// Firely's <see cref="Validator"/> and its resolvers are not thread-safe, so validations take turns on one instance; a
/// letter takes tens of milliseconds once warm (docs/performance.md).
/// </remarks>
public sealed class JpClinsProfileValidator : IProfileValidator, IDisposable
{
    /// <summary>The profiles compiled while loading, so the first letter does not pay for them.</summary>
    internal static readonly string[] WarmProfiles =
    [
        JpFhir.Profiles.BundleEReferral,
        JpFhir.Profiles.CompositionEReferral,
        JpFhir.Profiles.PatientECS,
        JpFhir.Profiles.PractitionerECS,
        JpFhir.Profiles.OrganizationECS,
        "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Condition_eCS",
        "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_AllergyIntolerance_eCS",
        "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_MedicationRequest_eCS",
        "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Observation_LabResult_eCS",
        "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Observation_Common_eCS",
    ];

    private readonly ConformancePackages? packages;
    private readonly string unavailableDetail;
    private readonly ILogger logger;
    private readonly Lock startLock = new();
    private readonly SemaphoreSlim turn = new(1, 1);
    private Task<Engine>? loading;
    private volatile ProfileValidatorStatus status;

    /// <summary>A validator over <paramref name="packages"/>; null packages = unavailable, with <paramref name="unavailableDetail"/> as the reason.</summary>
    public JpClinsProfileValidator(ConformancePackages? packages, string unavailableDetail, ILogger<JpClinsProfileValidator>? logger = null)
    {
        this.packages = packages;
        this.unavailableDetail = unavailableDetail;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        status = packages is null
            ? new(ProfileValidatorState.Unavailable, unavailableDetail)
            : new(ProfileValidatorState.Loading, "Not started.");
    }

    /// <inheritdoc />
    public ProfileValidatorStatus Status => status;

    /// <inheritdoc />
    public void StartLoading() => _ = EnsureLoading();

    /// <inheritdoc />
    public async Task<ProfileValidationReport> ValidateAsync(Resource resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var load = EnsureLoading();
        if (load is null)
        {
            return ProfileValidationReport.NotPerformed;
        }

        Engine engine;
        try
        {
            engine = await load.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ProfileValidationReport.NotPerformed;
        }

        await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // CPU-bound: off the caller's thread (a Blazor circuit's), one validation at a time.
            return await System.Threading.Tasks.Task.Run(() => engine.Validate(resource), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            turn.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => turn.Dispose();

    private Task<Engine>? EnsureLoading()
    {
        if (packages is null)
        {
            return null;
        }

        lock (startLock)
        {
            return loading ??= System.Threading.Tasks.Task.Run(Load);
        }
    }

    private Engine Load()
    {
        var stopwatch = Stopwatch.StartNew();
        status = new(ProfileValidatorState.Loading, $"Loading {Path.GetFileName(packages!.JpClins)} and {Path.GetFileName(packages.JpCore)}.");
        try
        {
            var engine = Engine.Create(packages);
            engine.WarmUp();

            status = new(ProfileValidatorState.Ready,
                $"{Path.GetFileName(packages.JpClins)}, {Path.GetFileName(packages.JpCore)} and the R4 core specification, compiled in {stopwatch.Elapsed.TotalSeconds:0.0} s.");
            logger.LogInformation("Official-profile validation ready: {Detail}", status.Detail);
            return engine;
        }
        catch (Exception ex)
        {
            status = new(ProfileValidatorState.Failed, $"The packages could not be loaded ({ex.GetType().Name}: {ex.Message}). {unavailableDetail}");
            logger.LogError(ex, "Official-profile validation unavailable: the packages could not be loaded.");
            throw;
        }
    }

    private sealed class Engine
    {
        private readonly Validator validator;

        private Engine(Validator validator) => this.validator = validator;

        public static Engine Create(ConformancePackages packages)
        {
            var official = new InMemoryResourceResolver();
            official.Add(ConformancePackageReader.Read(packages.JpCore));
            official.Add(ConformancePackageReader.Read(packages.JpClins));
            // specification.zip comes with Hl7.Fhir.Specification.Data.R4 and is copied beside the application.
            var core = new ZipSource(Path.Combine(AppContext.BaseDirectory, "specification.zip"));
            var resolver = new CachedResolver(new MultiResolver(official, core)).AsAsync();
            var terminology = new LocalTerminologyService(resolver);
            return new Engine(new Validator(resolver, terminology));
        }

        /// <summary>
        /// Compiles the letter profiles by validating an empty resource of each: the validator keeps every schema it
        /// compiled, so the first real letter is as fast as the next. A profile missing from the packages fails loading.
        /// </summary>
        public void WarmUp()
        {
            foreach (var profile in WarmProfiles)
            {
                var type = profile.Split('/')[^1].Split('_')[1];
                var resource = (Resource)Activator.CreateInstance(ModelInfo.GetTypeForFhirType(type)!)!;
                resource.Meta = new Meta { Profile = [profile] };
                var outcome = validator.Validate(resource, profile);
                if (outcome.Issue.Any(i => i.Details?.Text?.Contains("Unable to resolve", StringComparison.OrdinalIgnoreCase) == true
                    && i.Details.Text.Contains(profile, StringComparison.Ordinal)))
                {
                    throw new InvalidOperationException($"The profile {profile} is not in the packages.");
                }
            }
        }

        public ProfileValidationReport Validate(Resource resource)
        {
            var outcome = validator.Validate(resource);
            return new ProfileValidationReport(true, ProfileIssues.From(outcome));
        }
    }
}

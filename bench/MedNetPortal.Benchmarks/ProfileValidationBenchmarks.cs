using BenchmarkDotNet.Attributes;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir.Conformance;
using MedNetPortal.Web.Features.Demo;

namespace MedNetPortal.Benchmarks;

/// <summary>
/// Validating one letter against the official JP-CLINS profiles once the validator is warm (packages read, profiles
/// compiled, as after start-up): a text-only demo letter and a structured one (Conditions, an allergy, prescriptions, lab
/// results). Needs the packages (MEDNET_FHIR_PACKAGES or ../shared; docs/conformance.md). In process, no HTTP.
/// </summary>
[MemoryDiagnoser]
public class ProfileValidationBenchmarks
{
    private JpClinsProfileValidator _validator = null!;
    private Bundle _textOnly = null!;
    private Bundle _structured = null!;

    [GlobalSetup]
    public void Setup()
    {
        var packages = ConformancePackages.Locate(null, AppContext.BaseDirectory).Packages
            ?? throw new InvalidOperationException("The official packages were not found: set MEDNET_FHIR_PACKAGES (docs/conformance.md).");
        _validator = new JpClinsProfileValidator(packages, string.Empty);
        _textOnly = DemoLetters.ToDocument(DemoLetters.All.Single(l => l.Key == "clinic-to-hospital-yamada"));
        _structured = DemoLetters.ToDocument(DemoLetters.All.Single(l => l.Key == "hospital-to-clinic-sato"));
        // Warm: load, compile, and validate each once (the first validation of a profile compiles what it references).
        if (ValidateAsync(_textOnly).GetAwaiter().GetResult() + ValidateAsync(_structured).GetAwaiter().GetResult() != 0)
        {
            throw new InvalidOperationException("A benchmark letter does not pass the official profiles.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _validator.Dispose();

    [Benchmark(Description = "Validate a text-only letter (official profiles, warm)")]
    public Task<int> TextOnly() => ValidateAsync(_textOnly);

    [Benchmark(Description = "Validate a structured letter (official profiles, warm)")]
    public Task<int> Structured() => ValidateAsync(_structured);

    private async Task<int> ValidateAsync(Bundle letter) =>
        (await _validator.ValidateAsync(letter, CancellationToken.None).ConfigureAwait(false)).Errors.Count;
}

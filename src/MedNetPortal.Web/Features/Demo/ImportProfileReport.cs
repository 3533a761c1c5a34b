using System.Text.Json;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Conformance;

namespace MedNetPortal.Web.Features.Demo;

/// <summary>
/// What the official JP-CLINS profiles say about the files an import brought in: reported, never a reason to refuse them
/// (the base takes any valid FHIR; conformance is the sender's business, and the report tells them what to fix).
/// </summary>
public static class ImportProfileReport
{
    /// <summary>At most this many errors are listed per file (the count is always given).</summary>
    public const int ListedPerFile = 5;

    /// <summary>
    /// Validates each imported file: a document Bundle as a whole, a transaction or batch entry by entry. Writes one line
    /// per file with errors (and up to <see cref="ListedPerFile"/> of them), or one line saying validation is unavailable.
    /// </summary>
    /// <returns>How many errors were found in all (0 when unavailable).</returns>
    public static async Task<int> WriteAsync(IProfileValidator validator, IEnumerable<ImportFileResult> imported, string folder, TextWriter output,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(imported);
        ArgumentNullException.ThrowIfNull(output);
        if (validator.Status.State is ProfileValidatorState.Unavailable)
        {
            await output.WriteLineAsync("profile   not checked: " + validator.Status.Detail);
            return 0;
        }

        var total = 0;
        foreach (var file in imported.Where(r => r.Outcome != ImportOutcome.Failed))
        {
            Resource? resource;
            try
            {
                resource = JsonSerializer.Deserialize<Resource>(await File.ReadAllTextAsync(Path.Combine(folder, file.File), cancellationToken), FhirJson.Options);
            }
            catch (Exception ex) when (ex is JsonException or IOException or Hl7.Fhir.Serialization.DeserializationFailedException)
            {
                continue;
            }

            var errors = new List<ProfileIssue>();
            // A transaction or batch only carries resources to store: each is checked on its own (and named in the report).
            var entryWise = resource is Bundle { Type: Bundle.BundleType.Transaction or Bundle.BundleType.Batch };
            var targets = entryWise
                ? ((Bundle)resource!).Entry.Select(e => e.Resource).OfType<Resource>()
                : resource is null ? [] : [resource];
            foreach (var target in targets)
            {
                var report = await validator.ValidateAsync(target, cancellationToken);
                if (!report.Performed)
                {
                    await output.WriteLineAsync("profile   not checked: " + validator.Status.Detail);
                    return total;
                }

                errors.AddRange(entryWise ? report.Errors.Select(e => e with { Location = $"{target.TypeName} entry: {e.Location}" }) : report.Errors);
            }

            if (errors.Count > 0)
            {
                total += errors.Count;
                await output.WriteLineAsync($"profile   {file.File}: {errors.Count} error(s) against the official JP-CLINS profiles (imported anyway)");
                foreach (var error in errors.Take(ListedPerFile))
                {
                    await output.WriteLineAsync($"            {error.Location}: {error.Message}");
                }
            }
        }

        return total;
    }
}

using System.Reflection;
using System.Text.Json;
using MedNetPortal.Fhir.Options;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MedNetPortal.IntegrationTests.Web;

/// <summary>
/// appsettings.sample.json lists every setting; loaded as the only configuration of the real service collection, it passes
/// the production validation of every options class the portal registers. The host starts on the test server without its
/// hosted services, so nothing touches the sample's placeholder database servers.
/// </summary>
/// <remarks>
/// The host is started, not merely built: WebApplicationFactory lets Program run on to <c>app.Run()</c> either way, and a
/// test that disposed a host still starting on that thread failed once on CI inside the framework's stop.
/// </remarks>
public sealed class SampleConfigurationTests
{
    [Fact]
    public void Sample_passes_the_production_options_validation()
    {
        using var factory = new SampleFactory(RepositoryFiles.Path("appsettings.sample.json"));
        var services = factory.Services;

        services.GetRequiredService<IStartupValidator>().Validate();
        var optionTypes = factory.OptionTypes;
        Assert.Contains(typeof(MedNetPortal.FhirBase.StorageOptions), optionTypes);
        foreach (var type in optionTypes)
        {
            var options = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
            Assert.NotNull(options.GetType().GetProperty("Value")!.GetValue(options));
        }
    }

    [Fact]
    public void A_bad_value_in_the_sample_fails_naming_the_key()
    {
        var bad = Path.Combine(Directory.CreateTempSubdirectory("mednet-sample-").FullName, "bad.json");
        File.WriteAllText(bad, File.ReadAllText(RepositoryFiles.Path("appsettings.sample.json"))
            .Replace("\"DataDirectory\": \"/var/lib/mednetportal\"", "\"DataDirectory\": \"\"", StringComparison.Ordinal));
        using var factory = new SampleFactory(bad);

        var error = Assert.Throws<OptionsValidationException>(() => factory.Services);

        Assert.Contains("Storage:DataDirectory is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_lists_every_key_of_the_app_settings_files_and_of_every_registered_options_class()
    {
        var sample = LeafKeys(RepositoryFiles.Path("appsettings.sample.json"));
        var expected = LeafKeys(RepositoryFiles.Path("src/MedNetPortal.Web/appsettings.json"))
            .Concat(LeafKeys(RepositoryFiles.Path("src/MedNetPortal.Web/appsettings.Development.json")))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        using var factory = new SampleFactory(RepositoryFiles.Path("appsettings.sample.json"));
        var portalTypes = factory.OptionTypes.Where(t => t.Namespace?.StartsWith("MedNetPortal.", StringComparison.Ordinal) == true).ToList();
        Assert.Contains(portalTypes, t => t.Name == "CentralFhirOptions");
        var unnamed = portalTypes.Where(t => t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is not string).ToList();
        // Each options class names its own section (one class per section), so no registered class escapes this check.
        Assert.True(unnamed.Count == 0, "Options classes without a public const SectionName: " + string.Join(", ", unnamed.Select(t => t.FullName)));
        foreach (var type in portalTypes)
        {
            var section = (string)type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                expected.Add($"{section}:{property.Name}");
            }
        }

        var missing = expected.Where(k => !sample.Contains(k)).Order().ToList();
        Assert.True(missing.Count == 0, "appsettings.sample.json lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_sample_key_is_documented_in_docs_configuration_md()
    {
        var doc = File.ReadAllText(RepositoryFiles.Path("docs/configuration.md"));

        var undocumented = LeafKeys(RepositoryFiles.Path("appsettings.sample.json"))
            .Where(k => !k.StartsWith("Logging:", StringComparison.Ordinal))
            .Where(k => !doc.Contains($"`{k}`", StringComparison.Ordinal))
            .ToList();

        Assert.True(undocumented.Count == 0, "docs/configuration.md lacks: " + string.Join(", ", undocumented));
    }

    private static HashSet<string> LeafKeys(string jsonFile)
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using var doc = JsonDocument.Parse(File.ReadAllText(jsonFile));
        Walk(doc.RootElement, "");
        return keys;

        void Walk(JsonElement element, string prefix)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, prefix.Length == 0 ? property.Name : $"{prefix}:{property.Name}");
                }
            }
            else
            {
                keys.Add(prefix);
            }
        }
    }

    private sealed class SampleFactory(string configurationFile) : WebApplicationFactory<Program>
    {
        private IServiceCollection? captured;

        /// <summary>Every MedNetPortal options class with a configuration or validation registered.</summary>
        public IReadOnlyList<Type> OptionTypes
        {
            get
            {
                _ = Services;
                return captured!
                    .Where(d => d.ServiceType.IsGenericType
                                && (d.ServiceType.GetGenericTypeDefinition() == typeof(IConfigureOptions<>)
                                    || d.ServiceType.GetGenericTypeDefinition() == typeof(IValidateOptions<>)))
                    .Select(d => d.ServiceType.GetGenericArguments()[0])
                    .Where(t => t.Assembly.GetName().Name!.StartsWith("MedNetPortal", StringComparison.Ordinal))
                    .Distinct()
                    .ToList();
            }
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.ConfigureAppConfiguration((_, config) =>
            {
                config.Sources.Clear();
                config.AddJsonFile(configurationFile, optional: false);
            });
            builder.ConfigureServices(services => captured = services);
            // No background work: the database initialiser, the audit forwarder and the purge would reach for the servers.
            builder.ConfigureTestServices(services => services.RemoveAll<IHostedService>());
        }
    }
}

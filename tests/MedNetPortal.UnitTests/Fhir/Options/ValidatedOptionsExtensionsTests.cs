using System.ComponentModel.DataAnnotations;
using MedNetPortal.Fhir.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MedNetPortal.UnitTests.Fhir.Options;

public sealed class ValidatedOptionsExtensionsTests
{
    public sealed class SampleOptions : IValidatableObject
    {
        [Required]
        public string Folder { get; set; } = "";

        [Range(1, 100)]
        public int PageSize { get; set; } = 10;

        [RegularExpression("^/[a-z]*$")]
        public string PathBase { get; set; } = "/fhir";

        [Url(ErrorMessage = "must be an absolute http or https URL")]
        public string? Endpoint { get; set; }

        public bool Enabled { get; set; }

        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

        [ConfigurationKeyName("max-bytes")]
        [Range(1, 1000)]
        public long MaxBytes { get; set; } = 10;

        public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
        {
            if (Enabled && Endpoint is null)
            {
                yield return new ValidationResult("is required when Enabled is true", [nameof(Endpoint)]);
            }
        }
    }

    private static IServiceProvider Build(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddValidatedOptions<SampleOptions>(configuration, "Sample:Nested");
        return services.BuildServiceProvider();
    }

    private static string Failure(Dictionary<string, string?> values)
    {
        var provider = Build(values);
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SampleOptions>>().Value).Message;
    }

    [Fact]
    public void Valid_section_binds()
    {
        var options = Build(new() { ["Sample:Nested:Folder"] = "data", ["Sample:Nested:PageSize"] = "50", ["Sample:Nested:max-bytes"] = "99" })
            .GetRequiredService<IOptions<SampleOptions>>().Value;

        Assert.Equal("data", options.Folder);
        Assert.Equal(50, options.PageSize);
        Assert.Equal(99, options.MaxBytes);
    }

    [Fact]
    public void Missing_required_value_names_section_and_key()
    {
        Assert.Equal("Sample:Nested:Folder is required", Failure(new()));
    }

    [Fact]
    public void Each_annotation_gives_a_message_that_follows_the_key()
    {
        var message = Failure(new()
        {
            ["Sample:Nested:Folder"] = "data",
            ["Sample:Nested:PageSize"] = "0",
            ["Sample:Nested:PathBase"] = "fhir",
            ["Sample:Nested:Endpoint"] = "not a url",
            ["Sample:Nested:max-bytes"] = "5000",
        });

        Assert.Contains("Sample:Nested:PageSize must be between 1 and 100", message, StringComparison.Ordinal);
        Assert.Contains("Sample:Nested:PathBase has an invalid format", message, StringComparison.Ordinal);
        Assert.Contains("Sample:Nested:Endpoint must be an absolute http or https URL", message, StringComparison.Ordinal);
        Assert.Contains("Sample:Nested:max-bytes must be between 1 and 1000", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PageSize", "ten", "Sample:Nested:PageSize must be a whole number")]
    [InlineData("Enabled", "yes", "Sample:Nested:Enabled must be true or false")]
    [InlineData("Timeout", "soon", "Sample:Nested:Timeout must be a time span (hh:mm:ss)")]
    public void Unconvertible_values_name_the_key_instead_of_failing_in_the_binder(string key, string value, string expected)
    {
        var message = Failure(new() { ["Sample:Nested:Folder"] = "data", [$"Sample:Nested:{key}"] = value });

        Assert.Equal(expected, message);
    }

    [Fact]
    public void Validatable_object_results_are_named_by_key_too()
    {
        Assert.Equal(
            "Sample:Nested:Endpoint is required when Enabled is true",
            Failure(new() { ["Sample:Nested:Folder"] = "data", ["Sample:Nested:Enabled"] = "true" }));
    }

    [Fact]
    public void Validation_runs_at_start_up()
    {
        var provider = Build(new());

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Sample:Nested:Folder is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registering_twice_validates_once()
    {
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection();
        services.AddValidatedOptions<SampleOptions>(configuration, "Sample:Nested");
        services.AddValidatedOptions<SampleOptions>(configuration, "Sample:Nested");

        var error = Assert.Throws<OptionsValidationException>(() => services.BuildServiceProvider().GetRequiredService<IOptions<SampleOptions>>().Value);

        Assert.Single(error.Failures);
    }
}

using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Fhir.Options;

/// <summary>
/// Binds an options class to one configuration section and validates it with data annotations at start-up, reporting each
/// problem as <c>&lt;Section&gt;:&lt;Key&gt; &lt;problem&gt;</c> (for example <c>Storage:DataDirectory is required</c>), so that an
/// operator reading the start-up failure knows which setting (or environment variable, <c>Storage__DataDirectory</c>) to fix.
/// </summary>
public static class ValidatedOptionsExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TOptions"/> bound to <paramref name="sectionName"/>, validated by its data annotations
    /// (and <see cref="IValidatableObject"/>) with <see cref="OptionsBuilderExtensions.ValidateOnStart{TOptions}(OptionsBuilder{TOptions})"/>.
    /// Values that cannot be converted (e.g. <c>"ten"</c> for a number) are reported the same way instead of failing in the binder.
    /// Calling it twice for the same type registers it once.
    /// </summary>
    /// <typeparam name="TOptions">The options class; its public settable properties are the section's keys.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The application configuration (root).</param>
    /// <param name="sectionName">The section path, e.g. <c>Storage</c> or <c>CentralFhir</c>.</param>
    /// <returns>The options builder, for further validation.</returns>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(
        this IServiceCollection services, IConfiguration configuration, string sectionName)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionName);

        var builder = services.AddOptions<TOptions>();
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<TOptions>) && d.ImplementationInstance is SectionValidator<TOptions>))
        {
            return builder;
        }

        var problems = new ConditionalWeakTable<TOptions, List<string>>();
        var section = configuration.GetSection(sectionName);
        services.AddSingleton<IConfigureOptions<TOptions>>(new SectionBinder<TOptions>(section, problems));
        services.AddSingleton<IOptionsChangeTokenSource<TOptions>>(new ConfigurationChangeTokenSource<TOptions>(section));
        services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(section.Path, problems));
        return builder.ValidateOnStart();
    }

    /// <summary>Formats one problem as <c>&lt;Section&gt;:&lt;Key&gt; &lt;problem&gt;</c>.</summary>
    internal static string Describe(string sectionPath, string key, string problem) =>
        string.IsNullOrEmpty(key) ? $"{sectionPath} {problem}" : $"{sectionPath}:{key} {problem}";

    internal static string KeyOf(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;

    private sealed class SectionBinder<TOptions>(IConfigurationSection section, ConditionalWeakTable<TOptions, List<string>> problems)
        : IConfigureOptions<TOptions>
        where TOptions : class
    {
        public void Configure(TOptions options)
        {
            var found = new List<string>();
            foreach (var property in SettableProperties(typeof(TOptions)))
            {
                var key = KeyOf(property);
                var raw = section[key];
                if (string.IsNullOrEmpty(raw) || !IsSimple(property.PropertyType))
                {
                    continue;
                }

                var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                if (!CanConvert(raw, target))
                {
                    found.Add(Describe(section.Path, key, $"must be {Expected(target)}"));
                }
            }

            if (found.Count == 0)
            {
                try
                {
                    section.Bind(options);
                }
                catch (InvalidOperationException ex)
                {
                    // A nested value the pre-check does not cover; the binder's message names the path.
                    found.Add(ex.Message);
                }
            }

            problems.AddOrUpdate(options, found);
        }
    }

    private sealed class SectionValidator<TOptions>(string sectionPath, ConditionalWeakTable<TOptions, List<string>> problems)
        : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            if (name != Microsoft.Extensions.Options.Options.DefaultName)
            {
                return ValidateOptionsResult.Skip;
            }

            if (problems.TryGetValue(options, out var bindingProblems) && bindingProblems.Count > 0)
            {
                // Annotations would only repeat the defaults left in place of the unconvertible values.
                return ValidateOptionsResult.Fail(bindingProblems);
            }

            var failures = new List<string>();
            foreach (var property in SettableProperties(typeof(TOptions)))
            {
                var value = property.GetValue(options);
                var context = new ValidationContext(options) { MemberName = property.Name, DisplayName = property.Name };
                foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>())
                {
                    if (attribute.GetValidationResult(value, context) is { } result && result != ValidationResult.Success)
                    {
                        failures.Add(Describe(sectionPath, KeyOf(property), Problem(attribute, result)));
                    }
                }
            }

            if (failures.Count == 0 && options is IValidatableObject validatable)
            {
                foreach (var result in validatable.Validate(new ValidationContext(options)))
                {
                    var members = result.MemberNames.ToList();
                    var message = result.ErrorMessage ?? "is invalid";
                    if (members.Count == 0)
                    {
                        failures.Add(Describe(sectionPath, string.Empty, message));
                    }
                    else
                    {
                        failures.AddRange(members.Select(m => Describe(sectionPath, KeyFor(m), message)));
                    }
                }
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        private static string KeyFor(string memberName) =>
            typeof(TOptions).GetProperty(memberName) is { } property ? KeyOf(property) : memberName;
    }

    private static IEnumerable<PropertyInfo> SettableProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0);

    private static bool IsSimple(Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        return target.IsPrimitive || target.IsEnum || target == typeof(decimal) || target == typeof(TimeSpan)
            || target == typeof(Uri) || target == typeof(DateTimeOffset) || target == typeof(DateTime) || target == typeof(Guid);
    }

    private static bool CanConvert(string raw, Type target)
    {
        if (target == typeof(Uri))
        {
            return Uri.TryCreate(raw, UriKind.RelativeOrAbsolute, out _);
        }

        try
        {
            return TypeDescriptor.GetConverter(target).ConvertFromInvariantString(raw) is not null;
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException or ArgumentException or OverflowException
                                       || ex.InnerException is FormatException or OverflowException)
        {
            return false;
        }
    }

    private static string Expected(Type target) => target switch
    {
        _ when target == typeof(bool) => "true or false",
        _ when target.IsEnum => "one of " + string.Join(", ", Enum.GetNames(target)),
        _ when target == typeof(TimeSpan) => "a time span (hh:mm:ss)",
        _ when target == typeof(int) || target == typeof(long) || target == typeof(short) => "a whole number",
        _ when target == typeof(double) || target == typeof(decimal) || target == typeof(float) => "a number",
        _ => "a valid " + target.Name,
    };

    private static string Problem(ValidationAttribute attribute, ValidationResult result)
    {
        // An explicit ErrorMessage on the attribute is written to follow the key, e.g. "must be an absolute URL".
        if (!string.IsNullOrEmpty(attribute.ErrorMessage))
        {
            return attribute.ErrorMessage;
        }

        return attribute switch
        {
            RequiredAttribute => "is required",
            RangeAttribute range => string.Create(CultureInfo.InvariantCulture, $"must be between {range.Minimum} and {range.Maximum}"),
            RegularExpressionAttribute regex => $"has an invalid format (expected {regex.Pattern})",
            StringLengthAttribute length => string.Create(CultureInfo.InvariantCulture, $"must be {length.MinimumLength} to {length.MaximumLength} characters"),
            MinLengthAttribute min => string.Create(CultureInfo.InvariantCulture, $"must have at least {min.Length} characters or items"),
            MaxLengthAttribute max => string.Create(CultureInfo.InvariantCulture, $"must have at most {max.Length} characters or items"),
            UrlAttribute => "must be an absolute http, https or ftp URL",
            EmailAddressAttribute => "must be an email address",
            _ => result.ErrorMessage ?? "is invalid",
        };
    }
}

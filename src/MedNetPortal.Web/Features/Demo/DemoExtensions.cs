namespace MedNetPortal.Web.Features.Demo;

/// <summary>Demo data for the embedded configuration (section <c>Demo</c>).</summary>
public static class DemoExtensions
{
    /// <summary>Registers the demo seeder; it runs only when <c>Demo:Enabled</c> is true.</summary>
    public static IServiceCollection AddDemoData(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DemoOptions>()
            .Bind(configuration.GetSection(DemoOptions.SectionName), o => o.ErrorOnUnknownConfiguration = false)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHostedService<DemoSeedingService>();
        return services;
    }
}

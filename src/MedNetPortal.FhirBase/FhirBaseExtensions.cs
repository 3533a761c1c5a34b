using MedNetPortal.FhirBase.Bundles;
using MedNetPortal.FhirBase.Capabilities;
using MedNetPortal.FhirBase.Http;
using MedNetPortal.FhirBase.Search;
using MedNetPortal.FhirBase.Security;
using MedNetPortal.FhirBase.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MedNetPortal.FhirBase;

/// <summary>Registers and maps the embedded central FHIR base.</summary>
public static class FhirBaseExtensions
{
    /// <summary>Name of the connection string that selects PostgreSQL for the base.</summary>
    public const string ConnectionStringName = "FhirBase";

    /// <summary>File name of the SQLite database inside <see cref="StorageOptions.DataDirectory"/>.</summary>
    public const string SqliteFileName = "fhirbase.db";

    /// <summary>
    /// Adds the base's options (sections <c>FhirBase</c>, <c>FhirBase:Auth</c>, <c>Storage</c>, connection string
    /// <c>FhirBase</c>), store and services. A PostgreSQL connection string in <c>ConnectionStrings:FhirBase</c> selects
    /// PostgreSQL; otherwise SQLite in the data folder. When <c>FhirBase:Enabled</c> is true it also adds the bearer-token
    /// scheme and, unless <c>FhirBase:Auth:Mode</c> is External, the embedded OAuth authority (see <see cref="FhirBaseAuthOptions"/>).
    /// </summary>
    public static IServiceCollection AddFhirBase(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<FhirBaseOptions>().Bind(configuration.GetSection(FhirBaseOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.SectionName)).ValidateOnStart();
        var postgres = configuration.GetConnectionString(ConnectionStringName);
        // One context type per provider, each with its own migrations; the rest of the base asks for FhirBaseDbContext.
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            services.AddDbContext<FhirBaseDbContext, PostgresFhirBaseDbContext>(options => options.UseNpgsql(postgres));
        }
        else
        {
            services.AddDbContext<FhirBaseDbContext, SqliteFhirBaseDbContext>((sp, options) =>
            {
                var folder = sp.GetRequiredService<IOptions<StorageOptions>>().Value
                    .ResolveDataDirectory(sp.GetRequiredService<IHostEnvironment>().ContentRootPath);
                options.UseSqlite($"Data Source={Path.Combine(folder, SqliteFileName)}");
            });
        }
        services.TryAddSingleton(TimeProvider.System);
        services.AddDataProtection();
        services.AddSingleton<PageLinks>();
        services.AddSingleton<CapabilityStatementBuilder>();
        services.AddScoped<ResourceStore>();
        services.AddScoped<SearchExecutor>();
        services.AddScoped<FhirInteractions>();
        services.AddScoped<BundleProcessor>();
        services.AddScoped<DocumentRegistrar>();
        services.AddScoped<ReferenceRelinker>();
        services.AddHostedService<FhirBaseInitializer>();
        FhirBaseAuthentication.AddOptions(services, configuration);
        if (configuration.GetValue<bool>($"{FhirBaseOptions.SectionName}:{nameof(FhirBaseOptions.Enabled)}"))
        {
            FhirBaseAuthentication.Add(services, configuration);
        }
        return services;
    }

    /// <summary>
    /// Applies the embedded base's pending migrations (the <c>migrate</c> command); a database made by a release without
    /// migrations is adopted first (see <see cref="SchemaMigrations"/>).
    /// </summary>
    public static async Task<SchemaMigrationResult> MigrateFhirBaseAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        return await FhirBaseInitializer.MigrateAsync(scope.ServiceProvider.GetRequiredService<FhirBaseDbContext>(), cancellationToken);
    }

    /// <summary>The embedded base's migrations not yet applied, oldest first.</summary>
    public static async Task<IReadOnlyList<string>> PendingFhirBaseMigrationsAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        return await SchemaMigrations.PendingAsync(scope.ServiceProvider.GetRequiredService<FhirBaseDbContext>(), cancellationToken);
    }

    /// <summary>Maps the FHIR REST API at <c>FhirBase:PathBase</c> when <c>FhirBase:Enabled</c> is true.</summary>
    public static IEndpointRouteBuilder MapFhirBase(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<FhirBaseOptions>>().Value;
        if (!options.Enabled)
        {
            return endpoints;
        }
        var group = endpoints.MapGroup(options.PathBase.TrimEnd('/'));
        group.DisableAntiforgery();
        FhirEndpoints.Map(group);
        return endpoints;
    }
}

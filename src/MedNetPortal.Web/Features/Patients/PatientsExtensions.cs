using MedNetPortal.Web.Host.Telemetry;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MedNetPortal.Web.Features.Patients;

/// <summary>Registers the patient lookup and record services.</summary>
public static class PatientsExtensions
{
    public static IServiceCollection AddPatients(this IServiceCollection services)
    {
        services.AddScoped<IPatientSearchService, PatientSearchService>();
        services.AddScoped<IPatientRecordService, PatientRecordService>();
        services.AddScoped<IRecordAccessHistory, RecordAccessHistory>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RecentPatientStore>();
        services.AddScoped<RecentPatients>();
        services.AddScoped<IRecentPatients>(provider => provider.GetRequiredService<RecentPatients>());
        // The record service continues the click's trace (Host/Telemetry); registered here too so that this feature
        // stands on its own where telemetry is not added (the services' integration tests).
        services.TryAddScoped<InteractionTrace>();
        return services;
    }

    /// <summary>
    /// Adds a component the record page shows under the patient banner, given the base's Patient id as its <c>PatientId</c>
    /// parameter: how another feature (letters) offers an action on a record without this feature depending on it.
    /// </summary>
    public static IServiceCollection AddPatientRecordAction<TComponent>(this IServiceCollection services)
        where TComponent : IComponent
    {
        services.AddSingleton(new PatientRecordAction(typeof(TComponent)));
        return services;
    }
}

/// <summary>A component shown on the record page with the record's <c>PatientId</c> (see <see cref="PatientsExtensions.AddPatientRecordAction{TComponent}"/>).</summary>
public sealed record PatientRecordAction(Type Component);

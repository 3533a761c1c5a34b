namespace MedNetPortal.Web.Features.Patients;

/// <summary>Registers the patient lookup and record services.</summary>
public static class PatientsExtensions
{
    public static IServiceCollection AddPatients(this IServiceCollection services)
    {
        services.AddScoped<IPatientSearchService, PatientSearchService>();
        services.AddScoped<IPatientRecordService, PatientRecordService>();
        return services;
    }
}

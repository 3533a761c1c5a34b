using System.Net.Http.Headers;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Demo;

namespace MedNetPortal.EndToEndTests.Infrastructure;

/// <summary>Waits for the demo seeding of a portal started with <c>Demo:Enabled=true</c>, through its FHIR API.</summary>
public static class DemoSeeding
{
    /// <summary>
    /// The base's id of a demo patient, once the patient and their allergies are stored (seeding runs in the background
    /// after start-up; pages that prefill from the record need both).
    /// </summary>
    public static async Task<string> PatientIdAsync(PortalServer portal, DemoPatient patient)
    {
        ArgumentNullException.ThrowIfNull(portal);
        ArgumentNullException.ThrowIfNull(patient);
        using var http = portal.CreateBaseClient(new Uri(portal.RootUri, "fhir/"));
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            using var body = new FormUrlEncodedContent([new("identifier", $"{JpFhir.Systems.InsuranceMemberId}|{patient.QualificationIdentifier}")]);
            using var response = await http.PostAsync("Patient/_search", body);
            if (response.IsSuccessStatusCode
                && FhirJson.Deserialize<Hl7.Fhir.Model.Bundle>(await response.Content.ReadAsStringAsync()).Entry.FirstOrDefault()?.Resource?.Id is { } id)
            {
                using var allergies = await http.GetAsync($"AllergyIntolerance?patient=Patient/{id}");
                if (FhirJson.Deserialize<Hl7.Fhir.Model.Bundle>(await allergies.Content.ReadAsStringAsync()).Entry.Count > 1)
                {
                    return id;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Demo seeding did not finish.");
            }

            await Task.Delay(300);
        }
    }
}

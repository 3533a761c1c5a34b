using System.Text;
using System.Text.Json.Nodes;
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

    /// <summary>
    /// Stores two patients carrying the same insurance identifier <paramref name="identifier"/> (a data error the lookup lists
    /// as several matches), named "<paramref name="family"/> 一郎" and "… 二郎"; once: nothing when one with it exists. The ids
    /// of the patients it stored.
    /// </summary>
    public static async Task<IReadOnlyList<string>> TwoPatientsSharingAnIdentifierAsync(PortalServer portal, string identifier, string family)
    {
        ArgumentNullException.ThrowIfNull(portal);
        using var http = portal.CreateBaseClient(new Uri(portal.RootUri, "fhir/"));
        using var search = new FormUrlEncodedContent([new("identifier", $"{JpFhir.Systems.InsuranceMemberId}|{identifier}")]);
        using var existing = await http.PostAsync("Patient/_search", search);
        if ((await existing.Content.ReadAsStringAsync()).Contains("\"entry\"", StringComparison.Ordinal))
        {
            return [];
        }

        var ids = new List<string>();
        foreach (var (given, birth) in new[] { ("一郎", "1960-01-01"), ("二郎", "1962-02-02") })
        {
            var patient = new JsonObject
            {
                ["resourceType"] = "Patient",
                ["identifier"] = new JsonArray(new JsonObject { ["system"] = JpFhir.Systems.InsuranceMemberId, ["value"] = identifier }),
                ["name"] = new JsonArray(new JsonObject { ["text"] = $"{family} {given}", ["family"] = family, ["given"] = new JsonArray(given) }),
                ["gender"] = "male",
                ["birthDate"] = birth,
            };
            using var content = new StringContent(patient.ToJsonString(), Encoding.UTF8, "application/fhir+json");
            using var response = await http.PostAsync("Patient", content);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            ids.Add(FhirJson.Deserialize<Hl7.Fhir.Model.Patient>(body).Id!);
        }

        return ids;
    }
}

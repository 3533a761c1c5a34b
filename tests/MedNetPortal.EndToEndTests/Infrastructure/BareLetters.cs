using System.Net.Http.Json;
using System.Text.Json;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Demo;
using FhirJson = MedNetPortal.Fhir.FhirJson;

namespace MedNetPortal.EndToEndTests.Infrastructure;

/// <summary>Letters posted to the base as bare document Bundles, as an outside EHR would (the base adds the DocumentReference and routing Task).</summary>
public static class BareLetters
{
    /// <summary>A demo clinic → demo hospital letter about a made-up patient; answers the document's id.</summary>
    public static async Task<string> ClinicToHospitalAsync(PortalServer portal, string nameKanji, string nameKana, string purpose)
    {
        ArgumentNullException.ThrowIfNull(portal);
        // A letter posted before the demo seeding has written the facilities' Organizations reaches them once it has (the
        // base re-links it); waiting for the seeding keeps the test from opening a mailbox whose facility is not there yet.
        await DemoSeeding.PatientIdAsync(portal, DemoPatients.SatoKenichi);
        var clinic = DemoFacilities.Clinic;
        var hospital = DemoFacilities.Hospital;
        var content = new ReferralLetterContent
        {
            Sender = new ReferralSender(clinic.Name, clinic.Code, clinic.AddressText, clinic.Phone, "01", "内科", "森 一郎", "モリ イチロウ"),
            Destination = new ReferralDestination(hospital.Name, hospital.Code, "081", "循環器内科", "青木 誠一"),
            Patient = new ReferralPatient("00131045:あいう:１８７:05", nameKanji, nameKana, new DateOnly(1960, 4, 1), ReferralSex.Male, Address: "〒131-0045 東京都墨田区押上１−１−２"),
            Purpose = purpose,
            Diagnoses = "高血圧症",
            PresentIllness = "特記すべき経過はありません。",
            LocalId = "E2E-" + Guid.NewGuid().ToString("N"),
            IssuedAt = DateTimeOffset.UtcNow,
        };
        using var http = portal.CreateBaseClient();
        using var body = new StringContent(FhirJson.Serialize(ReferralDocumentBuilder.Build(content)), System.Text.Encoding.UTF8, "application/fhir+json");
        using var response = await http.PostAsync(new Uri("fhir/Bundle", UriKind.Relative), body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}

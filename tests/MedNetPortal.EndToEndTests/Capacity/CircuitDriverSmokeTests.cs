extern alias driver;

using driver::MedNetPortal.CircuitDriver;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Web.Features.Demo;

namespace MedNetPortal.EndToEndTests.Capacity;

/// <summary>
/// The protocol load driver (bench/MedNetPortal.CircuitDriver) still speaks the portal's Blazor Server protocol: two
/// circuits without a browser, signed in over HTTP, open a record, go to the lookup and open another record, each render
/// seen in the render batches. Not a measurement: that is the driver's job (docs/performance.md).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CircuitDriverSmokeTests(BrowserFixture browser)
{
    [Fact]
    public async Task Two_circuits_without_a_browser_open_records_and_navigate()
    {
        var root = browser.Portal.RootUri;
        // The patients with consent at both demo facilities, once seeding has stored every demo patient.
        var consenting = await Driver.DemoPatientIdsAsync(root, CancellationToken.None);
        var (first, second) = (consenting[0], consenting[1]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        var timeout = TimeSpan.FromSeconds(20);
        using var clinic = await SignInSession.SignInAsync(root, "doctor@clinic.example", DemoOptions.DefaultPassword, cts.Token);
        using var hospital = await SignInSession.SignInAsync(root, "doctor@hospital.example", DemoOptions.DefaultPassword, cts.Token);

        await using var a = await BlazorCircuit.OpenAsync(clinic, "patients/" + first, Driver.RecordReady, Driver.RecordError, timeout, cts.Token);
        await using var b = await BlazorCircuit.OpenAsync(hospital, "patients/" + second, Driver.RecordReady, Driver.RecordError, timeout, cts.Token);
        foreach (var (circuit, next) in new[] { (a, second), (b, first) })
        {
            await circuit.NavigateAsync("patients", Driver.LookupReady, null, timeout, cts.Token);
            var elapsed = await circuit.NavigateAsync("patients/" + next, Driver.RecordReady, Driver.RecordError, timeout, cts.Token);
            Assert.True(elapsed > TimeSpan.Zero);
            Assert.NotNull(circuit.RendererInteropId);
        }

        // Every render batch was acknowledged (the server sends no more than 10 unacknowledged), and the JS calls a browser
        // would have run were answered: the portal's idle-timeout module among them.
        Assert.All(new[] { a, b }, c => Assert.True(c.Batches >= 4, $"{c.Batches} render batches"));
        Assert.Contains(BlazorCircuit.JsCalls.Keys, k => k.StartsWith("import ", StringComparison.Ordinal));

        // A record the signed-in user may not see renders its refusal, not the banner: the driver tells them apart.
        var withoutConsent = await PatientIdAsync(DemoPatients.KobayashiMinoru);
        await Assert.ThrowsAsync<TimeoutException>(() =>
            a.NavigateAsync("patients/" + withoutConsent, Driver.RecordReady, Driver.RecordError, TimeSpan.FromSeconds(5), cts.Token));
    }

    private async Task<string> PatientIdAsync(DemoPatient patient)
    {
        using var http = browser.Portal.CreateBaseClient(new Uri(browser.Portal.RootUri, "fhir/"));
        using var body = new FormUrlEncodedContent([new("identifier", $"{MedNetPortal.Fhir.JpFhir.Systems.InsuranceMemberId}|{patient.QualificationIdentifier}")]);
        using var response = await http.PostAsync("Patient/_search", body);
        var bundle = MedNetPortal.Fhir.FhirJson.Deserialize<Hl7.Fhir.Model.Bundle>(await response.Content.ReadAsStringAsync());
        return bundle.Entry.Single().Resource!.Id!;
    }
}

// Tests walk Firely models whose elements are all nullable; a missing element fails the test with an exception anyway.
#nullable disable warnings

using System.Text.Json;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Conformance;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.IntegrationTests.Infrastructure;
using MedNetPortal.IntegrationTests.Letters;
using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Letters.Compose;
using Microsoft.Extensions.DependencyInjection;
using Task = System.Threading.Tasks.Task;

namespace MedNetPortal.IntegrationTests.Conformance;

/// <summary>The portal and the official profiles: /health, sending, and what the demo base holds.</summary>
public sealed class ProfileValidationIntegrationTests(EmbeddedFhirBaseFixture fixture) : IClassFixture<EmbeddedFhirBaseFixture>
{
    [Fact]
    public async Task Without_packages_the_portal_runs_and_health_says_profile_validation_is_unavailable_naming_the_setting()
    {
        var empty = Directory.CreateTempSubdirectory("mednet-no-packages-");
        try
        {
            await using var factory = new PortalFactory(new Dictionary<string, string?> { ["Conformance:PackageDirectory"] = empty.FullName });
            using var browser = await SystemAdminAsync(factory);
            var client = browser.Client;

            using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var entry = json.RootElement.GetProperty("entries").GetProperty("profile-validation");

            Assert.Equal("Degraded", entry.GetProperty("status").GetString());
            Assert.Contains("Conformance:PackageDirectory", entry.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Equal(ProfileValidatorState.Unavailable, factory.Services.GetRequiredService<IProfileValidator>().Status.State);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [OfficialPackagesFact]
    public async Task With_packages_health_reports_the_validator_healthy()
    {
        await using var factory = new PortalFactory(new Dictionary<string, string?> { ["Conformance:PackageDirectory"] = Packages().Directory });
        using var browser = await SystemAdminAsync(factory);
        var client = browser.Client;

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("Healthy", json.RootElement.GetProperty("entries").GetProperty("profile-validation").GetProperty("status").GetString());
    }

    [OfficialPackagesFact]
    public async Task A_letter_the_portal_rules_accept_but_the_profiles_reject_is_not_sent_and_the_error_points_at_the_diagnoses()
    {
        using var services = ReferralClient.Services(fixture.BaseUri, new TimeoutAfterServerHandler(failures: 0));
        var sender = new ReferralLetterSender(services.GetRequiredService<CentralFhirClient>(), OfficialPackages.Validator);
        // A shared diagnosis without the MEDIS 病名管理番号 coding JP_Condition_eCS requires: the portal's own rules allow it.
        var condition = DemoClinicalResources.ToCondition(DemoRecords.For(DemoPatients.SatoKenichi.Key).Diagnoses[0], "Patient/x", k => "Practitioner/" + k);
        condition.Code.Coding.RemoveAll(c => c.System == JpFhir.Systems.MedisDiseaseKeyNumber);
        var letter = ReferralClient.Letter("R-" + Guid.NewGuid().ToString("N")) with { DiagnosisCopies = [new SharedResourceCopy(FhirJson.Serialize(condition))] };
        Assert.Empty(ReferralDocumentValidator.Validate(letter));

        var result = await sender.SendAsync(letter, CancellationToken.None);
        var fixedLetter = await sender.SendAsync(ReferralClient.Letter("R-" + Guid.NewGuid().ToString("N")), CancellationToken.None);

        Assert.Equal(SendOutcome.Invalid, result.Outcome);
        Assert.Contains(result.Problems, p => p.Code == ReferralProblemCode.ProfileViolation && p.Field == ReferralField.Diagnoses
            && p.Profile!.Subject == "coding:medisRecordNo");
        Assert.Equal(0, await CountAsync(result.BundleIdentifier));
        Assert.Equal(SendOutcome.Sent, fixedLetter.Outcome);
    }

    [OfficialPackagesFact]
    public async Task Every_document_bundle_the_demo_base_holds_passes_the_official_profiles()
    {
        await using var factory = new PortalFactory(new Dictionary<string, string?> { ["Demo:Enabled"] = "true" });
        using var client = factory.CreatePortalClient();
        var api = factory.Services.GetRequiredService<CentralFhirClient>();
        Bundle page = new();
        await Eventually(async () =>
        {
            page = await api.SearchAsync<Bundle>(new FhirSearchParameters().Add("type", "document").Add("_count", "100"), CancellationToken.None);
            return page.Entry.Count >= DemoLetters.All.Count + DemoDocuments.All().Count;
        });

        // The check-up report's own guide (eCheckupReport) is not among the official packages loaded here; its parts that
        // JP-CLINS defines are checked in the unit tier (OfficialProfileTests). Every other document is checked whole.
        var documents = page.Entry.Select(e => e.Resource).OfType<Bundle>()
            .Where(b => b.Meta?.Profile.Contains(DemoDocuments.CheckupBundleProfile) != true).ToList();
        Assert.Equal(DemoLetters.All.Count + 1, documents.Count);
        Assert.Contains(documents, d => d.Meta?.Profile.Contains(DemoDocuments.DischargeSummaryBundleProfile) == true);
        foreach (var document in documents)
        {
            var report = await OfficialPackages.Validator.ValidateAsync(document, CancellationToken.None);
            Assert.True(report.Errors.Count == 0, document.Identifier?.Value + ": " + string.Join("\n", report.Errors.Select(e => $"{e.Location}: {e.Message}")));
        }
    }

    private static (string Directory, ConformancePackages Files) Packages()
    {
        var found = ConformancePackages.Locate(null, AppContext.BaseDirectory).Packages!;
        return (Path.GetDirectoryName(found.JpClins)!, found);
    }

    private async Task<int> CountAsync(string bundleIdentifier)
    {
        using var response = await fixture.Http.GetAsync(new Uri($"Bundle?identifier={Uri.EscapeDataString(JpFhir.Systems.BundleIdentifier + "|" + bundleIdentifier)}&_summary=count", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("total").GetInt32();
    }

    private static async Task Eventually(Func<Task<bool>> done)
    {
        for (var i = 0; i < 120; i++)
        {
            if (await done())
            {
                return;
            }

            await Task.Delay(500);
        }

        Assert.Fail("The demo letters were not seeded in time.");
    }

    /// <summary>The health details are for a signed-in SystemAdmin; anonymous callers get one word.</summary>
    private static async Task<MedNetPortal.IntegrationTests.Account.PortalBrowser> SystemAdminAsync(PortalFactory factory)
    {
        await MedNetPortal.IntegrationTests.Account.TestAccounts.CreateAsync(factory.Services, "profiles-admin@test.example", MedNetPortal.Web.Host.Identity.PortalRoles.SystemAdmin);
        return await MedNetPortal.IntegrationTests.Account.PortalBrowser.SignedInAsync(factory, "profiles-admin@test.example");
    }
}

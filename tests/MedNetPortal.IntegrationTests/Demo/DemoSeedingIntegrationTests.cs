using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.IntegrationTests.Infrastructure;
using MedNetPortal.Web.Features.Demo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Hl7.Fhir.Serialization;
using MedNetPortal.Tests.Shared;

namespace MedNetPortal.IntegrationTests.Demo;

/// <summary>The demo seeder and the import command against the real embedded base over HTTP.</summary>
public sealed class DemoSeedingIntegrationTests(EmbeddedFhirBaseFixture fixture) : IClassFixture<EmbeddedFhirBaseFixture>
{
    private static readonly JsonSerializerOptions Json = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);

    [Fact]
    public async System.Threading.Tasks.Task Seeding_twice_adds_nothing_the_second_time()
    {
        // A base of its own: the class fixture may already have been seeded by another test of this class.
        var fresh = new EmbeddedFhirBaseFixture();
        await fresh.InitializeAsync();
        try
        {
            await SeedTwiceAndCompareAsync(fresh);
        }
        finally
        {
            await fresh.DisposeAsync();
        }
    }

    private static async System.Threading.Tasks.Task SeedTwiceAndCompareAsync(EmbeddedFhirBaseFixture fixture)
    {
        using var services = ClientServices(fixture.BaseUri);
        var api = services.GetRequiredService<IFhirApi>();

        var first = await DemoSeeder.SeedAsync(api, CancellationToken.None);
        var afterFirst = await CountsAsync(fixture.Http);
        var second = await DemoSeeder.SeedAsync(api, CancellationToken.None);
        var afterSecond = await CountsAsync(fixture.Http);

        Assert.True(first.ResourcesCreated > 0);
        Assert.Equal(DemoLetters.All.Count, first.LettersCreated);
        Assert.Equal(0, second.ResourcesCreated);
        Assert.Equal(0, second.LettersCreated);
        Assert.Equal(afterFirst, afterSecond);
        Assert.Equal(DemoPatients.All.Count, afterFirst["Patient"]);
        Assert.Equal(DemoLetters.All.Count + DemoDocuments.All().Count, afterFirst["Bundle"]);
        Assert.Equal(2, first.DocumentsCreated);
        Assert.Equal(0, second.DocumentsCreated);
        Assert.Equal(DemoRecords.All.Sum(r => r.Diagnoses.Count), afterFirst["Condition"]);
        Assert.Equal(DemoFacilities.All.Count, afterFirst["Organization"]);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_seeded_patient_is_found_by_identifier_with_conditions_and_a_letter_by_bundle_identifier()
    {
        using var services = ClientServices(fixture.BaseUri);
        await DemoSeeder.SeedAsync(services.GetRequiredService<IFhirApi>(), CancellationToken.None);
        var record = DemoRecords.For(DemoPatients.SatoKenichi.Key);

        // POST _search keeps the identifier out of the URL.
        var found = await SearchAsync("Patient", new()
        {
            ["identifier"] = $"{DemoSystems.InsuranceMemberId}|{record.Patient.QualificationIdentifier}",
            ["_revinclude"] = "Condition:patient",
            ["_count"] = "100",
        });
        var patient = Assert.Single(found.Entry.Select(e => e.Resource).OfType<Patient>());
        Assert.Equal(record.Patient.NameKanji, patient.Name[0].Text);
        Assert.Equal(
            record.Diagnoses.Select(d => d.Text).Order(StringComparer.Ordinal),
            found.Entry.Select(e => e.Resource).OfType<Condition>().Select(c => c.Code!.Text).Order(StringComparer.Ordinal));

        var large = await SearchAsync("Patient", new()
        {
            ["identifier"] = $"{DemoSystems.InsuranceMemberId}|{DemoPatients.TakahashiMakoto.QualificationIdentifier}",
        });
        var largeId = Assert.Single(large.Entry.Select(e => e.Resource).OfType<Patient>()).Id;
        var conditionCount = await SearchAsync("Condition", new() { ["patient"] = "Patient/" + largeId, ["_summary"] = "count" });
        Assert.True(conditionCount.Total >= 500);

        var letter = DemoLetters.All.First(l => !l.IsTextOnly);
        var letters = await SearchAsync("Bundle", new() { ["identifier"] = $"{DemoSystems.BundleIdentifier}|{letter.BundleIdentifier}" });
        var stored = Assert.IsType<Bundle>(Assert.Single(letters.Entry).Resource);
        Assert.Equal(Bundle.BundleType.Document, stored.Type);
        Assert.Equal("診療情報提供書", Assert.IsType<Composition>(stored.Entry[0].Resource).Title);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_import_command_imports_then_skips_and_fails_on_a_bad_file()
    {
        var folder = Directory.CreateTempSubdirectory("mednet-import-it-").FullName;
        try
        {
            var unique = Guid.NewGuid().ToString("N");
            var transaction = new Bundle
            {
                Type = Bundle.BundleType.Transaction,
                Entry =
                [
                    new()
                    {
                        FullUrl = "urn:uuid:" + Guid.NewGuid(),
                        Resource = new Organization { Identifier = [new Identifier("urn:mednetportal:test", unique)], Name = "インポート試験医院" },
                        Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Organization", IfNoneExist = "identifier=urn:mednetportal:test|" + unique },
                    },
                ],
            };
            var document = DemoLetters.ToDocument(DemoLetters.All[0]);
            document.Identifier!.Value = $"{DemoFacilities.ClinicCode}^2026^IMPORT-{unique}";
            await File.WriteAllTextAsync(Path.Combine(folder, "a-transaction.json"), JsonSerializer.Serialize(transaction, Json), Encoding.UTF8);
            await File.WriteAllTextAsync(Path.Combine(folder, "b-document.json"), JsonSerializer.Serialize(document, Json), Encoding.UTF8);
            string[] args =
            [
                "import", folder, $"--CentralFhir:BaseUrl={fixture.BaseUri}",
                $"--Import:ClientId={BaseClientCredentials.ClientId}", $"--Import:ClientSecret={BaseClientCredentials.ClientSecret}",
            ];

            var (firstCode, firstOutput) = await RunImportAsync(args);
            var (secondCode, secondOutput) = await RunImportAsync(args);
            await File.WriteAllTextAsync(Path.Combine(folder, "c-bad.json"), """{"resourceType":"Bundle","type":"document","timestamp":"yesterday"}""");
            var (thirdCode, thirdOutput) = await RunImportAsync(args);

            Assert.Equal(0, firstCode);
            Assert.Contains("imported  a-transaction.json", firstOutput, StringComparison.Ordinal);
            Assert.Contains("imported  b-document.json", firstOutput, StringComparison.Ordinal);
            Assert.Equal(0, secondCode);
            Assert.Contains("skipped   a-transaction.json", secondOutput, StringComparison.Ordinal);
            Assert.Contains("skipped   b-document.json", secondOutput, StringComparison.Ordinal);
            Assert.Equal(1, thirdCode);
            Assert.Contains("failed    c-bad.json", thirdOutput, StringComparison.Ordinal);
            var letters = await SearchAsync("Bundle", new() { ["identifier"] = $"{DemoSystems.BundleIdentifier}|{document.Identifier.Value}" });
            Assert.Single(letters.Entry);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task The_import_command_without_its_client_secret_stops_naming_the_setting()
    {
        var folder = Directory.CreateTempSubdirectory("mednet-import-nosecret-").FullName;
        try
        {
            var (code, output) = await RunImportAsync(["import", folder, $"--CentralFhir:BaseUrl={fixture.BaseUri}"]);

            Assert.Equal(2, code);
            Assert.Contains("Import:ClientSecret is not set", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task The_import_command_with_a_wrong_secret_imports_nothing()
    {
        var folder = Directory.CreateTempSubdirectory("mednet-import-wrong-").FullName;
        try
        {
            var unique = Guid.NewGuid().ToString("N");
            var organization = new Organization { Identifier = [new Identifier("urn:mednetportal:test", unique)], Name = "秘密違い医院" };
            await File.WriteAllTextAsync(Path.Combine(folder, "a.json"), JsonSerializer.Serialize(organization, Json), Encoding.UTF8);

            var (code, output) = await RunImportAsync(
            [
                "import", folder, $"--CentralFhir:BaseUrl={fixture.BaseUri}",
                $"--Import:ClientId={BaseClientCredentials.ClientId}", "--Import:ClientSecret=not-the-secret-0123456789",
            ]);

            Assert.Equal(1, code);
            Assert.Contains("failed    a.json", output, StringComparison.Ordinal);
            Assert.Empty((await SearchAsync("Organization", new() { ["identifier"] = "urn:mednetportal:test|" + unique })).Entry);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task The_import_command_into_the_embedded_base_uses_the_import_client_registered_there()
    {
        var folder = Directory.CreateTempSubdirectory("mednet-import-embedded-").FullName;
        var data = Directory.CreateTempSubdirectory("mednet-import-data-").FullName;
        try
        {
            var organization = new Organization { Identifier = [new Identifier("urn:mednetportal:test", Guid.NewGuid().ToString("N"))], Name = "組込み取込医院" };
            await File.WriteAllTextAsync(Path.Combine(folder, "a.json"), JsonSerializer.Serialize(organization, Json), Encoding.UTF8);

            var (code, output) = await RunImportAsync(
            [
                "import", folder, "--FhirBase:Enabled=true", $"--Storage:DataDirectory={data}", "--CentralFhir:BaseUrl=",
                // A fresh data folder outside Development: the embedded base's schema is created by its migrations at start-up.
                "--Database:MigrateOnStartup=true",
                "--FhirBase:Auth:Mode=Embedded", "--FhirBase:Auth:Clients:import:Secret=import-client-secret-0123",
                "--FhirBase:Auth:Clients:import:Scopes=system/*.crus",
            ]);

            Assert.Equal(0, code);
            Assert.Contains("imported  a.json", output, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
            Directory.Delete(data, recursive: true);
        }
    }

    [OfficialPackagesFact]
    public async System.Threading.Tasks.Task Import_reports_profile_errors_of_what_it_imports_and_imports_it_anyway()
    {
        var folder = Directory.CreateTempSubdirectory("mednet-import-profile-").FullName;
        try
        {
            var unique = Guid.NewGuid().ToString("N")[..8];
            var valid = DemoLetters.ToDocument(DemoLetters.All[0]);
            valid.Identifier!.Value = $"{DemoFacilities.ClinicCode}^2025^PROFILE-OK-{unique}";
            var broken = DemoLetters.ToDocument(DemoLetters.All[0]);
            broken.Identifier!.Value = $"{DemoFacilities.ClinicCode}^2025^PROFILE-BROKEN-{unique}";
            broken.Entry.Select(e => e.Resource).OfType<Patient>().Single().Address.Clear();
            await File.WriteAllTextAsync(Path.Combine(folder, "a-valid.json"), JsonSerializer.Serialize(valid, Json), Encoding.UTF8);
            await File.WriteAllTextAsync(Path.Combine(folder, "b-broken.json"), JsonSerializer.Serialize(broken, Json), Encoding.UTF8);

            var (code, output) = await RunImportAsync(["import", folder, $"--CentralFhir:BaseUrl={fixture.BaseUri}", $"--Import:ClientId={BaseClientCredentials.ClientId}", $"--Import:ClientSecret={BaseClientCredentials.ClientSecret}"]);

            Assert.Equal(0, code);
            Assert.Contains("imported  a-valid.json", output, StringComparison.Ordinal);
            Assert.Contains("imported  b-broken.json", output, StringComparison.Ordinal);
            Assert.DoesNotContain("profile   a-valid.json", output, StringComparison.Ordinal);
            Assert.Matches(@"profile   b-broken\.json: \d+ error\(s\) against the official JP-CLINS profiles \(imported anyway\)", output);
            Assert.Contains("Bundle.entry[1].resource[0]: Missing required member: 'address'", output, StringComparison.Ordinal);
            Assert.Contains("Missing required member: 'address'", output, StringComparison.Ordinal);
            var stored = await SearchAsync("Bundle", new() { ["identifier"] = $"{DemoSystems.BundleIdentifier}|{broken.Identifier.Value}" });
            Assert.Single(stored.Entry);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task Import_without_the_packages_says_profiles_were_not_checked_and_still_imports()
    {
        var folder = Directory.CreateTempSubdirectory("mednet-import-noprofile-").FullName;
        try
        {
            var document = DemoLetters.ToDocument(DemoLetters.All[0]);
            document.Identifier!.Value = $"{DemoFacilities.ClinicCode}^2025^NOPROFILE-{Guid.NewGuid():N}";
            await File.WriteAllTextAsync(Path.Combine(folder, "a.json"), JsonSerializer.Serialize(document, Json), Encoding.UTF8);

            var (code, output) = await RunImportAsync(["import", folder, $"--CentralFhir:BaseUrl={fixture.BaseUri}", $"--Import:ClientId={BaseClientCredentials.ClientId}", $"--Import:ClientSecret={BaseClientCredentials.ClientSecret}", 
                $"--Conformance:PackageDirectory={Path.Combine(folder, "no-packages-here")}"]);

            Assert.Equal(0, code);
            Assert.Contains("imported  a.json", output, StringComparison.Ordinal);
            Assert.Contains("profile   not checked: Official-profile validation unavailable", output, StringComparison.Ordinal);
            Assert.Contains("Conformance:PackageDirectory", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(int Code, string Output)> RunImportAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ImportCommand.RunAsync(args, output, error, CancellationToken.None);
        return (code, output + error.ToString());
    }

    private static ServiceProvider ClientServices(Uri baseUri)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(BaseClientCredentials.ClientSettings(baseUri))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCentralFhirClient(configuration);
        return services.BuildServiceProvider();
    }

    private static async Task<Dictionary<string, int>> CountsAsync(HttpClient http)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var type in new[] { "Patient", "Condition", "AllergyIntolerance", "Observation", "MedicationRequest", "Organization", "Practitioner", "PractitionerRole", "Bundle" })
        {
            using var response = await http.GetAsync(new Uri($"{type}?_summary=count", UriKind.Relative));
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            counts[type] = json.RootElement.GetProperty("total").GetInt32();
        }

        return counts;
    }

    private async Task<Bundle> SearchAsync(string type, Dictionary<string, string> parameters)
    {
        using var content = new FormUrlEncodedContent(parameters);
        using var response = await fixture.Http.PostAsync(new Uri($"{type}/_search", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
        return (Bundle)JsonSerializer.Deserialize<Resource>(await response.Content.ReadAsStringAsync(), Json)!;
    }
}

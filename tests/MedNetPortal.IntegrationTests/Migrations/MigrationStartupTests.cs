using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Host.Data;
using Microsoft.Data.Sqlite;

namespace MedNetPortal.IntegrationTests.Migrations;

/// <summary>Outside Database:MigrateOnStartup, pending migrations stop start-up naming the command and the setting; `migrate` applies them.</summary>
public sealed class MigrationStartupTests
{
    [Fact]
    public void Start_up_with_pending_migrations_and_without_the_setting_stops_naming_the_command_and_the_setting()
    {
        using var factory = new PortalFactory(new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" }, environment: "Production");

        var error = Record.Exception(factory.StartServer);

        Assert.NotNull(error);
        var message = StartupValidationTests.Messages(error);
        Assert.Contains("The portal database needs 3 schema migration(s): 20261203000000_InitialSchema", message, StringComparison.Ordinal);
        Assert.Contains("-- migrate", message, StringComparison.Ordinal);
        Assert.Contains("Database:MigrateOnStartup=true", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_setting_that_is_not_a_boolean_stops_start_up_naming_the_key()
    {
        using var factory = new PortalFactory(new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "sometimes" });

        var error = Record.Exception(factory.StartServer);

        Assert.NotNull(error);
        Assert.Contains("Database:MigrateOnStartup", StartupValidationTests.Messages(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_migrate_command_lists_then_applies_both_databases_and_the_portal_then_starts_without_the_setting()
    {
        var data = Directory.CreateTempSubdirectory("mednet-migrate-").FullName;
        try
        {
            string[] args = ["--FhirBase:Enabled=true", $"--Storage:DataDirectory={data}"];
            var (listCode, listed) = await RunAsync(["migrate", "--list", .. args]);
            var (code, applied) = await RunAsync(["migrate", .. args]);
            var (againCode, again) = await RunAsync(["migrate", .. args]);
            var (usageCode, _) = await RunAsync(["migrate", "extra"]);

            Assert.Equal(0, listCode);
            Assert.Contains("migrate: portal database: 3 pending: 20261203000000_InitialSchema", listed, StringComparison.Ordinal);
            Assert.Contains("migrate: embedded FHIR base database: 1 pending: 20261203000000_InitialSchema", listed, StringComparison.Ordinal);
            Assert.Equal(0, code);
            Assert.Contains("migrate: portal database: applied 20261203000000_InitialSchema", applied, StringComparison.Ordinal);
            Assert.Contains("migrate: embedded FHIR base database: applied 20261203000000_InitialSchema", applied, StringComparison.Ordinal);
            Assert.Equal(0, againCode);
            Assert.Contains("migrate: portal database: up to date", again, StringComparison.Ordinal);
            Assert.Equal(2, usageCode);

            await using var factory = new PortalFactory(
                new Dictionary<string, string?> { ["Storage:DataDirectory"] = data, ["Database:MigrateOnStartup"] = "false" }, environment: "Production");
            factory.StartServer();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await MigrateCommand.RunAsync(args, output, error, CancellationToken.None);
        return (code, output.ToString() + error);
    }
}

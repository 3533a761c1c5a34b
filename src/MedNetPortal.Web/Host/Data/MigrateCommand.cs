using MedNetPortal.Web.Host.Hosting;
using MedNetPortal.FhirBase;
using MedNetPortal.FhirBase.Storage;

namespace MedNetPortal.Web.Host.Data;

/// <summary>
/// <c>dotnet run --project src/MedNetPortal.Web -- migrate [--list] [configuration args]</c>: applies the pending EF Core
/// migrations of the portal database and, when <c>FhirBase:Enabled</c>, of the embedded base's database, for this
/// configuration (same <c>Storage:DataDirectory</c> / <c>ConnectionStrings</c> as the portal). A database made by a release
/// without migrations is recognised and upgraded in place. <c>--list</c> only lists what is pending. Exit codes: 0 done (or
/// nothing pending), 1 a migration failed or the schema is not one this release can upgrade, 2 bad usage or configuration.
/// </summary>
public static class MigrateCommand
{
    public const string Name = "migrate";

    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken) =>
        RunAsync(args, Console.Out, Console.Error, cancellationToken);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (PortalCommandLine.Parse(args, Name, "--list") is not { } parsed)
        {
            await error.WriteLineAsync("usage: migrate [--list] [--Key=Value ...]");
            return 2;
        }

        var listOnly = parsed.Flags.Contains("--list");
        var builder = PortalCommandLine.CreateBuilder(parsed.ConfigurationArgs);
        // EF logs every migration's SQL at Information; the command prints one line per database instead.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Services.AddPortalDatabase(builder.Configuration);
        builder.Services.AddFhirBase(builder.Configuration);
        var withBase = builder.Configuration.GetValue<bool>($"{FhirBaseOptions.SectionName}:{nameof(FhirBaseOptions.Enabled)}");
        var mayRecreate = builder.Configuration.GetValue<bool>("Demo:Enabled");
        WebApplication app;
        try
        {
            app = builder.Build();
        }
#pragma warning disable CA1031 // A command reports a configuration failure as one line and an exit code, not a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await error.WriteLineAsync($"migrate: bad configuration ({ex.GetType().Name}: {ex.Message.Split('\n', 2)[0]})");
            return 2;
        }

        await using (app)
        {
            var status = await RunOneAsync(
                PortalDataExtensions.PortalDatabaseInitializer.DatabaseName, listOnly, output, error,
                ct => app.Services.PendingPortalMigrationsAsync(ct),
                ct => app.Services.MigratePortalDatabaseAsync(mayRecreate, ct),
                cancellationToken);
            if (status == 0 && withBase)
            {
                status = await RunOneAsync(
                    BaseDatabaseName, listOnly, output, error,
                    ct => app.Services.PendingFhirBaseMigrationsAsync(ct),
                    ct => app.Services.MigrateFhirBaseAsync(ct),
                    cancellationToken);
            }

            return status;
        }
    }

    private const string BaseDatabaseName = "embedded FHIR base database";

    private static async Task<int> RunOneAsync(
        string database,
        bool listOnly,
        TextWriter output,
        TextWriter error,
        Func<CancellationToken, Task<IReadOnlyList<string>>> pending,
        Func<CancellationToken, Task<SchemaMigrationResult>> migrate,
        CancellationToken cancellationToken)
    {
        try
        {
            if (listOnly)
            {
                var list = await pending(cancellationToken);
                await output.WriteLineAsync(list.Count == 0
                    ? $"migrate: {database}: up to date"
                    : $"migrate: {database}: {list.Count} pending: {string.Join(", ", list)}");
                return 0;
            }

            var result = await migrate(cancellationToken);
            if (result.Adopted is { } adopted)
            {
                await output.WriteLineAsync($"migrate: {database}: made without migrations; recognised as {adopted}");
            }

            await output.WriteLineAsync(result.Applied.Count == 0
                ? $"migrate: {database}: up to date"
                : $"migrate: {database}: applied {string.Join(", ", result.Applied)}");
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // One line and an exit code, not a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await error.WriteLineAsync($"migrate: {database}: failed ({ex.GetType().Name}: {ex.Message.Split('\n', 2)[0]})");
            return 1;
        }
    }
}

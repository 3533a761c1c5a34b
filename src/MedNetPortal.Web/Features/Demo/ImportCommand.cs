using MedNetPortal.Web.Host.Hosting;
using System.Net;
using System.Net.Sockets;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Conformance;
using MedNetPortal.Fhir.Options;
using MedNetPortal.FhirBase;
using MedNetPortal.Web.Host.Conformance;
using MedNetPortal.FhirBase.Security;

namespace MedNetPortal.Web.Features.Demo;

/// <summary>
/// <c>dotnet run --project src/MedNetPortal.Web -- import &lt;folder&gt; [configuration args]</c>: imports a folder of FHIR JSON
/// Bundles into the central base and prints one line per file. With <c>CentralFhir:BaseUrl</c> empty the embedded base
/// (same configuration, same data folder) is started on a free 127.0.0.1 port for the duration of the import. The command
/// authenticates as its own OAuth client (section <c>Import</c>, see <see cref="ImportOptions"/>).
/// Exit codes: 0 all imported or skipped, 1 some file failed, 2 bad usage or configuration.
/// </summary>
public static class ImportCommand
{
    public const string Name = "import";

    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken) =>
        RunAsync(args, Console.Out, Console.Error, cancellationToken);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args is not [Name, var folderArgument, .. var rest])
        {
            await error.WriteLineAsync("usage: import <folder> [--Key=Value ...]");
            return 2;
        }

        var folder = Path.GetFullPath(folderArgument);
        if (!Directory.Exists(folder))
        {
            await error.WriteLineAsync($"import: folder not found: {folder}");
            return 2;
        }

        var builder = PortalCommandLine.CreateBuilder(rest);

        var embedded = string.IsNullOrWhiteSpace(builder.Configuration["CentralFhir:BaseUrl"]);
        if (embedded)
        {
            var fhirBase = builder.Configuration.GetSection(FhirBaseOptions.SectionName).Get<FhirBaseOptions>() ?? new FhirBaseOptions();
            if (!fhirBase.Enabled)
            {
                await error.WriteLineAsync("import: CentralFhir:BaseUrl is empty and FhirBase:Enabled is false, so there is no base to import into.");
                return 2;
            }

            var port = FreeLoopbackPort();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            builder.Configuration["CentralFhir:BaseUrl"] = $"http://127.0.0.1:{port}{fhirBase.PathBase.TrimEnd('/')}/";
            builder.Services.AddFhirBase(builder.Configuration);
        }

        var import = builder.Configuration.GetSection(ImportOptions.SectionName).Get<ImportOptions>() ?? new ImportOptions();
        var clientId = string.IsNullOrWhiteSpace(import.ClientId) ? new ImportOptions().ClientId : import.ClientId.Trim();
        var secret = import.ClientSecret;
        if (string.IsNullOrEmpty(secret) && embedded)
        {
            secret = builder.Configuration[$"{FhirBaseAuthOptions.SectionName}:Clients:{clientId}:Secret"];
        }
        if (string.IsNullOrEmpty(secret))
        {
            await error.WriteLineAsync($"import: Import:ClientSecret is not set (the secret of OAuth client '{clientId}' at the central base).");
            return 2;
        }
        builder.Configuration["CentralFhir:ClientId"] = clientId;
        builder.Configuration["CentralFhir:ClientSecret"] = secret;
        builder.Configuration["CentralFhir:Scopes"] = import.Scopes ?? string.Empty;
        builder.Configuration["CentralFhir:TokenEndpoint"] = import.TokenEndpoint ?? string.Empty;
        builder.Services.AddCentralFhirClient(builder.Configuration);
        builder.Services.AddValidatedOptions<ConformanceOptions>(builder.Configuration, ConformanceOptions.SectionName);
        builder.Services.AddSingleton<IProfileValidator>(provider => ConformanceExtensions.Create(
            provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ConformanceOptions>>().Value,
            builder.Environment.ContentRootPath, provider.GetRequiredService<ILogger<JpClinsProfileValidator>>()));
        await using var app = builder.Build();
        var started = false;
        try
        {
            if (embedded)
            {
                app.MapFhirBase();
                await app.StartAsync(cancellationToken);
                started = true;
            }

            using var scope = app.Services.CreateScope();
            var api = scope.ServiceProvider.GetRequiredService<IFhirApi>();
            var maxEntries = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CentralFhirOptions>>().Value.MaxTransactionEntries;
            var results = await BundleImporter.ImportFolderAsync(api, folder, maxEntries, cancellationToken);
            foreach (var result in results)
            {
                await output.WriteLineAsync(Format(result));
            }

            var profileErrors = await ImportProfileReport.WriteAsync(app.Services.GetRequiredService<IProfileValidator>(), results, folder, output, cancellationToken);
            var failed = results.Count(r => r.Outcome == ImportOutcome.Failed);
            await output.WriteLineAsync(
                $"{results.Count} files: {results.Count(r => r.Outcome == ImportOutcome.Imported)} imported, " +
                $"{results.Count(r => r.Outcome == ImportOutcome.Skipped)} skipped (already there), {failed} failed; " +
                $"{profileErrors} profile error(s)");
            return failed == 0 ? 0 : 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A command reports a start-up failure as one line and an exit code, not a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await error.WriteLineAsync($"import: could not start ({ex.GetType().Name}: {ex.Message.Split('\n', 2)[0]})");
            return 2;
        }
        finally
        {
            if (started)
            {
                await app.StopAsync(CancellationToken.None);
            }
        }
    }

    internal static string Format(ImportFileResult result) => result.Outcome switch
    {
        ImportOutcome.Imported => $"imported  {result.File} ({result.Created} created, {result.Existing} already there)",
        ImportOutcome.Skipped => $"skipped   {result.File} (already there)",
        _ => $"failed    {result.File}: {result.Message}",
    };

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

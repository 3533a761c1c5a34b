using MedNetPortal.Web.Host.Hosting;
using Microsoft.EntityFrameworkCore;
using MedNetPortal.Web.Host.Data;

namespace MedNetPortal.Web.Features.Audit;

/// <summary>
/// <c>dotnet run --project src/MedNetPortal.Web -- audit-verify [configuration args]</c>: checks the audit trail's hash chain
/// in the portal database of this configuration (same <c>Storage:DataDirectory</c> / <c>ConnectionStrings:Portal</c> and
/// <c>Audit:HashKey</c>, or the key file, as the portal). Exit codes: 0 intact, 1 broken (the first broken entry's id is
/// printed), 2 bad usage or configuration (no key, no database).
/// </summary>
public static class AuditVerifyCommand
{
    public const string Name = "audit-verify";

    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken) =>
        RunAsync(args, Console.Out, Console.Error, cancellationToken);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (PortalCommandLine.Parse(args, Name) is not { } parsed)
        {
            await error.WriteLineAsync("usage: audit-verify [--Key=Value ...]");
            return 2;
        }

        var builder = PortalCommandLine.CreateBuilder(parsed.ConfigurationArgs);
        builder.Services.AddPortalDatabase(builder.Configuration);
        AuditExtensions.AddAuditCore(builder.Services, builder.Configuration, mayCreateKey: false);
        try
        {
            await using var app = builder.Build();
            await using var scope = app.Services.CreateAsyncScope();
            _ = app.Services.GetRequiredService<AuditKeys>();
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(cancellationToken);
            if (!await db.Database.CanConnectAsync(cancellationToken)
                || (await PortalDataExtensions.PortalDatabaseInitializer.MissingTablesAsync(db, cancellationToken)).Contains("AuditEntries"))
            {
                await error.WriteLineAsync("audit-verify: the portal database (or its AuditEntries table) was not found with this configuration.");
                return 2;
            }

            var report = await scope.ServiceProvider.GetRequiredService<IAuditChainVerifier>().VerifyAsync(cancellationToken);
            if (report.Intact)
            {
                await output.WriteLineAsync($"audit-verify: intact, {report.EntriesChecked} entries checked");
                return 0;
            }

            await output.WriteLineAsync($"audit-verify: BROKEN at entry {report.FirstBrokenId}: {report.Problem} ({report.EntriesChecked} entries checked)");
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A command reports a start-up failure as one line and an exit code, not a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await error.WriteLineAsync($"audit-verify: could not run ({ex.GetType().Name}: {ex.Message.Split('\n', 2)[0]})");
            return 2;
        }
    }
}

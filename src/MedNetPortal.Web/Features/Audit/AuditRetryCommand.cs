using MedNetPortal.Web.Host.Hosting;
using MedNetPortal.Web.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace MedNetPortal.Web.Features.Audit;

/// <summary>
/// <c>dotnet run --project src/MedNetPortal.Web -- audit-retry [--list] [configuration args]</c>: lists the audit entries the
/// central base refused (set aside by the forwarder), and, without <c>--list</c>, queues them again; a running portal forwards
/// them within <c>Audit:ForwardIntervalSeconds</c>. Exit codes: 0 done (or nothing set aside), 2 bad usage or configuration.
/// </summary>
public static class AuditRetryCommand
{
    public const string Name = "audit-retry";

    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken) =>
        RunAsync(args, Console.Out, Console.Error, cancellationToken);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (PortalCommandLine.Parse(args, Name, "--list") is not { } parsed)
        {
            await error.WriteLineAsync("usage: audit-retry [--list] [--Key=Value ...]");
            return 2;
        }

        var listOnly = parsed.Flags.Contains("--list");
        var builder = PortalCommandLine.CreateBuilder(parsed.ConfigurationArgs);
        builder.Services.AddPortalDatabase(builder.Configuration);
        try
        {
            await using var app = builder.Build();
            await using var scope = app.Services.CreateAsyncScope();
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(cancellationToken);
            if (!await db.Database.CanConnectAsync(cancellationToken)
                || (await PortalDataExtensions.PortalDatabaseInitializer.MissingTablesAsync(db, cancellationToken)).Any(t => t.StartsWith("AuditEntries", StringComparison.Ordinal)))
            {
                await error.WriteLineAsync("audit-retry: the portal database (or its AuditEntries table) was not found with this configuration.");
                return 2;
            }

            var setAside = await db.AuditEntries.AsNoTracking()
                .Where(e => e.ForwardedAtUtc == null && e.ForwardRejectedAtUtc != null)
                .OrderBy(e => e.Id)
                .Select(e => new { e.Id, e.Action, e.RecordedAtUtc, e.ForwardError })
                .ToListAsync(cancellationToken);
            foreach (var entry in setAside)
            {
                await output.WriteLineAsync($"  entry {entry.Id} ({entry.Action}, {entry.RecordedAtUtc:yyyy-MM-ddTHH:mm:ssZ}): {entry.ForwardError}");
            }

            if (listOnly || setAside.Count == 0)
            {
                await output.WriteLineAsync($"audit-retry: {setAside.Count} entries set aside");
                return 0;
            }

            var queued = await db.AuditEntries
                .Where(e => e.ForwardedAtUtc == null && e.ForwardRejectedAtUtc != null)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ForwardRejectedAtUtc, (DateTime?)null), cancellationToken);
            await output.WriteLineAsync($"audit-retry: {queued} entries queued again");
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A command reports a start-up failure as one line and an exit code, not a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await error.WriteLineAsync($"audit-retry: could not run ({ex.GetType().Name}: {ex.Message.Split('\n', 2)[0]})");
            return 2;
        }
    }
}

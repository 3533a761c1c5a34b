using System.Security.Cryptography;
using MedNetPortal.Web.Host.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Features.Account.Sessions;

/// <summary>What the server knows of a session.</summary>
public enum SessionState
{
    Active,

    /// <summary>No such session, or it was signed out.</summary>
    Ended,

    /// <summary>No activity for longer than the idle timeout (now ended).</summary>
    Idle,
}

/// <summary>
/// The server's side of sessions: started at sign-in, seen on every request (and on the browser's activity signal), ended by
/// sign-out or by the idle timeout. Singleton; each call makes its own database context.
/// </summary>
public sealed class PortalSessionStore(IDbContextFactory<PortalDbContext> dbFactory, IOptionsMonitor<SecurityOptions> security, TimeProvider time)
{
    public async Task<string> StartAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var now = time.GetUtcNow().UtcDateTime;
        var id = Base64Url(RandomNumberGenerator.GetBytes(32));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Sessions.Add(new PortalSession { Id = id, UserId = userId, CreatedUtc = now, LastSeenUtc = now });
        // Sessions ended or idle for a day are of no further use; the table stays the size of the signed-in population.
        var cutoff = now.AddDays(-1);
        await db.Sessions.Where(s => s.LastSeenUtc < cutoff).ExecuteDeleteAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return id;
    }

    /// <summary>
    /// The session's state; an active one is marked seen now (<paramref name="touch"/>, at most once per
    /// <see cref="SecurityOptions.ServerIdleGrace"/>), and one idle too long is ended.
    /// </summary>
    public async Task<SessionState> CheckAsync(string? sessionId, string? userId, bool touch, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sessionId) || string.IsNullOrEmpty(userId))
        {
            return SessionState.Ended;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var session = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
        if (session is null || session.UserId != userId || session.EndedUtc is not null)
        {
            return SessionState.Ended;
        }

        var options = security.CurrentValue;
        var now = time.GetUtcNow().UtcDateTime;
        if (now - session.LastSeenUtc > options.ServerIdleTimeout)
        {
            await EndAsync(db, sessionId, "idle", now, cancellationToken);
            return SessionState.Idle;
        }

        if (touch && now - session.LastSeenUtc >= options.ServerIdleGrace)
        {
            await db.Sessions.Where(s => s.Id == sessionId && s.EndedUtc == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenUtc, now), cancellationToken);
        }

        return SessionState.Active;
    }

    /// <summary>Ends the session (sign-out): its cookie, wherever copied, is refused from now on.</summary>
    public async Task EndAsync(string? sessionId, string reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sessionId))
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await EndAsync(db, sessionId, reason, time.GetUtcNow().UtcDateTime, cancellationToken);
    }

    private static Task<int> EndAsync(PortalDbContext db, string sessionId, string reason, DateTime now, CancellationToken cancellationToken) =>
        db.Sessions.Where(s => s.Id == sessionId && s.EndedUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedUtc, now).SetProperty(x => x.EndReason, reason), cancellationToken);

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

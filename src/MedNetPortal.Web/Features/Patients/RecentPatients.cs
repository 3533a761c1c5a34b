using MedNetPortal.Web.Features.Account;
using Microsoft.Extensions.Caching.Memory;

namespace MedNetPortal.Web.Features.Patients;

/// <summary>A patient whose record the user opened in this sign-in session: the base's id (for the link) and the name.</summary>
public sealed record RecentPatient(string PatientId, string NameKanji, string NameKana, DateTimeOffset OpenedAt);

/// <summary>
/// The patients whose record the signed-in user opened in this sign-in session, newest first. Kept on the server only (never in
/// the browser), per session (<see cref="CurrentUser.SessionId"/>): a new sign-in starts an empty list.
/// </summary>
public interface IRecentPatients
{
    /// <summary>The newest first; empty without a session.</summary>
    Task<IReadOnlyList<RecentPatient>> ListAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The list of <see cref="IRecentPatients"/> in this instance's memory, filled when a record loads
/// (<see cref="PatientRecordService.LoadAsync"/>). It lives as long as the session is used (sliding, the portal's longest
/// session lifetime) and is lost when the instance stops, as the page's circuit is: with sticky sessions a session stays on
/// one instance (docs/deployment.md).
/// </summary>
public sealed class RecentPatientStore : IDisposable
{
    /// <summary>At most this many patients per session, the newest.</summary>
    public const int PerSession = 10;

    private const int MaxSessions = 50_000;
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly MemoryCache sessions;
    private readonly TimeProvider time;

    public RecentPatientStore(TimeProvider time)
    {
        this.time = time;
        sessions = new MemoryCache(new MemoryCacheOptions { SizeLimit = MaxSessions });
    }

    internal void Remember(string sessionId, PatientSummary patient)
    {
        var entry = new RecentPatient(patient.Id, patient.NameKanji, patient.NameKana, time.GetUtcNow());
        var list = sessions.GetOrCreate(sessionId, e =>
        {
            e.Size = 1;
            e.SlidingExpiration = Lifetime;
            return new List<RecentPatient>();
        })!;
        lock (list)
        {
            list.RemoveAll(p => p.PatientId == patient.Id);
            list.Insert(0, entry);
            if (list.Count > PerSession)
            {
                list.RemoveRange(PerSession, list.Count - PerSession);
            }
        }
    }

    internal IReadOnlyList<RecentPatient> List(string sessionId)
    {
        if (!sessions.TryGetValue(sessionId, out List<RecentPatient>? list) || list is null)
        {
            return [];
        }

        lock (list)
        {
            return [.. list];
        }
    }

    public void Dispose() => sessions.Dispose();
}

/// <summary>The signed-in user's view of <see cref="RecentPatientStore"/>: the session comes from the server-side user, never from the page.</summary>
internal sealed class RecentPatients(RecentPatientStore store, ICurrentUserAccessor users) : IRecentPatients
{
    public async Task<IReadOnlyList<RecentPatient>> ListAsync(CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(cancellationToken).ConfigureAwait(false);
        return user is { SessionId: { } session, ClinicalFacility: not null } ? store.List(Key(user, session)) : [];
    }

    public async Task RememberAsync(PatientSummary patient, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(cancellationToken).ConfigureAwait(false);
        if (user is { SessionId: { } session })
        {
            store.Remember(Key(user, session), patient);
        }
    }

    // The session id is random per sign-in; the account is part of the key so that a list never crosses accounts.
    private static string Key(CurrentUser user, string session) => user.UserId + "\n" + session;
}

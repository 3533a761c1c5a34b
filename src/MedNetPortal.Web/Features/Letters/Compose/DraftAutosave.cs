using System.Data.Common;

namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>What the compose page shows about saving.</summary>
public enum DraftSaveState
{
    /// <summary>Nothing typed since the draft was loaded (or nothing at all, for a new letter).</summary>
    Idle,

    /// <summary>Changed; the save waits for the typing to pause.</summary>
    Pending,

    Saving,

    /// <summary>The server holds what is on screen (<see cref="DraftAutosave.SavedAt"/>).</summary>
    Saved,

    /// <summary>The last save failed; the text is kept and the next edit (or Retry) saves all of it.</summary>
    Failed,

    /// <summary>Another tab saved a newer version; nothing is written until the user chooses.</summary>
    Conflict,
}

/// <summary>Why the autosave stopped for good: the page leaves the form (the draft is gone, sent, or the user has no facility).</summary>
public enum DraftAutosaveStop
{
    NoFacility,
    NotFound,
    AlreadySent,
}

/// <summary>
/// Saves a draft as it is written: typing saves once it pauses for <see cref="Debounce"/>, a pick or a choice saves at once, and
/// <see cref="FlushAsync"/> (sign-out, leaving the page, disposal) saves what is still waiting. One save at a time; an edit made
/// during a save is saved right after it, so the last edit always reaches the server. The first save of a new letter creates
/// the draft. A save that finds a newer version writes nothing (<see cref="DraftSaveState.Conflict"/>); a failed save keeps the
/// edit pending (<see cref="DraftSaveState.Failed"/>), so nothing typed is lost while the page lives.
/// </summary>
/// <remarks>
/// The form lives on the server (Blazor Server), so a dropped browser connection does not stop the timer: what was typed before
/// the drop is saved when the pause ends, and again at disposal. Timer callbacks go through <c>dispatch</c> (the component's
/// InvokeAsync), so the form is read on the renderer's context.
/// </remarks>
public sealed class DraftAutosave : IAsyncDisposable
{
    /// <summary>How long typing must pause before a save.</summary>
    public static readonly TimeSpan DefaultDebounce = TimeSpan.FromSeconds(1);

    private readonly IReferralDraftService drafts;
    private readonly TimeProvider time;
    private readonly Func<ReferralForm> form;
    private readonly Func<Func<Task>, Task> dispatch;
    private readonly SemaphoreSlim saveLock = new(1, 1);
    private readonly ITimer timer;
    private bool dirty;
    private bool disposed;
    private bool timerGone;

    /// <param name="drafts">Where drafts are saved.</param>
    /// <param name="time">The clock of the debounce.</param>
    /// <param name="form">The form on screen (read at each save; the save sends a copy).</param>
    /// <param name="dispatch">Runs a timer's save on the component's context (its InvokeAsync).</param>
    /// <param name="debounce">The pause that ends a burst of typing; <see cref="DefaultDebounce"/> when null.</param>
    public DraftAutosave(IReferralDraftService drafts, TimeProvider time, Func<ReferralForm> form, Func<Func<Task>, Task> dispatch, TimeSpan? debounce = null)
    {
        this.drafts = drafts;
        this.time = time;
        this.form = form;
        this.dispatch = dispatch;
        Debounce = debounce ?? DefaultDebounce;
        timer = time.CreateTimer(_ => _ = dispatch(() => SaveNowAsync()), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public TimeSpan Debounce { get; }

    /// <summary>The draft saved to; null for a new letter until its first save.</summary>
    public Guid? DraftId { get; private set; }

    /// <summary>The stored version this copy was loaded from or last saved as.</summary>
    public long Version { get; private set; }

    public DraftSaveState State { get; private set; }

    /// <summary>When the server last stored the draft (UTC).</summary>
    public DateTimeOffset? SavedAt { get; private set; }

    /// <summary>An edit the server does not hold yet.</summary>
    public bool HasUnsavedChanges => dirty;

    /// <summary>Set when saving cannot go on (the page shows why and leaves the form).</summary>
    public DraftAutosaveStop? Stopped { get; private set; }

    /// <summary>Called whenever <see cref="State"/> changes (the page re-renders).</summary>
    public Func<Task>? StateChanged { get; set; }

    /// <summary>Called once a new letter's first save created its draft (the page moves to the draft's address).</summary>
    public Func<Guid, Task>? Created { get; set; }

    /// <summary>Called when the draft turns out to be sent already, with the stored one (the page shows it).</summary>
    public Func<ReferralDraftView, Task>? FoundSent { get; set; }

    /// <summary>Starts from a stored draft: nothing pending.</summary>
    public void Load(ReferralDraftView draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        StopTimer();
        (DraftId, Version, SavedAt, State, dirty, Stopped) = (draft.Id, draft.Version, draft.UpdatedAt, DraftSaveState.Idle, false, null);
    }

    /// <summary>Starts a new letter: no draft until the first save.</summary>
    public void StartNew()
    {
        StopTimer();
        (DraftId, Version, SavedAt, State, dirty, Stopped) = (null, 0, null, DraftSaveState.Idle, false, null);
    }

    /// <summary>Typing: saves when it pauses for <see cref="Debounce"/> (each edit restarts the wait).</summary>
    public void Edited()
    {
        if (disposed || Stopped is not null)
        {
            return;
        }

        dirty = true;
        if (State is DraftSaveState.Idle or DraftSaveState.Saved)
        {
            State = DraftSaveState.Pending;
        }

        if (!timerGone)
        {
            timer.Change(Debounce, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>A pick or a choice: saved at once (with anything typed and still waiting).</summary>
    public Task ChangedAsync()
    {
        if (disposed || Stopped is not null)
        {
            return Task.CompletedTask;
        }

        dirty = true;
        return SaveNowAsync();
    }

    /// <summary>Saves what is waiting now (sign-out, leaving, disposal); nothing when nothing changed.</summary>
    public Task FlushAsync() => SaveNowAsync();

    /// <summary>Before preview or send: what is on screen must be stored, and a new letter needs its draft.</summary>
    public Task EnsureSavedAsync()
    {
        dirty = dirty || DraftId is null;
        return SaveNowAsync();
    }

    /// <summary>Saves everything on screen again after a failure.</summary>
    public Task RetryAsync()
    {
        dirty = true;
        return SaveNowAsync();
    }

    /// <summary>After a conflict: writes this copy over the newer one.</summary>
    public Task OverwriteAsync()
    {
        dirty = true;
        return SaveNowAsync(overwrite: true);
    }

    /// <summary>Saves if something changed; one save at a time, and changes made during a save are saved right after it.</summary>
    public async Task SaveNowAsync(bool overwrite = false)
    {
        StopTimer();
        if ((State == DraftSaveState.Conflict && !overwrite) || Stopped is not null || !dirty || disposed)
        {
            return; // Nothing is written until the user chooses; the text stays on screen.
        }

        await saveLock.WaitAsync();
        try
        {
            while (dirty && Stopped is null)
            {
                dirty = false;
                await SetStateAsync(DraftSaveState.Saving);
                var snapshot = form().Clone();
                if (DraftId is not { } id)
                {
                    var created = await drafts.CreateAsync(snapshot, CancellationToken.None);
                    if (created.DraftId is not { } newId)
                    {
                        Stopped = DraftAutosaveStop.NoFacility;
                        return;
                    }

                    (DraftId, Version, SavedAt) = (newId, 1, time.GetUtcNow());
                    await SetStateAsync(DraftSaveState.Saved);
                    await (Created?.Invoke(newId) ?? Task.CompletedTask);
                    continue;
                }

                var result = await drafts.SaveAsync(id, snapshot, Version, overwrite, CancellationToken.None);
                overwrite = false;
                switch (result.Outcome)
                {
                    case DraftSaveOutcome.Saved:
                        (Version, SavedAt) = (result.Version, result.SavedAt);
                        await SetStateAsync(DraftSaveState.Saved);
                        break;
                    case DraftSaveOutcome.Conflict:
                        dirty = false;
                        await SetStateAsync(DraftSaveState.Conflict);
                        return;
                    case DraftSaveOutcome.AlreadySent:
                        if (result.Current is { } sent)
                        {
                            Load(sent);
                            await (FoundSent?.Invoke(sent) ?? Task.CompletedTask);
                        }

                        Stopped = DraftAutosaveStop.AlreadySent;
                        return;
                    default:
                        Stopped = DraftAutosaveStop.NotFound;
                        return;
                }
            }
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException)
        {
            dirty = true;
            State = DraftSaveState.Failed;
        }
        finally
        {
            saveLock.Release();
            await (StateChanged?.Invoke() ?? Task.CompletedTask);
        }
    }

    private void StopTimer()
    {
        if (!timerGone)
        {
            timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    private Task SetStateAsync(DraftSaveState state)
    {
        State = state;
        return StateChanged?.Invoke() ?? Task.CompletedTask;
    }

    /// <summary>Saves what is still waiting (the page is going: navigation, a closed tab's circuit), then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        timerGone = true;
        await timer.DisposeAsync();
        await FlushAsync();
        // A save still running finishes (its writes use no cancellation); later calls do nothing. The lock is not disposed
        // under it: SemaphoreSlim holds nothing to release unless its wait handle is used.
        disposed = true;
    }
}

using System.Data.Common;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Letters.Compose;
using Microsoft.Extensions.Time.Testing;

namespace MedNetPortal.UnitTests.Web.Features.Referrals;

public sealed class DraftAutosaveTests : IAsyncDisposable
{
    private static readonly Guid DraftId = Guid.Parse("0b9c3f4e-61c2-4d3a-9a57-5f0d2c1e8a10");
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 3, 1, 0, 0, TimeSpan.Zero));
    private readonly SavingDrafts drafts = new();
    private readonly ReferralForm form = new();
    private readonly List<DraftSaveState> shown = [];
    private readonly List<Task> timerSaves = [];
    private readonly DraftAutosave autosave;

    public DraftAutosaveTests()
    {
        // The page's InvokeAsync, here inline: the saves a timer starts are kept so a test can await them.
        autosave = new DraftAutosave(drafts, time, () => form, work =>
        {
            var running = work();
            timerSaves.Add(running);
            return running;
        }, TimeSpan.FromSeconds(1));
        autosave.StateChanged = () =>
        {
            if (shown.Count == 0 || shown[^1] != autosave.State)
            {
                shown.Add(autosave.State); // what the indicator shows, in order
            }

            return Task.CompletedTask;
        };
    }

    public ValueTask DisposeAsync() => autosave.DisposeAsync();

    private void LoadStored(long version = 4) =>
        autosave.Load(new ReferralDraftView(DraftId, form.Clone(), version, ReferralDraftStatus.Draft, "R1", null, "桜井 一郎", time.GetUtcNow().AddHours(-1), null, null));

    [Fact]
    public void Typing_saves_once_when_it_pauses_and_every_key_restarts_the_wait()
    {
        LoadStored();
        form.Purpose = "精査";
        autosave.Edited();
        Assert.Equal(DraftSaveState.Pending, autosave.State);

        time.Advance(TimeSpan.FromMilliseconds(900));
        form.Purpose = "精査をお願いします";
        autosave.Edited();
        time.Advance(TimeSpan.FromMilliseconds(900));
        Assert.Empty(drafts.Saves);

        time.Advance(TimeSpan.FromMilliseconds(100));

        var save = Assert.Single(drafts.Saves);
        Assert.Equal(("精査をお願いします", 4L, false), (save.Form.Purpose, save.ExpectedVersion, save.Overwrite));
        Assert.Equal([DraftSaveState.Saving, DraftSaveState.Saved], shown);
        Assert.Equal((5L, DateTimeOffset.UnixEpoch.AddDays(4)), (autosave.Version, autosave.SavedAt!.Value));
        Assert.False(autosave.HasUnsavedChanges);
    }

    [Fact]
    public async Task The_save_sends_a_copy_and_an_edit_made_while_it_runs_is_saved_right_after_it()
    {
        LoadStored();
        var first = new TaskCompletionSource<DraftSaveResult>();
        drafts.Next = first.Task;
        form.Remarks = "一";
        autosave.Edited();
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(DraftSaveState.Saving, autosave.State);

        form.Remarks = "一二";
        autosave.Edited();
        first.SetResult(new DraftSaveResult(DraftSaveOutcome.Saved, 5, time.GetUtcNow()));
        await Task.WhenAll(timerSaves);

        Assert.Equal(["一", "一二"], drafts.Saves.Select(s => s.Form.Remarks));
        Assert.Equal(5L, drafts.Saves[1].ExpectedVersion);
        Assert.Equal(DraftSaveState.Saved, autosave.State);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(2, drafts.Saves.Count); // the timer finds nothing left to save
    }

    [Fact]
    public async Task Flush_saves_what_is_waiting_at_once_and_only_once()
    {
        LoadStored();
        form.Diagnoses = "胸痛";
        autosave.Edited();

        await autosave.FlushAsync();
        time.Advance(TimeSpan.FromSeconds(5));
        await autosave.FlushAsync();

        Assert.Equal("胸痛", Assert.Single(drafts.Saves).Form.Diagnoses);
    }

    [Fact]
    public async Task A_pick_saves_at_once_with_the_typing_still_waiting()
    {
        LoadStored();
        form.Purpose = "精査";
        autosave.Edited();
        form.Category = "11";

        await autosave.ChangedAsync();

        var save = Assert.Single(drafts.Saves);
        Assert.Equal(("精査", "11"), (save.Form.Purpose, save.Form.Category));
    }

    [Fact]
    public void A_half_written_letter_is_saved_when_the_browser_connection_drops_mid_sentence()
    {
        // Blazor Server keeps the form on the server: with no further event from the browser the pause still ends.
        LoadStored();
        form.PresentIllness = "昨日から労作時の胸";
        autosave.Edited();

        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("昨日から労作時の胸", Assert.Single(drafts.Saves).Form.PresentIllness);
    }

    [Fact]
    public async Task Leaving_the_page_saves_the_last_edit_and_nothing_after()
    {
        LoadStored();
        form.ClinicalCourse = "経過良好";
        autosave.Edited();

        await autosave.DisposeAsync();
        autosave.Edited();
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal("経過良好", Assert.Single(drafts.Saves).Form.ClinicalCourse);
    }

    [Fact]
    public async Task A_failed_save_stays_visible_keeps_every_edit_and_the_retry_saves_all_of_it()
    {
        LoadStored();
        drafts.Failure = new UnreachableDatabase();
        form.Purpose = "精査";
        autosave.Edited();
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(DraftSaveState.Failed, autosave.State);
        Assert.True(autosave.HasUnsavedChanges);

        form.Allergies = "ペニシリン";
        autosave.Edited();
        Assert.Equal(DraftSaveState.Failed, autosave.State); // still says it failed, not "waiting"
        drafts.Failure = null;

        await autosave.RetryAsync();

        var saved = drafts.Saves[^1].Form;
        Assert.Equal(("精査", "ペニシリン"), (saved.Purpose, saved.Allergies));
        Assert.Equal(DraftSaveState.Saved, autosave.State);
        Assert.False(autosave.HasUnsavedChanges);
    }

    [Fact]
    public void After_a_failure_the_next_pause_in_typing_tries_again()
    {
        LoadStored();
        drafts.Failure = new UnreachableDatabase();
        form.Purpose = "精査";
        autosave.Edited();
        time.Advance(TimeSpan.FromSeconds(1));
        drafts.Failure = null;

        form.Purpose = "精査加療";
        autosave.Edited();
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("精査加療", drafts.Saves[^1].Form.Purpose);
        Assert.Equal(DraftSaveState.Saved, autosave.State);
    }

    [Fact]
    public async Task A_new_letter_gets_its_draft_on_the_first_save_and_later_saves_go_to_it()
    {
        autosave.StartNew();
        Guid? created = null;
        autosave.Created = id =>
        {
            created = id;
            return Task.CompletedTask;
        };
        form.Patient.NameKanji = "新規 太郎";
        autosave.Edited();
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("新規 太郎", Assert.Single(drafts.Creates).Patient.NameKanji);
        Assert.Equal((DraftId, DraftId, 1L), (created, autosave.DraftId, autosave.Version));
        Assert.Equal(DraftSaveState.Saved, autosave.State);

        form.Remarks = "備考";
        await autosave.ChangedAsync();
        Assert.Equal((DraftId, 1L), (drafts.Saves[0].Id, drafts.Saves[0].ExpectedVersion));
    }

    [Fact]
    public async Task Preview_and_send_create_the_draft_of_an_untouched_new_letter()
    {
        autosave.StartNew();

        await autosave.EnsureSavedAsync();

        Assert.Single(drafts.Creates);
        Assert.Equal(DraftId, autosave.DraftId);
    }

    [Fact]
    public async Task A_conflict_writes_nothing_until_the_user_overwrites()
    {
        LoadStored();
        drafts.Outcome = DraftSaveOutcome.Conflict;
        form.Remarks = "タブB";
        autosave.Edited();
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(DraftSaveState.Conflict, autosave.State);

        form.Remarks = "タブBの備考";
        autosave.Edited();
        time.Advance(TimeSpan.FromSeconds(1));
        await autosave.ChangedAsync();
        Assert.Single(drafts.Saves);

        drafts.Outcome = DraftSaveOutcome.Saved;
        await autosave.OverwriteAsync();

        Assert.Equal(("タブBの備考", true), (drafts.Saves[^1].Form.Remarks, drafts.Saves[^1].Overwrite));
        Assert.Equal(DraftSaveState.Saved, autosave.State);
    }

    [Theory]
    [InlineData(DraftSaveOutcome.NotFound, DraftAutosaveStop.NotFound)]
    [InlineData(DraftSaveOutcome.AlreadySent, DraftAutosaveStop.AlreadySent)]
    public async Task A_deleted_or_sent_draft_stops_the_autosave(DraftSaveOutcome outcome, DraftAutosaveStop stop)
    {
        LoadStored();
        drafts.Outcome = outcome;
        ReferralDraftView? sent = null;
        autosave.FoundSent = view =>
        {
            sent = view;
            return Task.CompletedTask;
        };
        form.Remarks = "x";
        await autosave.ChangedAsync();

        autosave.Edited();
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(stop, autosave.Stopped);
        Assert.Single(drafts.Saves);
        Assert.Equal(outcome == DraftSaveOutcome.AlreadySent, sent is { Status: ReferralDraftStatus.Sent });
    }

    [Fact]
    public async Task A_user_without_a_facility_gets_no_draft()
    {
        autosave.StartNew();
        drafts.CreateOutcome = DraftCreateOutcome.NoFacility;

        await autosave.EnsureSavedAsync();

        Assert.Equal((DraftAutosaveStop.NoFacility, (Guid?)null), (autosave.Stopped!.Value, autosave.DraftId));
    }

    private sealed class UnreachableDatabase : DbException
    {
        public UnreachableDatabase()
            : base("connection refused")
        {
        }
    }

    private sealed record Save(Guid Id, ReferralForm Form, long ExpectedVersion, bool Overwrite);

    /// <summary>Records what reaches the store; the answers are set by each test.</summary>
    private sealed class SavingDrafts : IReferralDraftService
    {
        public List<Save> Saves { get; } = [];

        public List<ReferralForm> Creates { get; } = [];

        public DraftSaveOutcome Outcome { get; set; } = DraftSaveOutcome.Saved;

        public DraftCreateOutcome CreateOutcome { get; set; } = DraftCreateOutcome.Created;

        public Exception? Failure { get; set; }

        public Task<DraftSaveResult>? Next { get; set; }

        public Task<DraftCreateResult> CreateAsync(ReferralForm form, CancellationToken cancellationToken)
        {
            Creates.Add(form);
            return Task.FromResult(CreateOutcome == DraftCreateOutcome.Created
                ? new DraftCreateResult(DraftCreateOutcome.Created, DraftId)
                : new DraftCreateResult(CreateOutcome, null));
        }

        public Task<DraftSaveResult> SaveAsync(Guid id, ReferralForm form, long expectedVersion, bool overwrite, CancellationToken cancellationToken)
        {
            Saves.Add(new Save(id, form, expectedVersion, overwrite));
            if (Failure is { } failure)
            {
                return Task.FromException<DraftSaveResult>(failure);
            }

            if (Next is { } next)
            {
                Next = null;
                return next;
            }

            return Task.FromResult(Outcome switch
            {
                DraftSaveOutcome.Saved => new DraftSaveResult(Outcome, expectedVersion + 1, DateTimeOffset.UnixEpoch.AddDays(expectedVersion)),
                DraftSaveOutcome.AlreadySent => new DraftSaveResult(Outcome, expectedVersion, null,
                    new ReferralDraftView(id, form, expectedVersion, ReferralDraftStatus.Sent, "R1", null, "桜井 一郎", DateTimeOffset.UnixEpoch, "b-1", null)),
                _ => new DraftSaveResult(Outcome, expectedVersion + 1, null),
            });
        }

        public Task<ReferralDraftView?> GetAsync(Guid id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<DraftPreview?> PreviewAsync(Guid id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<DraftSendResult> SendAsync(Guid id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<PickedSharedResource> CopySharedAsync(string basePatientId, SharedResourceKind kind, string resourceId, string label, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<ReferralSenderInfo> SenderAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}

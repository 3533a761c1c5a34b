using System.Data.Common;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Audit;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>
/// Compose a referral letter: loads the draft, hands the form to its sections and saves every change through
/// <see cref="DraftAutosave"/> (typing when it pauses, picks at once, what is waiting when the idle sign-out is about to leave
/// or the page goes); previews and sends the stored draft.
/// </summary>
public sealed partial class ReferralComposePage
{
    private readonly CancellationTokenSource cancellation = new();
    private DraftAutosave autosave = default!;
    private ReferralForm form = new();
    private Guid? loadedId;
    private bool loadedNew;
    private LoadState loadState = LoadState.Loading;
    private ReferralDraftStatus status;
    private string? sentBundleId;
    private ReferralSenderInfo? sender;
    private bool senderFailed;
    private IReadOnlyList<ReferralProblem> problems = [];
    private bool previewing;
    private DraftPreview? preview;
    private bool sending;
    private ReferralSendFeedback? sendFeedback;
    private ReferralComposeScript script = default!;

    private enum LoadState
    {
        Loading,
        Ready,
        NotFound,
        NoFacility,
        Error,
    }

    /// <summary>The draft being edited; null on /referrals/new until the first save creates one.</summary>
    [Parameter]
    public Guid? DraftId { get; set; }

    private bool ReadOnly => status == ReferralDraftStatus.Sent;

    protected override void OnInitialized()
    {
        // "./" makes the fingerprinted path a relative URL (a bare "assets/…" is a module specifier the browser rejects).
        script = new ReferralComposeScript(JS, "./" + Assets["assets/js/referrals.js"], () => InvokeAsync(autosave.FlushAsync));
        autosave = new DraftAutosave(Drafts, Time, () => form, InvokeAsync)
        {
            StateChanged = AutosaveChangedAsync,
            Created = id =>
            {
                // The address now names the draft (a reload or a bookmark finds it); the page stays as it is.
                Navigation.NavigateTo($"referrals/drafts/{id}", new NavigationOptions { ReplaceHistoryEntry = true });
                return Task.CompletedTask;
            },
            FoundSent = sent =>
            {
                Show(sent);
                return Task.CompletedTask;
            },
        };
    }

    protected override async Task OnParametersSetAsync()
    {
        // Loads once interactive (the prerender shows the loading state), and not again when the first save of a new
        // letter moves the address to the draft it created.
        if (!RendererInfo.IsInteractive)
        {
            return;
        }

        if (DraftId is { } id ? id == loadedId || id == autosave.DraftId : loadedNew)
        {
            return;
        }

        await LoadAsync();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (RendererInfo.IsInteractive && loadState == LoadState.Ready)
        {
            await script.WatchIdleSignOutAsync();
        }
    }

    private async Task ReloadAsync()
    {
        loadedId = null;
        loadedNew = false;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        loadState = LoadState.Loading;
        problems = [];
        preview = null;
        sendFeedback = null;
        try
        {
            if (DraftId is { } id)
            {
                loadedId = id;
                var draft = await Drafts.GetAsync(id, cancellation.Token);
                if (draft is null)
                {
                    loadState = LoadState.NotFound;
                    return;
                }

                Show(draft);
            }
            else
            {
                loadedNew = true;
                form = new ReferralForm();
                status = ReferralDraftStatus.Draft;
                autosave.StartNew();
            }

            loadState = LoadState.Ready;
            await LoadSenderAsync();
        }
        catch (InvalidOperationException)
        {
            loadState = LoadState.NoFacility;
        }
        catch (DbException)
        {
            loadState = LoadState.Error;
        }
    }

    private void Show(ReferralDraftView draft)
    {
        form = draft.Form;
        status = draft.Status;
        sentBundleId = draft.SentBundleId;
        autosave.Load(draft);
    }

    private async Task LoadSenderAsync()
    {
        try
        {
            sender = await Drafts.SenderAsync(cancellation.Token);
            senderFailed = false;
        }
        catch (InvalidOperationException)
        {
            loadState = LoadState.NoFacility;
        }
        catch (FhirApiException)
        {
            senderFailed = true;
        }
    }

    /// <summary>A section's change: applied to the form (never to a sent letter) and saved.</summary>
    private Task EditAsync(ReferralFormEdit edit)
    {
        if (ReadOnly)
        {
            return Task.CompletedTask;
        }

        edit.Apply();
        if (edit.AtOnce)
        {
            return autosave.ChangedAsync();
        }

        autosave.Edited();
        return Task.CompletedTask;
    }

    private Task AutosaveChangedAsync()
    {
        loadState = autosave.Stopped switch
        {
            DraftAutosaveStop.NoFacility => LoadState.NoFacility,
            DraftAutosaveStop.NotFound => LoadState.NotFound,
            _ => loadState,
        };
        StateHasChanged();
        return Task.CompletedTask;
    }

    private async Task LoadTheirsAsync()
    {
        if (autosave.DraftId is { } id && await Drafts.GetAsync(id, cancellation.Token) is { } current)
        {
            Show(current);
        }
    }

    private Task FocusAsync(string id) => script.FocusAsync(id);

    private AuditRecord PrintAudit() => new(AuditAction.LetterPrinted)
    {
        PatientId = form.Patient.IsFromBase ? form.Patient.BasePatientId : null,
        Detail = $"draft={autosave.DraftId}",
    };

    private async Task PreviewAsync()
    {
        previewing = true;
        await autosave.EnsureSavedAsync();
        try
        {
            if (autosave.DraftId is { } id && autosave.State != DraftSaveState.Failed)
            {
                preview = await Drafts.PreviewAsync(id, cancellation.Token);
                problems = preview?.Problems ?? [];
            }
        }
        catch (FhirApiException)
        {
            senderFailed = true;
        }
        finally
        {
            previewing = false;
        }
    }

    private async Task SendAsync()
    {
        if (sending)
        {
            return;
        }

        sending = true;
        sendFeedback = null;
        StateHasChanged();
        try
        {
            await autosave.EnsureSavedAsync();
            if (autosave.DraftId is not { } id || autosave.State is DraftSaveState.Failed or DraftSaveState.Conflict)
            {
                return;
            }

            ShowSendResult(await Drafts.SendAsync(id, CancellationToken.None));
        }
        finally
        {
            sending = false;
        }
    }

    private void ShowSendResult(DraftSendResult result)
    {
        problems = result.Problems;
        sendFeedback = ReferralSendFeedback.For(result, L);
        if (result is { Outcome: DraftSendOutcome.Attempted, Send: { IsStored: true } stored })
        {
            (status, sentBundleId, problems) = (ReferralDraftStatus.Sent, stored.BundleId, []);
        }
        else if (sendFeedback is null)
        {
            loadState = LoadState.NotFound; // the draft is gone (deleted, or not this facility's)
        }
    }

    public async ValueTask DisposeAsync()
    {
        // What is still waiting is saved (the circuit outlives a dropped connection, and leaving the page disposes it).
        autosave.StateChanged = null;
        autosave.Created = null;
        autosave.FoundSent = null;
        await autosave.DisposeAsync();
        await cancellation.CancelAsync();
        cancellation.Dispose();
        await script.DisposeAsync();
    }
}

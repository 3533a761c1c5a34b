using System.Data.Common;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Patients;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using MudBlazor;

namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>
/// Compose a referral letter. Every change is saved to the draft in the portal database: text fields after ~1 s without
/// typing (MudBlazor debounce), pickers and selects at once, and once more when the idle sign-out is about to leave.
/// Saves run one at a time; a save that finds a newer version (another tab) writes nothing and asks the user.
/// </summary>
public sealed partial class ReferralComposePage
{
    private readonly SemaphoreSlim saveLock = new(1, 1);
    private readonly CancellationTokenSource cancellation = new();
    private ReferralForm form = new();
    private Guid? draftId;
    private Guid? loadedId;
    private bool loadedNew;
    private long version;
    private bool dirty;
    private LoadState loadState = LoadState.Loading;
    private SaveState saveState;
    private DateTimeOffset? savedAt;
    private ReferralDraftStatus status;
    private string? sentBundleId;
    private ReferralSenderInfo? sender;
    private bool senderFailed;
    private IReadOnlyList<ReferralProblem> problems = [];
    private string? destinationQuery;
    private bool searching;
    private FhirApiErrorReason? searchError;
    private FacilitySearchResult? searchResult;
    private IReadOnlyList<string> destinationDepartments = [];
    private PatientRecord? record;
    private bool recordLoading;
    private FhirApiErrorReason? recordError;
    private bool previewing;
    private DraftPreview? preview;
    private bool sending;
    private string? sendMessage;
    private Severity sendSeverity;
    private bool sendFailed;
    private IJSObjectReference? module;
    private IJSObjectReference? idleWatch;
    private DotNetObjectReference<ReferralComposePage>? self;

    private enum LoadState
    {
        Loading,
        Ready,
        NotFound,
        NoFacility,
        Error,
    }

    private enum SaveState
    {
        Idle,
        Saving,
        Saved,
        Failed,
        Conflict,
    }

    /// <summary>The draft being edited; null on /referrals/new until the first save creates one.</summary>
    [Parameter]
    public Guid? DraftId { get; set; }

    private bool ReadOnly => status == ReferralDraftStatus.Sent;

    protected override async Task OnParametersSetAsync()
    {
        // Loads once interactive (the prerender shows the loading state), and not again when the first save of a new
        // letter moves the address to the draft it created.
        if (!RendererInfo.IsInteractive)
        {
            return;
        }

        if (DraftId is { } id ? id == loadedId || id == draftId : loadedNew)
        {
            return;
        }

        await LoadAsync();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (RendererInfo.IsInteractive && idleWatch is null && loadState == LoadState.Ready)
        {
            self ??= DotNetObjectReference.Create(this);
            module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./" + Assets["assets/js/referrals.js"]);
            idleWatch = await module.InvokeAsync<IJSObjectReference>("watchIdleSignOut", self);
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
        sendMessage = null;
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
                draftId = null;
                version = 0;
                status = ReferralDraftStatus.Draft;
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
        draftId = draft.Id;
        version = draft.Version;
        status = draft.Status;
        sentBundleId = draft.SentBundleId;
        savedAt = draft.UpdatedAt;
        saveState = SaveState.Idle;
        dirty = false;
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

    private async Task Changed(Action apply)
    {
        if (ReadOnly)
        {
            return;
        }

        apply();
        dirty = true;
        await SaveNowAsync();
    }

    /// <summary>Called by referrals.js when the idle sign-out is about to submit.</summary>
    [JSInvokable]
    public async Task SaveBeforeSignOut()
    {
        await InvokeAsync(() => SaveNowAsync());
    }

    private async Task RetrySaveAsync()
    {
        dirty = true;
        await SaveNowAsync();
    }

    private async Task OverwriteAsync()
    {
        dirty = true;
        await SaveNowAsync(overwrite: true);
    }

    private async Task LoadTheirsAsync()
    {
        if (draftId is { } id && await Drafts.GetAsync(id, cancellation.Token) is { } current)
        {
            Show(current);
        }
    }

    /// <summary>Saves if something changed; one save at a time, and changes made during a save are saved right after it.</summary>
    private async Task SaveNowAsync(bool overwrite = false)
    {
        if (saveState == SaveState.Conflict && !overwrite)
        {
            return; // Nothing is written until the user chooses; the text stays on screen.
        }

        await saveLock.WaitAsync();
        try
        {
            while (dirty)
            {
                dirty = false;
                saveState = SaveState.Saving;
                StateHasChanged();
                var snapshot = form.Clone();
                if (draftId is not { } id)
                {
                    var created = await Drafts.CreateAsync(snapshot, CancellationToken.None);
                    if (created.DraftId is not { } newId)
                    {
                        loadState = LoadState.NoFacility;
                        return;
                    }

                    draftId = newId;
                    version = 1;
                    savedAt = Time.GetUtcNow();
                    saveState = SaveState.Saved;
                    Navigation.NavigateTo($"referrals/drafts/{newId}", new NavigationOptions { ReplaceHistoryEntry = true });
                    continue;
                }

                var result = await Drafts.SaveAsync(id, snapshot, version, overwrite, CancellationToken.None);
                overwrite = false;
                switch (result.Outcome)
                {
                    case DraftSaveOutcome.Saved:
                        version = result.Version;
                        savedAt = result.SavedAt;
                        saveState = SaveState.Saved;
                        break;
                    case DraftSaveOutcome.Conflict:
                        saveState = SaveState.Conflict;
                        dirty = false;
                        return;
                    case DraftSaveOutcome.AlreadySent:
                        if (result.Current is { } sent)
                        {
                            Show(sent);
                        }

                        return;
                    default:
                        loadState = LoadState.NotFound;
                        return;
                }
            }
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException)
        {
            dirty = true;
            saveState = SaveState.Failed;
        }
        finally
        {
            saveLock.Release();
            StateHasChanged();
        }
    }

    private string? IdProblem(IdentifierField field)
    {
        var p = form.Patient;
        var value = field switch
        {
            IdentifierField.Insurer => p.Insurer,
            IdentifierField.Symbol => p.Symbol,
            IdentifierField.Number => p.Number,
            _ => p.Branch,
        };
        if (string.IsNullOrEmpty(value) && field != IdentifierField.Insurer && field != IdentifierField.Number)
        {
            return null;
        }

        if (string.IsNullOrEmpty(p.Insurer) && string.IsNullOrEmpty(p.Number))
        {
            return null; // Nothing typed yet: no red fields before the user starts.
        }

        var problem = InsuranceMemberId.Parse(p.Insurer, p.Symbol, p.Number, p.Branch).Problems.FirstOrDefault(x => x.Field == field);
        return problem is null || (problem.Code == IdentifierErrorCode.Required && string.IsNullOrEmpty(value) && field == IdentifierField.Number && string.IsNullOrEmpty(p.Number))
            ? null
            : PatientText.Problem(L, problem);
    }

    private string SexText(ReferralSex sex) => sex switch
    {
        ReferralSex.Male => L["Patients.Sex.Male"],
        ReferralSex.Female => L["Patients.Sex.Female"],
        ReferralSex.Other => L["Patients.Sex.Other"],
        _ => L["Patients.Sex.Unknown"],
    };

    private async Task OnDestinationKeyAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter")
        {
            await SearchDestinationsAsync();
        }
    }

    private async Task SearchDestinationsAsync()
    {
        searching = true;
        searchError = null;
        try
        {
            searchResult = await Directory.SearchAsync(destinationQuery ?? string.Empty, cancellation.Token);
        }
        catch (FhirApiException ex)
        {
            searchError = ex.Reason;
        }
        finally
        {
            searching = false;
        }
    }

    private async Task PickDestinationAsync(FacilitySummary facility)
    {
        destinationDepartments = facility.Departments;
        searchResult = null;
        await Changed(() =>
        {
            var address = facility.PostalCode is { Length: > 0 } postcode ? $"〒{postcode} {facility.Address}" : facility.Address;
            form.Destination = new ReferralFormDestination
            {
                OrganizationId = facility.OrganizationId,
                Name = facility.Name,
                Code = facility.Code,
                Address = address,
                Phone = facility.Phone,
                AcceptsElectronicLetters = facility.AcceptsElectronicLetters,
                DepartmentName = form.Destination.DepartmentName,
                DoctorName = form.Destination.DoctorName,
            };
        });
    }

    private async Task LoadRecordAsync()
    {
        if (form.Patient.BasePatientId is not { } patientId || recordLoading)
        {
            return;
        }

        recordLoading = true;
        recordError = null;
        try
        {
            record = await Records.LoadAsync(patientId, cancellation.Token);
        }
        catch (FhirApiException ex)
        {
            recordError = ex.Reason;
        }
        catch (MedNetPortal.Web.Features.Consent.PatientAccessDeniedException)
        {
            // No consent (or emergency access) for this patient: nothing from the shared record can be picked.
            recordError = FhirApiErrorReason.Forbidden;
        }
        finally
        {
            recordLoading = false;
        }
    }

    private async Task MoreDiagnosesAsync()
    {
        if (record?.DiagnosesPage.NextLink is not { } next)
        {
            return;
        }

        try
        {
            var page = await Records.MoreDiagnosesAsync(form.Patient.BasePatientId!, next, record.DiagnosesPage.Loaded, cancellation.Token);
            record = record with { Diagnoses = [.. record.Diagnoses, .. page.Items], DiagnosesPage = page.Page };
        }
        catch (FhirApiException ex)
        {
            recordError = ex.Reason;
        }
        catch (MedNetPortal.Web.Features.Consent.PatientAccessDeniedException)
        {
            recordError = FhirApiErrorReason.Forbidden;
        }
    }

    private async Task MoreAllergiesAsync()
    {
        if (record?.AllergiesPage.NextLink is not { } next)
        {
            return;
        }

        try
        {
            var page = await Records.MoreAllergiesAsync(form.Patient.BasePatientId!, next, record.AllergiesPage.Loaded, cancellation.Token);
            record = record with { Allergies = [.. record.Allergies, .. page.Items], AllergiesPage = page.Page };
        }
        catch (FhirApiException ex)
        {
            recordError = ex.Reason;
        }
        catch (MedNetPortal.Web.Features.Consent.PatientAccessDeniedException)
        {
            recordError = FhirApiErrorReason.Forbidden;
        }
    }

    private async Task TogglePickAsync(SharedPickToggle toggle)
    {
        var list = toggle.Kind == SharedResourceKind.Diagnosis ? form.DiagnosisPicks : form.AllergyPicks;
        var existing = list.FindIndex(p => p.SourceId == toggle.SourceId);
        if (existing >= 0)
        {
            await Changed(() => list.RemoveAt(existing));
            return;
        }

        try
        {
            var copy = await Drafts.CopySharedAsync(form.Patient.BasePatientId ?? string.Empty, toggle.Kind, toggle.SourceId, toggle.Label, cancellation.Token);
            await Changed(() => list.Add(copy));
        }
        catch (FhirApiException ex)
        {
            recordError = ex.Reason;
        }
        catch (MedNetPortal.Web.Features.Consent.PatientAccessDeniedException)
        {
            recordError = FhirApiErrorReason.Forbidden;
        }
    }

    private async Task FocusAsync(string id)
    {
        module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./" + Assets["assets/js/referrals.js"]);
        await module.InvokeAsync<bool>("focusField", id);
    }

    private async Task PreviewAsync()
    {
        previewing = true;
        dirty = dirty || draftId is null;
        await SaveNowAsync();
        try
        {
            if (draftId is { } id && saveState != SaveState.Failed)
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
        sendMessage = null;
        sendFailed = false;
        StateHasChanged();
        try
        {
            dirty = dirty || draftId is null;
            await SaveNowAsync();
            if (draftId is not { } id || saveState is SaveState.Failed or SaveState.Conflict)
            {
                return;
            }

            var result = await Drafts.SendAsync(id, CancellationToken.None);
            ShowSendResult(result);
        }
        finally
        {
            sending = false;
        }
    }

    private void ShowSendResult(DraftSendResult result)
    {
        problems = result.Problems;
        switch (result.Outcome)
        {
            case DraftSendOutcome.Attempted when result.Send is { IsStored: true } stored:
                status = ReferralDraftStatus.Sent;
                sentBundleId = stored.BundleId;
                sendMessage = null;
                problems = [];
                break;
            case DraftSendOutcome.Attempted when result.Send is { } failed:
                sendMessage = L["Referrals.Send.Failed", PatientText.Error(L, failed.FailureReason ?? FhirApiErrorReason.Unexpected)];
                sendSeverity = Severity.Error;
                sendFailed = true;
                break;
            case DraftSendOutcome.Invalid:
                sendMessage = L["Referrals.Send.Invalid"];
                sendSeverity = Severity.Warning;
                break;
            case DraftSendOutcome.NotConnected:
                sendMessage = L["Referrals.Destination.NotConnected"];
                sendSeverity = Severity.Warning;
                break;
            case DraftSendOutcome.Conflict:
                sendMessage = L["Referrals.Save.Conflict"];
                sendSeverity = Severity.Warning;
                break;
            default:
                loadState = LoadState.NotFound;
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await cancellation.CancelAsync();
        cancellation.Dispose();
        try
        {
            if (idleWatch is not null)
            {
                await idleWatch.InvokeVoidAsync("dispose");
                await idleWatch.DisposeAsync();
            }

            if (module is not null)
            {
                await module.DisposeAsync();
            }
        }
        catch (Exception e) when (e is JSDisconnectedException or OperationCanceledException)
        {
            // The circuit is gone or going (a call cut short by its disposal is cancelled); so is the module.
        }

        self?.Dispose();
        saveLock.Dispose();
    }
}

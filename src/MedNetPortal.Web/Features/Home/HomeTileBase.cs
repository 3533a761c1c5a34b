using System.Data.Common;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Patients;
using MedNetPortal.Web.Resources;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace MedNetPortal.Web.Features.Home;

/// <summary>
/// One home tile's loading, error and result. It loads once the page is interactive (the prerender shows the loading state,
/// so a home view is exactly one load per tile), on its own: a failing tile shows its error and leaves the others alone.
/// </summary>
public abstract class HomeTileBase<T> : ComponentBase, IDisposable
    where T : class
{
    private readonly CancellationTokenSource cancellation = new();
    private bool started;

    [Inject]
    protected IHomeService Home { get; set; } = default!;

    [Inject]
    protected IStringLocalizer<SharedResource> L { get; set; } = default!;

    /// <summary>What the tile loaded; null while loading, after an error, or when the user may not see it.</summary>
    protected T? Value { get; private set; }

    protected bool Loading { get; private set; } = true;

    /// <summary>What failed and what the user can do, in their language; null when nothing failed.</summary>
    protected string? Error { get; private set; }

    /// <summary>The tile's one call to <see cref="IHomeService"/>.</summary>
    protected abstract Task<T?> LoadAsync(CancellationToken cancellationToken);

    protected override async Task OnParametersSetAsync()
    {
        if (!RendererInfo.IsInteractive || started)
        {
            return;
        }

        started = true;
        await RunAsync();
    }

    /// <summary>Loads again (the error's retry button).</summary>
    protected async Task RetryAsync()
    {
        Loading = true;
        Error = null;
        StateHasChanged();
        await RunAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            Value = await LoadAsync(cancellation.Token);
        }
        catch (FhirApiException ex)
        {
            Error = PatientText.Error(L, ex.Reason);
        }
        catch (DbException)
        {
            Error = L["Home.Error.Database"];
        }
        finally
        {
            Loading = false;
        }
    }

    public void Dispose()
    {
        cancellation.Cancel();
        cancellation.Dispose();
        GC.SuppressFinalize(this);
    }
}

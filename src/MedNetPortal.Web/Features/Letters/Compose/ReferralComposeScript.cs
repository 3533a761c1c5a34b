using Microsoft.JSInterop;

namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>
/// The compose page's browser side (referrals.js): focusing a field a problem names, and saving when the idle sign-out is
/// about to leave (the script blurs the field being typed in, then calls <see cref="SaveBeforeSignOut"/>).
/// </summary>
/// <param name="js">The circuit's JS runtime.</param>
/// <param name="modulePath">The fingerprinted module path, as a relative URL ("./…").</param>
/// <param name="saveBeforeSignOut">Saves what is waiting (on the component's context).</param>
public sealed class ReferralComposeScript(IJSRuntime js, string modulePath, Func<Task> saveBeforeSignOut) : IAsyncDisposable
{
    private IJSObjectReference? module;
    private IJSObjectReference? idleWatch;
    private DotNetObjectReference<ReferralComposeScript>? self;

    /// <summary>Starts listening for the idle sign-out (once).</summary>
    public async Task WatchIdleSignOutAsync()
    {
        if (idleWatch is not null)
        {
            return;
        }

        self ??= DotNetObjectReference.Create(this);
        module ??= await js.InvokeAsync<IJSObjectReference>("import", modulePath);
        idleWatch = await module.InvokeAsync<IJSObjectReference>("watchIdleSignOut", self);
    }

    /// <summary>Scrolls to and focuses the element; false when there is none.</summary>
    public async Task<bool> FocusAsync(string id)
    {
        module ??= await js.InvokeAsync<IJSObjectReference>("import", modulePath);
        return await module.InvokeAsync<bool>("focusField", id);
    }

    /// <summary>Called by referrals.js when the idle sign-out is about to submit.</summary>
    [JSInvokable]
    public Task SaveBeforeSignOut() => saveBeforeSignOut();

    public async ValueTask DisposeAsync()
    {
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
    }
}

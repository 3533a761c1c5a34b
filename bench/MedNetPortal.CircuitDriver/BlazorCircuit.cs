using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MedNetPortal.CircuitDriver;

/// <summary>
/// One Blazor Server circuit driven over SignalR without a browser, as blazor.web.js (.NET 10) drives it:
/// <list type="number">
/// <item>GET the page (with the session's cookies) and read its prerendered server component markers
/// (<c>&lt;!--Blazor:{"type":"server",…,"descriptor":…}--&gt;</c>) and its persisted state
/// (<c>&lt;!--Blazor-Server-Component-State:…--&gt;</c>);</item>
/// <item>negotiate and open the WebSocket to <c>_blazor</c> with the "blazorpack" (MessagePack) hub protocol;</item>
/// <item><c>StartCircuit(baseUri, uri, "[]", state)</c>, then <c>UpdateRootComponents</c> with one "add" operation per marker;</item>
/// <item>acknowledge every <c>JS.RenderBatch</c> with <c>OnRenderCompleted</c> and answer every <c>JS.BeginInvokeJS</c> with
/// <c>EndInvokeJSFromDotNet</c> (JS object references get fresh ids, everything else null);</item>
/// <item>navigate as a link click does: <c>OnLocationChanged(uri, null, intercepted: true)</c>; a server-side
/// <c>NavigateTo</c> (<c>Blazor._internal.navigationManager.navigateTo</c>) is followed the same way.</item>
/// </list>
/// A page counts as rendered when a render batch holds a marker text (e.g. the <c>data-testid</c> value <c>patient-banner</c>):
/// render batches carry every new string in a UTF-8 string table.
/// </summary>
internal sealed partial class BlazorCircuit : IAsyncDisposable
{
    private const string NavigateTo = "Blazor._internal.navigationManager.navigateTo";
    private const string AttachRendererInterop = "Blazor._internal.attachWebRendererInterop";

    private readonly HubConnection connection;
    private readonly Uri root;
    private long nextJsObjectId = 1_000_000;
    private Waiter? waiter;

    private readonly SignInSession session;
    private string? secret;

    private BlazorCircuit(HubConnection connection, SignInSession session)
    {
        this.connection = connection;
        this.session = session;
        root = session.Root;
        connection.On("JS.RenderBatch", [typeof(long), typeof(byte[])], OnRenderBatchAsync, this);
        connection.On("JS.BeginInvokeJS", [typeof(long), typeof(string), typeof(string), typeof(int), typeof(long), typeof(int)], OnBeginInvokeJsAsync, this);
        connection.On("JS.EndInvokeDotNet", [typeof(string), typeof(bool), typeof(string)], static (_, _) => Task.CompletedTask, this);
        connection.On("JS.EndUpdateRootComponents", [typeof(long)], static (_, _) => Task.CompletedTask, this);
        connection.On("JS.Error", [typeof(string)], (args, _) =>
        {
            Fail("the server reported a circuit error: " + args[0]);
            return Task.CompletedTask;
        }, this);
        connection.Closed += error =>
        {
            if (!Disposing)
            {
                Fail("the connection closed" + (error is null ? string.Empty : ": " + error.Message));
            }

            return Task.CompletedTask;
        };
    }

    /// <summary>JS functions the server called, by identifier and result type: what a real browser would have run.</summary>
    public static ConcurrentDictionary<string, int> JsCalls { get; } = new(StringComparer.Ordinal);

    /// <summary>Render batches received (and acknowledged).</summary>
    public int Batches { get; private set; }

    /// <summary>The id of the renderer's interop object (<c>DispatchEventAsync</c> is invoked on it), once attached.</summary>
    public long? RendererInteropId { get; private set; }

    private bool Disposing { get; set; }

    /// <summary>Opens a circuit on <paramref name="path"/> and waits until a render batch holds <paramref name="readyMarker"/>.</summary>
    public static async Task<BlazorCircuit> OpenAsync(
        SignInSession session, string path, string readyMarker, string? errorMarker, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var html = await session.Http.GetStringAsync(path, cancellationToken);
        var markers = Markers().Matches(html).Select(m => m.Groups["json"].Value)
            .Select(json => JsonNode.Parse(json)!.AsObject())
            .Where(o => (string?)o["type"] == "server" && o["descriptor"] is not null)
            .OrderBy(o => (int?)o["sequence"] ?? 0)
            .ToList();
        if (markers.Count == 0)
        {
            throw new InvalidOperationException($"GET {path} has no interactive server component (signed out?)");
        }

        var state = ServerState().Match(html) is { Success: true } m ? m.Groups["state"].Value : string.Empty;
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(session.Root, "_blazor"), o =>
            {
                o.Cookies = session.Cookies;
                o.Transports = HttpTransportType.WebSockets;
            })
            .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Critical))
            .WithServerTimeout(TimeSpan.FromMinutes(2));
        builder.Services.AddSingleton<IHubProtocol, BlazorPackProtocol>();
        var circuit = new BlazorCircuit(builder.Build(), session);
        try
        {
            var ready = circuit.Expect(readyMarker, errorMarker);
            await circuit.connection.StartAsync(cancellationToken);
            circuit.secret = await circuit.connection.InvokeAsync<string?>(
                "StartCircuit", session.Root.ToString(), new Uri(session.Root, path).ToString(), "[]", state, cancellationToken);
            if (string.IsNullOrEmpty(circuit.secret))
            {
                throw new InvalidOperationException("StartCircuit returned no circuit id");
            }

            var operations = new JsonObject
            {
                ["batchId"] = 1,
                ["operations"] = new JsonArray([.. markers.Select((marker, i) => (JsonNode)new JsonObject
                {
                    ["type"] = "add",
                    ["ssrComponentId"] = i + 1,
                    ["marker"] = marker.DeepClone(),
                })]),
            };
            await circuit.connection.SendAsync("UpdateRootComponents", operations.ToJsonString(), state, cancellationToken);
            await WaitAsync(ready, timeout, cancellationToken);
            return circuit;
        }
        catch
        {
            await circuit.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Navigates within the circuit as a followed link does and returns the time until a render batch holds
    /// <paramref name="readyMarker"/> (a batch holding <paramref name="errorMarker"/> instead fails).
    /// </summary>
    public async Task<TimeSpan> NavigateAsync(string path, string readyMarker, string? errorMarker, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var ready = Expect(readyMarker, errorMarker);
        var started = Stopwatch.GetTimestamp();
        await connection.SendAsync("OnLocationChanged", new Uri(root, path).ToString(), null, true, cancellationToken);
        await WaitAsync(ready, timeout, cancellationToken);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Closes the circuit as a closing tab does: the disconnect beacon (the server disposes it at once), then the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        Disposing = true;
        if (secret is not null)
        {
            try
            {
                using var form = new FormUrlEncodedContent([new("circuitId", secret)]);
                using var response = await session.Http.PostAsync("_blazor/disconnect", form);
            }
            catch (HttpRequestException)
            {
                // The server disposes a disconnected circuit later anyway.
            }
        }

        await connection.DisposeAsync();
    }

    private static async Task WaitAsync(Task ready, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await ready.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"not rendered within {timeout.TotalSeconds:F0} s");
        }
    }

    private Task Expect(string readyMarker, string? errorMarker)
    {
        var next = new Waiter(Encoding.UTF8.GetBytes(readyMarker), errorMarker is null ? null : Encoding.UTF8.GetBytes(errorMarker));
        waiter = next;
        return next.Done.Task;
    }

    private void Fail(string reason) => Interlocked.Exchange(ref waiter, null)?.Done.TrySetException(new InvalidOperationException(reason));

    private static async Task OnRenderBatchAsync(object?[] args, object state)
    {
        var circuit = (BlazorCircuit)state;
        var id = (long)args[0]!;
        var batch = (byte[])args[1]!;
        circuit.Batches++;
        if (circuit.waiter is { } current)
        {
            if (current.Error is { } error && batch.AsSpan().IndexOf(error) >= 0)
            {
                Interlocked.CompareExchange(ref circuit.waiter, null, current);
                current.Done.TrySetException(new InvalidOperationException("the page rendered its error state"));
            }
            else if (batch.AsSpan().IndexOf(current.Ready) >= 0)
            {
                Interlocked.CompareExchange(ref circuit.waiter, null, current);
                current.Done.TrySetResult();
            }
        }

        await circuit.connection.SendAsync("OnRenderCompleted", id, null);
    }

    private static async Task OnBeginInvokeJsAsync(object?[] args, object state)
    {
        var circuit = (BlazorCircuit)state;
        var asyncHandle = (long)args[0]!;
        var identifier = (string?)args[1] ?? string.Empty;
        var argsJson = (string?)args[2];
        var resultType = (int)args[3]!;
        JsCalls.AddOrUpdate($"{identifier} (result type {resultType.ToString(CultureInfo.InvariantCulture)})", 1, (_, n) => n + 1);

        string result;
        switch (identifier)
        {
            case AttachRendererInterop when argsJson is not null:
                circuit.RendererInteropId = JsonNode.Parse(argsJson)?[1]?["__dotNetObject"]?.GetValue<long>();
                result = "null";
                break;
            case NavigateTo when argsJson is not null:
                var target = JsonNode.Parse(argsJson)!;
                if (target[1]?["forceLoad"]?.GetValue<bool>() == true)
                {
                    circuit.Fail($"the page asked for a full page load of {target[0]}");
                }
                else
                {
                    // The browser's history changes, then it tells the circuit (not intercepted: the app navigated).
                    _ = circuit.connection.SendAsync("OnLocationChanged", new Uri(circuit.root, (string)target[0]!).ToString(), null, false);
                }

                result = "null";
                break;
            default:
                // 1 = a JS object reference (e.g. an imported module): a fresh id; anything else: no value.
                result = resultType == 1
                    ? "{\"__jsObjectId\":" + Interlocked.Increment(ref circuit.nextJsObjectId).ToString(CultureInfo.InvariantCulture) + "}"
                    : "null";
                break;
        }

        if (asyncHandle != 0)
        {
            var handle = asyncHandle.ToString(CultureInfo.InvariantCulture);
            await circuit.connection.SendAsync("EndInvokeJSFromDotNet", asyncHandle, true, $"[{handle},true,{result}]");
        }
    }

    [GeneratedRegex("<!--Blazor:(?<json>\\{.*?\\})-->", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex Markers();

    [GeneratedRegex("<!--Blazor-Server-Component-State:(?<state>[A-Za-z0-9+/=]+)-->", RegexOptions.CultureInvariant)]
    private static partial Regex ServerState();

    private sealed class Waiter(byte[] ready, byte[]? error)
    {
        public byte[] Ready { get; } = ready;

        public byte[]? Error { get; } = error;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

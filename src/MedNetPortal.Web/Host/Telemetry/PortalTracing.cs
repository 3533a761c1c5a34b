using System.Diagnostics;

namespace MedNetPortal.Web.Host.Telemetry;

/// <summary>
/// The portal's own spans (source <c>MedNetPortal.Web</c>). Without a listener (telemetry off) <see cref="ActivitySource.StartActivity(string, ActivityKind)"/>
/// returns null and costs next to nothing.
/// </summary>
public static class PortalTracing
{
    public const string SourceName = "MedNetPortal.Web";

    internal static ActivitySource Source { get; } = new(SourceName);
}

/// <summary>
/// Carries a click into the navigation it causes, per circuit. .NET 10 starts every Blazor event handler
/// (<c>Microsoft.AspNetCore.Components.HandleEvent</c>) and every navigation (<c>…Navigate</c>) as a new trace, only linked to
/// the circuit: a button whose handler navigates (the lookup opening the one patient found) would leave the record's FHIR
/// requests in a trace of their own. The handler calls <see cref="Navigating"/> just before <c>NavigateTo</c>; the page it
/// opens starts its span with <see cref="StartContinuing"/>, which makes it a child of the click (and links the navigation).
/// A link followed in the browser has no handler: its navigation span is the click, and the page's span is its child.
/// </summary>
public sealed class InteractionTrace
{
    private const long MaxDelayMs = 30_000;

    private (ActivityContext Context, string Target, long At)? pending;

    /// <summary>Remembers the current span (the click) as the cause of the navigation to <paramref name="target"/>.</summary>
    /// <param name="target">What the opened page will ask for, e.g. the patient id.</param>
    public void Navigating(string target)
    {
        pending = Activity.Current is { } current ? (current.Context, target, Environment.TickCount64) : null;
    }

    /// <summary>
    /// Starts <paramref name="name"/> as a child of the click that navigated to <paramref name="target"/> (if one did, within
    /// 30 s), linked to the current span (the navigation); otherwise as a child of the current span.
    /// </summary>
    public Activity? StartContinuing(string name, string target)
    {
        var cause = pending;
        pending = null;
        if (cause is { } click && click.Target == target && Environment.TickCount64 - click.At <= MaxDelayMs
            && Activity.Current?.Context.TraceId != click.Context.TraceId)
        {
            var links = Activity.Current is { } navigation ? new[] { new ActivityLink(navigation.Context) } : null;
            return PortalTracing.Source.StartActivity(name, ActivityKind.Internal, click.Context, links: links);
        }

        return PortalTracing.Source.StartActivity(name, ActivityKind.Internal);
    }
}

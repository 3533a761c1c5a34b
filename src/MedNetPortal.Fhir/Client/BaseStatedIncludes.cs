using System.Text.Json;

namespace MedNetPortal.Fhir;

/// <summary>
/// The <c>_include</c> values the central base's CapabilityStatement states, read once and kept. The portal asks for an
/// optional include that is not standard R4 (the embedded base's <c>&lt;Type&gt;:institution</c>, facility names on the
/// record) only from a base that states it, so a standard base is never sent a parameter it would refuse. The start-up check
/// and <c>/health</c> hand over the statement they read; if neither has yet, the first question reads it (one GET
/// <c>metadata</c>); a base that cannot be read counts as stating nothing and is asked again once
/// <see cref="RetryAfterFailure"/> has passed, so that while a base is failing each record load does not wait for a second
/// failing read.
/// </summary>
public sealed class BaseStatedIncludes
{
    /// <summary>How long a failed read of the statement is remembered before the next question reads it again.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim reading = new(1, 1);
    private readonly TimeProvider time;
    private volatile HashSet<string>? stated;
    private long retryAt;

    /// <summary>Remembers a failed read on the system clock.</summary>
    public BaseStatedIncludes()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Remembers a failed read on <paramref name="time"/>.</summary>
    public BaseStatedIncludes(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        this.time = time;
    }

    /// <summary>Whether the statement has been read.</summary>
    public bool Known => stated is not null;

    /// <summary>Keeps what <paramref name="statement"/> (a CapabilityStatement as JSON) states.</summary>
    public void Remember(JsonElement statement) => stated = BaseCapabilities.StatedIncludes(statement);

    /// <summary>Whether the base states every one of <paramref name="includes"/> (<c>Type:param</c>) by name.</summary>
    public async Task<bool> StatesAllAsync(IReadOnlyList<string> includes, CentralFhirClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(includes);
        ArgumentNullException.ThrowIfNull(client);
        if (stated is null)
        {
            if (time.GetUtcNow().UtcTicks < Interlocked.Read(ref retryAt))
            {
                return false;
            }

            await reading.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (stated is null)
                {
                    if (time.GetUtcNow().UtcTicks < Interlocked.Read(ref retryAt))
                    {
                        return false;
                    }

                    using var statement = await client.GetCapabilityStatementJsonAsync(cancellationToken).ConfigureAwait(false);
                    Remember(statement.RootElement);
                }
            }
            // A refusal, a broken connection or a timed-out attempt (not the caller's cancellation).
            catch (Exception ex) when (ex is FhirApiException or HttpRequestException or Polly.Timeout.TimeoutRejectedException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                Interlocked.Exchange(ref retryAt, (time.GetUtcNow() + RetryAfterFailure).UtcTicks);
                return false;
            }
            finally
            {
                reading.Release();
            }
        }

        var known = stated!;
        // Named, not by wildcard: a server that lists "*" still refuses a parameter it does not have (Medplum does).
        return includes.All(known.Contains);
    }
}

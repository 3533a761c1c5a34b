using System.Text.Json;

namespace MedNetPortal.Fhir;

/// <summary>
/// The <c>_include</c> values the central base's CapabilityStatement states, read once and kept. The portal asks for an
/// optional include that is not standard R4 (the embedded base's <c>&lt;Type&gt;:institution</c>, facility names on the
/// record) only from a base that states it, so a standard base is never sent a parameter it would refuse. The start-up check
/// and <c>/health</c> hand over the statement they read; if neither has yet, the first question reads it (one GET
/// <c>metadata</c>); a base that cannot be read counts as stating nothing and is asked again next time.
/// </summary>
public sealed class BaseStatedIncludes
{
    private readonly SemaphoreSlim reading = new(1, 1);
    private volatile HashSet<string>? stated;

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
            await reading.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (stated is null)
                {
                    using var statement = await client.GetCapabilityStatementJsonAsync(cancellationToken).ConfigureAwait(false);
                    Remember(statement.RootElement);
                }
            }
            catch (FhirApiException)
            {
                return false;
            }
            catch (HttpRequestException)
            {
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

using Hl7.Fhir.Model;

namespace MedNetPortal.Fhir;

/// <summary>
/// Sends a large <c>transaction</c> Bundle as several smaller transactions, for bases that limit the size of an atomic
/// transaction (some refuse more than a handful of conditional entries). Entries are ordered so that an entry comes after
/// every entry whose <c>fullUrl</c> it references; each later chunk has those references replaced by the ids the base
/// assigned, read from the earlier responses.
/// </summary>
/// <remarks>
/// Each chunk is atomic; the whole is not. Send only transactions whose entries are safe to send again (conditional
/// creates, updates by id): a failed run then completes when repeated, without duplicates.
/// </remarks>
public static class TransactionChunks
{
    /// <summary>
    /// Sends <paramref name="transaction"/> in chunks of at most <paramref name="maxEntries"/> entries and returns one
    /// <c>transaction-response</c> Bundle whose entries are in the order of the original entries.
    /// A transaction no larger than <paramref name="maxEntries"/> is sent unchanged, as one request.
    /// </summary>
    /// <param name="api">The typed client.</param>
    /// <param name="transaction">A Bundle of type <c>transaction</c>.</param>
    /// <param name="maxEntries">The largest number of entries one request may carry (at least 1).</param>
    /// <param name="cancellationToken">Cancels the remaining chunks.</param>
    /// <exception cref="InvalidOperationException">References between entries form a cycle, so no order can be sent in parts.</exception>
    public static async Task<Bundle> SendAsync(IFhirApi api, Bundle transaction, int maxEntries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        if (transaction.Entry.Count <= maxEntries)
        {
            return await api.TransactionAsync(transaction, cancellationToken).ConfigureAwait(false);
        }

        var order = DependencyOrder(transaction.Entry);
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        var responses = new Bundle.EntryComponent?[transaction.Entry.Count];
        foreach (var chunk in order.Chunk(maxEntries))
        {
            var request = new Bundle { Type = Bundle.BundleType.Transaction };
            foreach (var index in chunk)
            {
                var entry = (Bundle.EntryComponent)transaction.Entry[index].DeepCopy();
                if (entry.Resource is { } resource)
                {
                    Rewrite(resource, resolved);
                }

                request.Entry.Add(entry);
            }

            var response = await api.TransactionAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.Entry.Count != chunk.Length)
            {
                throw new FhirApiException(FhirApiErrorReason.MalformedResponse,
                    $"The base answered a transaction of {chunk.Length} entries with {response.Entry.Count}.");
            }

            for (var i = 0; i < chunk.Length; i++)
            {
                var original = transaction.Entry[chunk[i]];
                responses[chunk[i]] = response.Entry[i];
                if (original.FullUrl is { } fullUrl && AssignedReference(original, response.Entry[i]) is { } assigned)
                {
                    resolved[fullUrl] = assigned;
                }
            }
        }

        var combined = new Bundle { Type = Bundle.BundleType.TransactionResponse };
        combined.Entry.AddRange(responses.Select(r => r!));
        return combined;
    }

    /// <summary>Entry indexes, each after the entries whose fullUrl it references (stable otherwise).</summary>
    internal static int[] DependencyOrder(IReadOnlyList<Bundle.EntryComponent> entries)
    {
        var byFullUrl = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].FullUrl is { } fullUrl)
            {
                byFullUrl[fullUrl] = i;
            }
        }

        var dependencies = entries
            .Select(e => e.Resource is null
                ? []
                : References(e.Resource).Select(r => byFullUrl.TryGetValue(r, out var target) ? target : -1).Where(t => t >= 0).Distinct().ToArray())
            .ToArray();
        var state = new byte[entries.Count]; // 0 unvisited, 1 on the stack, 2 placed
        var order = new List<int>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            Place(i);
        }

        return [.. order];

        void Place(int index)
        {
            if (state[index] == 2)
            {
                return;
            }

            if (state[index] == 1)
            {
                throw new InvalidOperationException(
                    $"Entries of the transaction reference each other in a cycle (entry {index}); it cannot be sent in parts.");
            }

            state[index] = 1;
            foreach (var dependency in dependencies[index])
            {
                if (dependency != index)
                {
                    Place(dependency);
                }
            }

            state[index] = 2;
            order.Add(index);
        }
    }

    private static string? AssignedReference(Bundle.EntryComponent original, Bundle.EntryComponent response)
    {
        // Location is Type/id or Type/id/_history/vid, relative or absolute.
        if (response.Response?.Location is { Length: > 0 } location)
        {
            var parts = location.Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
            var history = Array.IndexOf(parts, "_history");
            var end = history >= 2 ? history : parts.Length;
            if (end >= 2)
            {
                return $"{parts[end - 2]}/{parts[end - 1]}";
            }
        }

        return response.Resource is { Id: { Length: > 0 } id } resource
            ? $"{resource.TypeName}/{id}"
            : original.Resource is { } sent && response.Response?.Status?.StartsWith('2') == true && sent.Id is { Length: > 0 } sentId
                ? $"{sent.TypeName}/{sentId}"
                : null;
    }

    private static IEnumerable<string> References(Base node)
    {
        if (node is ResourceReference { Reference: { } target })
        {
            yield return target;
        }

        foreach (var (_, value) in node.EnumerateElements())
        {
            switch (value)
            {
                case Base child:
                    foreach (var reference in References(child))
                    {
                        yield return reference;
                    }

                    break;
                case IReadOnlyList<Base> list:
                    foreach (var item in list)
                    {
                        foreach (var reference in References(item))
                        {
                            yield return reference;
                        }
                    }

                    break;
            }
        }
    }

    private static void Rewrite(Base node, Dictionary<string, string> resolved)
    {
        if (node is ResourceReference { Reference: { } target } reference && resolved.TryGetValue(target, out var replacement))
        {
            reference.Reference = replacement;
        }

        foreach (var (_, value) in node.EnumerateElements())
        {
            switch (value)
            {
                case Base child:
                    Rewrite(child, resolved);
                    break;
                case IReadOnlyList<Base> list:
                    foreach (var item in list)
                    {
                        Rewrite(item, resolved);
                    }

                    break;
            }
        }
    }
}

using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedNetPortal.Web.Features.Demo;

/// <summary>What one seeding run did: created versus already present (a second run creates nothing).</summary>
public sealed record DemoSeedResult(int Transactions, int ResourcesCreated, int ResourcesExisting, int LettersCreated, int LettersExisting);

/// <summary>
/// Seeds the demo data through the standard FHIR API: one transaction for the facilities, one per patient (sent in
/// chunks when larger than <c>CentralFhir:MaxTransactionEntries</c>) and one per letter (the document Bundle with its
/// DocumentReference and routing Task, <see cref="LetterDelivery"/>, kept whole because its entries reference each other),
/// conditional creates throughout.
/// </summary>
public static class DemoSeeder
{
    public static Task<DemoSeedResult> SeedAsync(IFhirApi api, CancellationToken cancellationToken) =>
        SeedAsync(api, NullLogger.Instance, cancellationToken);

    public static Task<DemoSeedResult> SeedAsync(IFhirApi api, ILogger logger, CancellationToken cancellationToken) =>
        SeedAsync(api, logger, new CentralFhirOptions().MaxTransactionEntries, cancellationToken);

    /// <summary>Seeds, sending no transaction larger than <paramref name="maxTransactionEntries"/> entries (larger ones in chunks).</summary>
    public static Task<DemoSeedResult> SeedAsync(IFhirApi api, ILogger logger, int maxTransactionEntries, CancellationToken cancellationToken) =>
        SeedAsync(api, logger, maxTransactionEntries, LargeRecordGenerator.DefaultCount, cancellationToken);

    /// <summary>Seeds as above, the large-record patient with <paramref name="largeRecordDiagnoses"/> generated diagnoses.</summary>
    public static async Task<DemoSeedResult> SeedAsync(IFhirApi api, ILogger logger, int maxTransactionEntries, int largeRecordDiagnoses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(logger);
        var transactions = new List<Bundle> { DemoTransactions.Facilities() };
        transactions.AddRange(DemoTransactions.ForAllPatients(largeRecordDiagnoses));

        int created = 0, existing = 0;
        foreach (var transaction in transactions)
        {
            var response = await TransactionChunks.SendAsync(api, transaction, maxTransactionEntries, cancellationToken);
            var (c, e) = CountStatuses(response);
            created += c;
            existing += e;
        }

        logger.LogInformation("Demo seeding: {Transactions} transactions, {Created} resources created, {Existing} already present",
            transactions.Count, created, existing);

        int lettersCreated = 0, lettersExisting = 0;
        foreach (var letter in DemoLetters.All)
        {
            // Like a letter sent from the portal: one transaction with its DocumentReference and routing Task, so the demo
            // letters are listed and routed on any FHIR base, not only on the embedded one.
            var document = DemoLetters.ToDocument(letter);
            var transaction = LetterDelivery.BuildTransaction(document, basePatientId: null, document.Timestamp ?? DateTimeOffset.UtcNow);
            var response = await api.TransactionAsync(transaction, cancellationToken);
            var status = response.Entry.ElementAtOrDefault(LetterDelivery.DocumentEntryIndex(transaction))?.Response?.Status ?? string.Empty;
            if (!status.StartsWith('2'))
            {
                throw new HttpRequestException($"Creating a demo letter answered '{status}'.");
            }

            if (status.StartsWith("201", StringComparison.Ordinal))
            {
                lettersCreated++;
            }
            else
            {
                lettersExisting++;
            }
        }

        logger.LogInformation("Demo seeding: {LettersCreated} letters created, {LettersExisting} already present", lettersCreated, lettersExisting);
        return new DemoSeedResult(transactions.Count, created, existing, lettersCreated, lettersExisting);
    }

    /// <summary>Counts <c>201</c> entries as created and other 2xx entries (conditional create matched) as existing.</summary>
    internal static (int Created, int Existing) CountStatuses(Bundle response)
    {
        int created = 0, existing = 0;
        foreach (var entry in response.Entry)
        {
            var status = entry.Response?.Status ?? "";
            if (status.StartsWith("201", StringComparison.Ordinal))
            {
                created++;
            }
            else if (status.StartsWith('2'))
            {
                existing++;
            }
        }

        return (created, existing);
    }
}

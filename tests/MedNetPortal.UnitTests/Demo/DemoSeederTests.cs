// Firely models are nullable throughout; these tests dereference what the assertions just established.
#nullable disable warnings
using System.Net;
using Hl7.Fhir.Model;
using MedNetPortal.Web.Features.Demo;

namespace MedNetPortal.UnitTests.Demo;

public sealed class DemoSeederTests
{
    [Fact]
    public async System.Threading.Tasks.Task Seeding_twice_creates_everything_once()
    {
        var api = new FakeFhirApi();

        var first = await DemoSeeder.SeedAsync(api, CancellationToken.None);
        var storedAfterFirst = api.StoredCount;
        var second = await DemoSeeder.SeedAsync(api, CancellationToken.None);

        Assert.Equal(1 + DemoPatients.All.Count, first.Transactions);
        Assert.True(first.ResourcesCreated > 500 + DemoPatients.All.Count);
        Assert.Equal(DemoLetters.All.Count, first.LettersCreated);
        Assert.Equal(0, second.ResourcesCreated);
        Assert.Equal(0, second.LettersCreated);
        Assert.Equal(first.ResourcesCreated + first.ResourcesExisting, second.ResourcesExisting);
        Assert.Equal(DemoLetters.All.Count, second.LettersExisting);
        Assert.Equal(storedAfterFirst, api.StoredCount);
    }

    [Fact]
    public async System.Threading.Tasks.Task Letters_are_sent_as_one_transaction_each_with_their_DocumentReference_and_Task_all_conditional()
    {
        var api = new FakeFhirApi();

        await DemoSeeder.SeedAsync(api, CancellationToken.None);

        Assert.Empty(api.Creates);
        var letters = api.Transactions.Where(t => t.Entry.Any(e => e.Resource is Bundle)).ToList();
        Assert.Equal(DemoLetters.All.Count, letters.Count);
        Assert.All(letters, t =>
        {
            Assert.Equal(Bundle.BundleType.Transaction, t.Type);
            var bundle = Assert.IsType<Bundle>(Assert.Single(t.Entry, e => e.Resource is Bundle).Resource);
            Assert.Equal(Bundle.BundleType.Document, bundle.Type);
            var ifNoneExist = $"identifier=http://jpfhir.jp/fhir/clins/bundle-identifier|{Uri.EscapeDataString(bundle.Identifier!.Value)}";
            Assert.All(t.Entry.Where(e => e.Resource is Bundle or DocumentReference or Hl7.Fhir.Model.Task), e => Assert.Equal(ifNoneExist, e.Request.IfNoneExist));
            Assert.Single(t.Entry, e => e.Resource is DocumentReference);
            Assert.Single(t.Entry, e => e.Resource is Hl7.Fhir.Model.Task);
            // Every entry is a conditional create (the patient and facilities exist already; a repeat writes nothing), and
            // few enough for servers that limit conditional entries per transaction.
            Assert.All(t.Entry, e => Assert.False(string.IsNullOrEmpty(e.Request.IfNoneExist)));
            Assert.InRange(t.Entry.Count, 5, 6);
            Assert.All(t.Entry, e => Assert.All(e.Request.IfNoneExist!, ch => Assert.InRange(ch, (char)0x21, (char)0x7E)));
        });
        // A letter's patient is found, not created again: the same identifier query as the patient's own transaction.
        var patientQueries = api.Transactions.Except(letters).SelectMany(t => t.Entry).Where(e => e.Resource is Patient)
            .Select(e => Uri.UnescapeDataString(e.Request.IfNoneExist!)).ToHashSet(StringComparer.Ordinal);
        Assert.All(letters, t => Assert.Contains(Uri.UnescapeDataString(Assert.Single(t.Entry, e => e.Resource is Patient).Request.IfNoneExist!), patientQueries));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_failed_letter_surfaces_as_an_exception_so_the_service_retries()
    {
        var api = new FakeFhirApi();
        api.TransactionHandler = transaction => transaction.Entry.Any(e => e.Resource is Bundle)
            ? new Bundle
            {
                Type = Bundle.BundleType.TransactionResponse,
                Entry = [.. transaction.Entry.Select(_ => new Bundle.EntryComponent { Response = new Bundle.ResponseComponent { Status = "400 Bad Request" } })],
            }
            : new Bundle { Type = Bundle.BundleType.TransactionResponse, Entry = [.. transaction.Entry.Select(_ => new Bundle.EntryComponent { Response = new Bundle.ResponseComponent { Status = "201 Created" } })] };

        await Assert.ThrowsAsync<HttpRequestException>(() => DemoSeeder.SeedAsync(api, CancellationToken.None));
    }

    [Fact]
    public async System.Threading.Tasks.Task No_transaction_is_larger_than_the_configured_size_and_nothing_is_left_out()
    {
        var whole = new FakeFhirApi();
        var chunked = new FakeFhirApi();

        await DemoSeeder.SeedAsync(whole, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, 10_000, CancellationToken.None);
        await DemoSeeder.SeedAsync(chunked, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, 8, CancellationToken.None);

        Assert.Contains(whole.Transactions, t => t.Entry.Count > 500);
        Assert.All(chunked.Transactions, t => Assert.InRange(t.Entry.Count, 1, 8));
        Assert.Equal(whole.Transactions.Sum(t => t.Entry.Count), chunked.Transactions.Sum(t => t.Entry.Count));
        Assert.Equal(whole.StoredCount, chunked.StoredCount);
    }
}

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
    public async System.Threading.Tasks.Task Letters_are_posted_as_documents_with_if_none_exist_on_the_bundle_identifier()
    {
        var api = new FakeFhirApi();

        await DemoSeeder.SeedAsync(api, CancellationToken.None);

        Assert.Equal(DemoLetters.All.Count, api.Creates.Count);
        Assert.All(api.Creates, c =>
        {
            Assert.Equal("Bundle", c.ResourceType);
            var bundle = Assert.IsType<Bundle>(c.Resource);
            Assert.Equal(Bundle.BundleType.Document, bundle.Type);
            Assert.Equal($"identifier=http://jpfhir.jp/fhir/clins/bundle-identifier|{bundle.Identifier!.Value}", c.IfNoneExist);
            // Header values must be ASCII for HttpClient.
            Assert.All(c.IfNoneExist!, ch => Assert.InRange(ch, (char)0x21, (char)0x7E));
        });
        Assert.All(api.Transactions, t => Assert.Equal(Bundle.BundleType.Transaction, t.Type));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_failed_letter_surfaces_as_an_exception_so_the_service_retries()
    {
        var api = new FakeFhirApi
        {
            CreateHandler = () => new Refit.ApiResponse<Resource>(FakeFhirApi.Response(HttpStatusCode.BadRequest), null, new Refit.RefitSettings()),
        };

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

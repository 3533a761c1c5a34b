using System.Text.Json;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.IntegrationTests.Infrastructure;
using MedNetPortal.Web.Features.Letters.Compose;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.IntegrationTests.Letters;

/// <summary>Sending letters to the real embedded base (SQLite) over HTTP, with lost responses injected.</summary>
public sealed class ReferralLetterSenderIntegrationTests(EmbeddedFhirBaseFixture fixture) : IClassFixture<EmbeddedFhirBaseFixture>
{
    [Fact]
    public async Task Sends_the_same_letter_5_times_as_retries_after_timeouts_and_finds_exactly_one_document_in_the_base()
    {
        var handler = new TimeoutAfterServerHandler(failures: 4);
        using var services = ReferralClient.Services(fixture.BaseUri, handler);
        var sender = new ReferralLetterSender(services.GetRequiredService<CentralFhirClient>(), TestProfileValidators.Unavailable);
        // The local id carries a character that must be URL-encoded in If-None-Exist (and non-ASCII, which a header cannot carry raw).
        var letter = ReferralClient.Letter("紹介 2025/0001&x");

        var results = new List<SendResult>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            results.Add(await sender.SendAsync(letter, CancellationToken.None));
        }

        Assert.All(results.Take(4), r =>
        {
            Assert.Equal(SendOutcome.Failed, r.Outcome);
            Assert.Equal(FhirApiErrorReason.Timeout, r.FailureReason);
        });
        var last = results[4];
        Assert.Equal(SendOutcome.AlreadySent, last.Outcome);
        Assert.False(string.IsNullOrEmpty(last.BundleId));
        Assert.Equal(ReferralDocumentBuilder.BundleIdentifierValue(letter), last.BundleIdentifier);
        Assert.Equal(5, handler.Requests);

        var (total, ids) = await FindAsync(last.BundleIdentifier);
        Assert.Equal(1, total);
        Assert.Equal([last.BundleId], ids);

        // Once more without failures: still the same document.
        var again = await sender.SendAsync(letter, CancellationToken.None);
        Assert.Equal(SendOutcome.AlreadySent, again.Outcome);
        Assert.Equal(last.BundleId, again.BundleId);
        Assert.Equal(1, (await FindAsync(last.BundleIdentifier)).Total);
    }

    [Fact]
    public async Task A_first_send_is_Sent_and_a_second_is_AlreadySent_with_the_same_id()
    {
        var handler = new TimeoutAfterServerHandler(failures: 0);
        using var services = ReferralClient.Services(fixture.BaseUri, handler);
        var sender = new ReferralLetterSender(services.GetRequiredService<CentralFhirClient>(), TestProfileValidators.Unavailable);
        var letter = ReferralClient.Letter("R-" + Guid.NewGuid().ToString("N"));

        var first = await sender.SendAsync(letter, CancellationToken.None);
        var second = await sender.SendAsync(letter, CancellationToken.None);

        Assert.Equal(SendOutcome.Sent, first.Outcome);
        Assert.Equal(SendOutcome.AlreadySent, second.Outcome);
        Assert.Equal(first.BundleId, second.BundleId);
        Assert.Empty(first.Problems);
        Assert.Equal(1, (await FindAsync(first.BundleIdentifier)).Total);
    }

    [Fact]
    public async Task Two_concurrent_sends_of_one_letter_store_one_document()
    {
        var handler = new TimeoutAfterServerHandler(failures: 0);
        using var services = ReferralClient.Services(fixture.BaseUri, handler);
        var letter = ReferralClient.Letter("R-" + Guid.NewGuid().ToString("N"));
        var a = new ReferralLetterSender(services.GetRequiredService<CentralFhirClient>(), TestProfileValidators.Unavailable);
        var b = new ReferralLetterSender(services.GetRequiredService<CentralFhirClient>(), TestProfileValidators.Unavailable);

        var results = await Task.WhenAll(
            Task.Run(() => a.SendAsync(letter, CancellationToken.None)),
            Task.Run(() => b.SendAsync(letter, CancellationToken.None)));

        Assert.All(results, r => Assert.True(r.IsStored, r.Outcome + " " + r.FailureReason));
        Assert.Single(results, r => r.Outcome == SendOutcome.Sent);
        Assert.Equal(results[0].BundleId, results[1].BundleId);
        Assert.Equal(1, (await FindAsync(results[0].BundleIdentifier)).Total);
    }

    [Fact]
    public async Task Invalid_content_is_Invalid_with_problems_and_sends_no_request()
    {
        var handler = new TimeoutAfterServerHandler(failures: 0);
        using var services = ReferralClient.Services(fixture.BaseUri, handler);
        var sender = new ReferralLetterSender(services.GetRequiredService<CentralFhirClient>(), TestProfileValidators.Unavailable);
        var letter = ReferralClient.Letter("R-invalid") with { Purpose = " ", Destination = new ReferralDestination("病院", "123") };

        var result = await sender.SendAsync(letter, CancellationToken.None);

        Assert.Equal(SendOutcome.Invalid, result.Outcome);
        Assert.Null(result.BundleId);
        Assert.Contains(result.Problems, p => p.Field == ReferralField.Purpose);
        Assert.Contains(result.Problems, p => p.Field == ReferralField.Destination);
        Assert.Equal(0, handler.Requests);
    }

    [Fact]
    public async Task A_bad_insurer_check_digit_is_refused_before_sending()
    {
        var handler = new TimeoutAfterServerHandler(failures: 0);
        using var services = ReferralClient.Services(fixture.BaseUri, handler);
        var sender = new ReferralLetterSender(services.GetRequiredService<CentralFhirClient>(), TestProfileValidators.Unavailable);
        var good = ReferralClient.Letter("R-digit");
        // 00131046: the same insurer number with a wrong check digit.
        var letter = good with { Patient = good.Patient with { MemberId = "00131046:あいう:１８７:05" } };

        var result = await sender.SendAsync(letter, CancellationToken.None);

        Assert.Equal(SendOutcome.Invalid, result.Outcome);
        Assert.NotEmpty(result.Problems);
        Assert.Equal(0, handler.Requests);
    }

    [Fact]
    public void IfNoneExist_encodes_the_value_as_a_query_string_value()
    {
        Assert.Equal(
            "identifier=http://jpfhir.jp/fhir/clins/bundle-identifier|1319876543%5E2025%5Ea%26b%20c",
            ReferralLetterSender.IfNoneExist("1319876543^2025^a&b c"));
    }

    private async Task<(int Total, List<string> Ids)> FindAsync(string identifierValue)
    {
        using var form = new FormUrlEncodedContent([new("identifier", $"{JpFhir.Systems.BundleIdentifier}|{identifierValue}")]);
        using var response = await fixture.Http.PostAsync(new Uri("Bundle/_search", UriKind.Relative), form);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var ids = json.RootElement.TryGetProperty("entry", out var entries)
            ? entries.EnumerateArray().Select(e => e.GetProperty("resource").GetProperty("id").GetString()!).ToList()
            : [];
        return (json.RootElement.GetProperty("total").GetInt32(), ids);
    }
}

using MedNetPortal.Fhir;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace MedNetPortal.UnitTests.Fhir.Client;

public sealed class ResilienceTimeoutTests
{
    [Theory]
    [InlineData("GET", "http://base.test/fhir/Patient/1", 4)]
    [InlineData("POST", "http://base.test/fhir/Patient/_search", 4)]
    [InlineData("POST", "http://base.test/fhir/", 30)]
    [InlineData("POST", "http://base.test/fhir/Bundle", 30)]
    [InlineData("PUT", "http://base.test/fhir/Patient/1", 30)]
    public async Task Writes_get_the_whole_timeout_for_their_single_attempt_and_reads_a_shorter_one(string method, string url, int expectedSeconds)
    {
        var resilience = new HttpStandardResilienceOptions();
        FhirClientExtensions.ConfigureResilience(resilience, new CentralFhirOptions { TimeoutSeconds = 30 });
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        var context = ResilienceContextPool.Shared.Get();
        context.SetRequestMessage(request);

        var timeout = await resilience.AttemptTimeout.TimeoutGenerator!(new TimeoutGeneratorArguments(context));

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), timeout);
        ResilienceContextPool.Shared.Return(context);
    }
}

public sealed class ReadOnlyBatchTests
{
    [Fact]
    public void Only_a_batch_of_reads_counts_as_read_only()
    {
        static Hl7.Fhir.Model.Bundle Batch(Hl7.Fhir.Model.Bundle.BundleType type, params Hl7.Fhir.Model.Bundle.HTTPVerb[] verbs)
        {
            var bundle = new Hl7.Fhir.Model.Bundle { Type = type };
            foreach (var verb in verbs)
            {
                bundle.Entry.Add(new Hl7.Fhir.Model.Bundle.EntryComponent { Request = new Hl7.Fhir.Model.Bundle.RequestComponent { Method = verb, Url = "Patient/1" } });
            }

            return bundle;
        }

        Assert.True(CentralFhirClient.IsReadOnlyBatch(Batch(Hl7.Fhir.Model.Bundle.BundleType.Batch, Hl7.Fhir.Model.Bundle.HTTPVerb.GET, Hl7.Fhir.Model.Bundle.HTTPVerb.GET)));
        Assert.False(CentralFhirClient.IsReadOnlyBatch(Batch(Hl7.Fhir.Model.Bundle.BundleType.Batch, Hl7.Fhir.Model.Bundle.HTTPVerb.GET, Hl7.Fhir.Model.Bundle.HTTPVerb.POST)));
        Assert.False(CentralFhirClient.IsReadOnlyBatch(Batch(Hl7.Fhir.Model.Bundle.BundleType.Transaction, Hl7.Fhir.Model.Bundle.HTTPVerb.GET)));
        Assert.False(CentralFhirClient.IsReadOnlyBatch(Batch(Hl7.Fhir.Model.Bundle.BundleType.Batch)));
    }

    [Fact]
    public void A_post_is_retried_only_when_marked_read_only_or_a_search()
    {
        using var marked = new HttpRequestMessage(HttpMethod.Post, "http://base.test/fhir/");
        marked.Options.Set(new HttpRequestOptionsKey<bool>(FhirRequestKinds.ReadOnlyBatchOption), true);
        using var plain = new HttpRequestMessage(HttpMethod.Post, "http://base.test/fhir/");
        using var create = new HttpRequestMessage(HttpMethod.Post, "http://base.test/fhir/Bundle");

        Assert.True(FhirRequestKinds.IsSafeToRetry(marked));
        Assert.False(FhirRequestKinds.IsSafeToRetry(plain));
        Assert.False(FhirRequestKinds.IsSafeToRetry(create));
    }
}

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

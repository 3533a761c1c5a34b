using MedNetPortal.Fhir;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.UnitTests.Fhir.Client;

public sealed class CentralFhirEndpointTests
{
    private static CentralFhirClient Client(string baseUrl)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["CentralFhir:BaseUrl"] = baseUrl }).Build();
        var services = new ServiceCollection();
        services.AddCentralFhirClient(configuration);
        return services.BuildServiceProvider().GetRequiredService<CentralFhirClient>();
    }

    [Theory]
    [InlineData("https://fhir.example.org/r4", "https://fhir.example.org/r4/Patient?page=2", "https://fhir.example.org/r4/Patient?page=2")]
    [InlineData("https://fhir.example.org/r4", "https://fhir.example.org/r4?_getpages=x&_getpagesoffset=2", "https://fhir.example.org/r4?_getpages=x&_getpagesoffset=2")]
    [InlineData("https://fhir.example.org/r4/", "https://FHIR.example.org:443/r4/Patient?_page=2", "https://fhir.example.org/r4/Patient?_page=2")]
    [InlineData("https://fhir.example.org/r4", "Patient?page=2", "https://fhir.example.org/r4/Patient?page=2")]
    [InlineData("http://127.0.0.1:5080/fhir", "http://127.0.0.1:5080/fhir/Patient?_count=10&_offset=10", "http://127.0.0.1:5080/fhir/Patient?_count=10&_offset=10")]
    public void Links_on_the_base_are_followed(string baseUrl, string link, string expected) =>
        Assert.Equal(expected, Client(baseUrl).ResolveLink(link).AbsoluteUri);

    [Theory]
    [InlineData("https://fhir.example.org/r4", "https://evil.example.net/r4/Patient?page=2")]
    [InlineData("https://fhir.example.org/r4", "http://fhir.example.org/r4/Patient?page=2")]
    [InlineData("https://fhir.example.org/r4", "https://fhir.example.org:8443/r4/Patient")]
    [InlineData("https://fhir.example.org/r4", "https://fhir.example.org/r4-admin/Patient")]
    [InlineData("https://fhir.example.org/r4", "https://fhir.example.org/other/Patient")]
    [InlineData("https://fhir.example.org/r4", "https://user@fhir.example.org/r4/Patient")]
    [InlineData("https://fhir.example.org/r4", "//evil.example.net/r4/Patient")]
    [InlineData("https://fhir.example.org/r4", "../admin/Patient")]
    [InlineData("http://127.0.0.1:5080/fhir", "http://127.0.0.1:5081/fhir/Patient")]
    [InlineData("http://127.0.0.1:5080/fhir", "file:///etc/passwd")]
    public void Links_off_the_base_are_refused(string baseUrl, string link)
    {
        var ex = Assert.Throws<FhirApiException>(() => Client(baseUrl).ResolveLink(link));

        Assert.Equal(FhirApiErrorReason.UntrustedLink, ex.Reason);
    }
}

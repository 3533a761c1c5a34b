using MedNetPortal.Web.Host.Hosting;

namespace MedNetPortal.UnitTests.Web.Host.Hosting;

public sealed class EmbeddedBaseAddressTests
{
    [Theory]
    [InlineData("http://127.0.0.1:41234", "/fhir", "http://127.0.0.1:41234/fhir/")]
    [InlineData("http://localhost:5080", "/fhir", "http://localhost:5080/fhir/")]
    [InlineData("http://0.0.0.0:8080", "/fhir", "http://127.0.0.1:8080/fhir/")]
    [InlineData("http://*:8080", "/fhir", "http://127.0.0.1:8080/fhir/")]
    [InlineData("http://+:8080", "/fhir/", "http://127.0.0.1:8080/fhir/")]
    [InlineData("http://[::]:8080", "/base/r4", "http://localhost:8080/base/r4/")]
    public void Wildcard_hosts_become_loopback_and_the_path_base_is_appended(string address, string pathBase, string expected)
    {
        Assert.Equal(new Uri(expected), EmbeddedBaseAddress.Resolve([address], pathBase));
    }

    [Fact]
    public void Plain_http_is_preferred_over_https()
    {
        var resolved = EmbeddedBaseAddress.Resolve(["https://localhost:5081", "http://localhost:5080"], "/fhir");

        Assert.Equal(new Uri("http://localhost:5080/fhir/"), resolved);
    }

    [Fact]
    public void Https_only_server_is_used_as_it_is()
    {
        Assert.Equal(new Uri("https://127.0.0.1:5081/fhir/"), EmbeddedBaseAddress.Resolve(["https://0.0.0.0:5081"], "/fhir"));
    }

    [Fact]
    public void No_listening_address_is_an_error_that_names_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => EmbeddedBaseAddress.Resolve([], "/fhir"));

        Assert.Contains("CentralFhir:BaseUrl", error.Message, StringComparison.Ordinal);
    }
}

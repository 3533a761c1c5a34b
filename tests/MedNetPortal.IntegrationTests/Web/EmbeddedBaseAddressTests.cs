using MedNetPortal.Web.Host.Hosting;

namespace MedNetPortal.IntegrationTests.Web;

public sealed class EmbeddedBaseAddressTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Resolves_the_running_servers_own_fhir_address()
    {
        var root = factory.RootUri;

        var resolved = EmbeddedBaseAddress.Resolve(factory.Services);

        Assert.Equal(new Uri(root, "fhir/"), resolved);
        Assert.Equal("127.0.0.1", resolved.Host);
        Assert.NotEqual(0, resolved.Port);
        await Task.CompletedTask;
    }
}

using System.ComponentModel.DataAnnotations;
using System.Net;
using MedNetPortal.Web.Host.Hosting;

namespace MedNetPortal.UnitTests.Web.Host.Hosting;

public sealed class ProxyOptionsTests
{
    [Fact]
    public void Listed_addresses_are_parsed_with_spaces_and_IPv6()
    {
        var options = new ProxyOptions { KnownProxies = " 10.0.0.5, ::1 ,192.168.1.20" };

        Assert.Empty(options.Validate(new ValidationContext(options)));
        Assert.Equal([IPAddress.Parse("10.0.0.5"), IPAddress.IPv6Loopback, IPAddress.Parse("192.168.1.20")], options.Addresses);
    }

    [Fact]
    public void A_host_name_or_a_network_is_refused_naming_the_entry()
    {
        var options = new ProxyOptions { KnownProxies = "10.0.0.5,proxy.example.jp,10.0.0.0/8" };

        var problems = options.Validate(new ValidationContext(options)).ToList();

        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Equal([nameof(ProxyOptions.KnownProxies)], p.MemberNames));
        Assert.Contains("'proxy.example.jp'", problems[0].ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("'10.0.0.0/8'", problems[1].ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_trusts_no_proxy()
    {
        var options = new ProxyOptions();

        Assert.Empty(options.Validate(new ValidationContext(options)));
        Assert.Empty(options.Addresses);
    }
}

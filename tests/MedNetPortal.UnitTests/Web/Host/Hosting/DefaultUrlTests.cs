using MedNetPortal.Web.Host.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace MedNetPortal.UnitTests.Web.Host.Hosting;

public sealed class DefaultUrlTests
{
    [Fact]
    public void Without_urls_the_portal_listens_on_localhost_5080()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration["urls"] = null;
        builder.Configuration["http_ports"] = null;
        builder.Configuration["https_ports"] = null;

        builder.UseDefaultUrlUnlessConfigured();

        Assert.Equal("http://localhost:5080", builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }

    [Theory]
    [InlineData("--urls", "http://127.0.0.1:6000")]
    [InlineData("--http_ports", "8080")]
    public void Urls_from_the_command_line_or_environment_are_kept(string argument, string value)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [argument, value] });

        builder.UseDefaultUrlUnlessConfigured();

        Assert.False(DefaultUrl.Applies(builder.Configuration));
        Assert.NotEqual(DefaultUrl.Value, builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }

    [Fact]
    public void ASPNETCORE_URLS_reaches_configuration_as_urls()
    {
        // WebApplicationBuilder maps ASPNETCORE_-prefixed variables onto configuration; this is what Applies relies on.
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://0.0.0.0:7000" })
            .Build();

        Assert.False(DefaultUrl.Applies(config));
    }
}

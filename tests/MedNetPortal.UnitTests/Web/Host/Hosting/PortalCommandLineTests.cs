using MedNetPortal.Web.Host.Hosting;

namespace MedNetPortal.UnitTests.Web.Host.Hosting;

public sealed class PortalCommandLineTests
{
    [Fact]
    public void A_command_gets_its_flags_apart_from_the_configuration_arguments()
    {
        var parsed = PortalCommandLine.Parse(["migrate", "--Storage:DataDirectory=/x", "--list"], "migrate", "--list");

        Assert.NotNull(parsed);
        Assert.Equal(["--Storage:DataDirectory=/x"], parsed.Value.ConfigurationArgs);
        Assert.Equal(["--list"], parsed.Value.Flags);
    }

    [Theory]
    [InlineData("migrate", "list")]
    [InlineData("audit-retry", "--list")]
    [InlineData("migrate", "--list", "stray")]
    public void Another_command_or_a_bare_argument_is_bad_usage(params string[] args)
    {
        Assert.Null(PortalCommandLine.Parse(args, "migrate", "--list"));
        Assert.Null(PortalCommandLine.Parse([], "migrate"));
    }

    [Fact]
    public void A_flag_the_command_does_not_know_is_passed_on_as_configuration()
    {
        var parsed = PortalCommandLine.Parse(["audit-verify", "--list"], "audit-verify");

        Assert.Equal(["--list"], parsed!.Value.ConfigurationArgs);
        Assert.Empty(parsed.Value.Flags);
    }
}

using MedNetPortal.Web.Host.Localization;

namespace MedNetPortal.UnitTests.Web.Host.Localization;

public sealed class PortalCulturesTests
{
    [Theory]
    [InlineData("ja", "ja-JP")]
    [InlineData("ja-JP", "ja-JP")]
    [InlineData("en", "en")]
    [InlineData("en-US", "en")]
    [InlineData("EN-gb", "en")]
    [InlineData("fr", null)]
    [InlineData("xx-not-a-culture", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Requested_cultures_map_to_the_supported_ones(string? requested, string? expected)
    {
        Assert.Equal(expected, PortalCultures.Normalize(requested));
    }

    [Fact]
    public void Japanese_is_first_and_the_default()
    {
        Assert.Equal("ja-JP", PortalCultures.Default);
        Assert.Equal("ja-JP", PortalCultures.Supported[0]);
    }

    [Theory]
    [InlineData("/", true)]
    [InlineData("/patients?x=1", true)]
    [InlineData("//evil.example", false)]
    [InlineData("/\\evil.example", false)]
    [InlineData("/a\\b", false)]
    [InlineData("https://evil.example/", false)]
    [InlineData("evil", false)]
    [InlineData("/\r\nSet-Cookie: x", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_local_paths_are_redirect_targets(string? url, bool local)
    {
        Assert.Equal(local, LocalizationExtensions.IsLocal(url));
    }
}

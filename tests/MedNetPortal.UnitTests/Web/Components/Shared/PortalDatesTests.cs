using System.Globalization;
using MedNetPortal.Web.Components.Shared;

namespace MedNetPortal.UnitTests.Web.Components.Shared;

public sealed class PortalDatesTests
{
    private static readonly CultureInfo Ja = CultureInfo.GetCultureInfo("ja-JP");
    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en");

    [Theory]
    [InlineData("2025-04-01", "令和7年4月1日（2025年）")]
    [InlineData("2019-05-01", "令和元年5月1日（2019年）")]
    [InlineData("2019-04-30", "平成31年4月30日（2019年）")]
    [InlineData("1950-05-01", "昭和25年5月1日（1950年）")]
    [InlineData("1950-05", "昭和25年5月（1950年）")]
    [InlineData("1800-01-01", "1800年1月1日")]
    [InlineData("", "")]
    [InlineData("not-a-date", "")]
    public void Birth_dates_in_Japanese_carry_the_era(string fhirDate, string expected) =>
        Assert.Equal(expected, PortalDates.FormatBirthDate(fhirDate, Ja));

    [Theory]
    [InlineData("2025-04-01", "2025年4月1日", "1 Apr 2025")]
    [InlineData("2025-04-01T10:00:00+09:00", "2025年4月1日", "1 Apr 2025")]
    [InlineData("2025-04", "2025年4月", "Apr 2025")]
    [InlineData("2025", "2025年", "2025")]
    public void Other_dates_are_western_in_both_languages(string fhirDate, string japanese, string english)
    {
        Assert.Equal(japanese, PortalDates.FormatFhirDate(fhirDate, Ja));
        Assert.Equal(english, PortalDates.FormatFhirDate(fhirDate, En));
    }

    [Theory]
    [InlineData("1950-05-01", "2025-04-30", 74)]
    [InlineData("1950-05-01", "2025-05-01", 75)]
    [InlineData("2020-02-29", "2021-02-28", 0)]
    [InlineData("1950", "2025-05-01", null)]
    public void Age_counts_completed_years(string birth, string today, int? expected) =>
        Assert.Equal(expected, PortalDates.AgeOn(birth, DateOnly.ParseExact(today, "yyyy-MM-dd", CultureInfo.InvariantCulture)));

    [Fact]
    public void Instants_are_shown_in_Japan_time() =>
        Assert.Equal("2025年4月1日 9:05", PortalDates.FormatInstant(new DateTimeOffset(2025, 4, 1, 0, 5, 0, TimeSpan.Zero), Ja));
}

using MedNetPortal.FhirBase.Search;

namespace MedNetPortal.UnitTests.FhirBase.Search;

public sealed class DateRangeTests
{
    [Theory]
    [InlineData("2024", "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z")]
    [InlineData("2024-02", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z")]
    [InlineData("2024-02-29", "2024-02-29T00:00:00Z", "2024-03-01T00:00:00Z")]
    [InlineData("2024-02-29T09:30+09:00", "2024-02-29T00:30:00Z", "2024-02-29T00:31:00Z")]
    [InlineData("2024-02-29T09:30:15Z", "2024-02-29T09:30:15Z", "2024-02-29T09:30:16Z")]
    public void Partial_dates_cover_their_whole_precision(string text, string start, string end)
    {
        Assert.True(DateRange.TryParse(text, out var range));
        Assert.Equal(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture).UtcTicks, range.Start);
        Assert.Equal(DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture).UtcTicks, range.End);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("2024-13-40")]
    [InlineData("2023-02-29")]
    [InlineData("2024-01-01T25:00Z")]
    [InlineData("")]
    public void Invalid_dates_are_refused(string text) => Assert.False(DateRange.TryParse(text, out _));
}

public sealed class SearchValueTests
{
    [Fact]
    public void Commas_separate_or_values_unless_escaped() =>
        Assert.Equal(["sys|a", "sys|b,c"], SearchRequest.SplitValues(@"sys|a,sys|b\,c"));

    [Theory]
    [InlineData("Patient/123", "Patient", "123")]
    [InlineData("123", null, "123")]
    [InlineData("http://example.org/fhir/Patient/123/_history/2", "Patient", "123")]
    public void References_parse_to_type_and_id(string reference, string? type, string id) =>
        Assert.Equal((type, id), MedNetPortal.FhirBase.Search.IndexExtractor.ParseReference(reference));

    [Fact]
    public void Strings_normalise_width_and_case() =>
        Assert.Equal("ハナコ abc", MedNetPortal.FhirBase.Search.IndexExtractor.NormalizeString(" ﾊﾅｺ ＡＢＣ "));
}

using MedNetPortal.Web.Features.Letters.Compose;

namespace MedNetPortal.UnitTests.Web.Features.Letters.Compose;

public sealed class FacilityDirectoryTests
{
    [Theory]
    [InlineData("みどりだい", "ミドリダイ")]
    [InlineData("ゔぁ", "ヴァ")]
    [InlineData("ミドリ台", "ミドリ台")]
    [InlineData("abc 123", "abc 123")]
    public void Hiragana_becomes_katakana_and_nothing_else_changes(string input, string expected) =>
        Assert.Equal(expected, FacilityDirectory.ToKatakana(input));

    [Fact]
    public void If_None_Exist_names_the_JP_CLINS_identifier_system_and_escapes_the_value() =>
        Assert.Equal(
            "identifier=http://jpfhir.jp/fhir/clins/bundle-identifier|1319876543%5E2025%5E%E7%B4%B9%E4%BB%8B",
            ReferralLetterSender.IfNoneExist("1319876543^2025^紹介"));
}

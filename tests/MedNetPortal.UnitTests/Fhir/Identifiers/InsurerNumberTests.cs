using MedNetPortal.Fhir.Identifiers;

namespace MedNetPortal.UnitTests.Fhir.Identifiers;

public sealed class InsurerNumberTests
{
    [Theory]
    [InlineData("3312001", 5)]
    [InlineData("0113001", 2)]
    [InlineData("13104", 5)]
    [InlineData("27118", 9)]
    [InlineData("0613999", 2)]
    public void Computes_the_worked_examples(string digits, int expected) =>
        Assert.Equal(expected, InsurerNumber.ComputeCheckDigit(digits));

    [Fact]
    public void A_wrong_check_digit_is_not_the_computed_one() =>
        Assert.NotEqual(6, InsurerNumber.ComputeCheckDigit("3312001"));

    [Fact]
    public void Padding_a_six_digit_number_with_00_keeps_its_check_digit() =>
        Assert.Equal(InsurerNumber.ComputeCheckDigit("13104"), InsurerNumber.ComputeCheckDigit("0013104"));

    [Fact]
    public void Rejects_non_ascii_digits() =>
        Assert.Throws<ArgumentException>(() => InsurerNumber.ComputeCheckDigit("３３１２００１"));
}

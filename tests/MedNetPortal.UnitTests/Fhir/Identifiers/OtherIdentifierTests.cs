using MedNetPortal.Fhir.Identifiers;

namespace MedNetPortal.UnitTests.Fhir.Identifiers;

public sealed class PublicPayerMemberIdTests
{
    [Theory]
    [InlineData("12345678", "1234567", "12345678::1234567:")]
    [InlineData("１２３４５６７８", "１２３４５６７", "12345678::1234567:")]
    [InlineData(" 12345678 ", "1234567\n", "12345678::1234567:")]
    public void Parses_and_formats_with_empty_second_and_fourth_fields(string payer, string recipient, string expected)
    {
        var id = PublicPayerMemberId.Parse(payer, recipient).Value!;

        Assert.Equal(expected, id.Value);
        Assert.Equal($"http://jpfhir.jp/fhir/clins/Idsystem/JP_PublicPayer_memberID|{expected}", id.SearchToken);
        Assert.Equal(id, PublicPayerMemberId.ParsePasted(id.Value).Value);
    }

    [Theory]
    [InlineData("1234567", "1234567", IdentifierField.Payer, IdentifierErrorCode.WrongLength)]
    [InlineData("12345678", "12345678", IdentifierField.Recipient, IdentifierErrorCode.WrongLength)]
    [InlineData("1234567X", "1234567", IdentifierField.Payer, IdentifierErrorCode.NotDigits)]
    [InlineData("12345678", "", IdentifierField.Recipient, IdentifierErrorCode.Required)]
    [InlineData("1234 5678", "1234567", IdentifierField.Payer, IdentifierErrorCode.ForbiddenSpace)]
    public void Bad_numbers_give_problems(string payer, string recipient, IdentifierField field, IdentifierErrorCode code)
    {
        var problem = Assert.Single(PublicPayerMemberId.Parse(payer, recipient).Problems);

        Assert.Equal(field, problem.Field);
        Assert.Equal(code, problem.Code);
    }

    [Theory]
    [InlineData("12345678:1234567")]
    [InlineData("12345678:x:1234567:")]
    [InlineData("12345678::1234567:01")]
    public void Pasted_values_must_have_the_public_payer_shape(string pasted) =>
        Assert.Equal(IdentifierErrorCode.PastedFormat, Assert.Single(PublicPayerMemberId.ParsePasted(pasted).Problems).Code);

    [Fact]
    public void ToString_is_redacted() =>
        Assert.DoesNotContain("1234567", PublicPayerMemberId.Parse("12345678", "1234567").Value!.ToString(), StringComparison.Ordinal);
}

public sealed class MedicalInstitutionCodeTests
{
    [Theory]
    [InlineData("1318814790", 13, FeeTable.Medical)]
    [InlineData("0131234567", 1, FeeTable.Dental)]
    [InlineData("4711234567", 47, FeeTable.Medical)]
    [InlineData("13188147９0", 13, FeeTable.Medical)]
    public void Accepts_medical_and_dental_codes(string value, int prefecture, FeeTable feeTable)
    {
        var code = MedicalInstitutionCode.Parse(value).Value!;

        Assert.Equal(prefecture, code.Prefecture);
        Assert.Equal(feeTable, code.FeeTable);
        Assert.Equal(10, code.Value.Length);
        Assert.Equal("http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no", code.ToIdentifier().System);
    }

    [Theory]
    [InlineData("1341234567", IdentifierErrorCode.FeeTableOutsideProfile)]
    [InlineData("1361234567", IdentifierErrorCode.FeeTableOutsideProfile)]
    [InlineData("1321234567", IdentifierErrorCode.FeeTableUnknown)]
    [InlineData("1391234567", IdentifierErrorCode.FeeTableUnknown)]
    [InlineData("4811234567", IdentifierErrorCode.PrefectureOutOfRange)]
    [InlineData("0011234567", IdentifierErrorCode.PrefectureOutOfRange)]
    [InlineData("131881479", IdentifierErrorCode.WrongLength)]
    [InlineData("13188147901", IdentifierErrorCode.WrongLength)]
    [InlineData("131881479X", IdentifierErrorCode.NotDigits)]
    [InlineData("", IdentifierErrorCode.Required)]
    public void Rejects_codes_outside_the_jp_clins_pattern(string value, IdentifierErrorCode code) =>
        Assert.Equal(code, Assert.Single(MedicalInstitutionCode.Parse(value).Problems).Code);

    [Theory]
    [InlineData("1341234567", FeeTable.Pharmacy)]
    [InlineData("1361234567", FeeTable.HomeNursing)]
    public void Pharmacy_and_home_nursing_are_accepted_when_the_pattern_is_not_required(string value, FeeTable feeTable) =>
        Assert.Equal(feeTable, MedicalInstitutionCode.Parse(value, requireJpClinsPattern: false).Value!.FeeTable);

    [Fact]
    public void Does_not_enforce_a_facility_check_digit()
    {
        // Same code with every possible last digit: all accepted, because the facility check-digit rule is unverified.
        for (var d = 0; d <= 9; d++)
        {
            Assert.True(MedicalInstitutionCode.Parse($"131881479{d}").IsValid);
        }
    }
}

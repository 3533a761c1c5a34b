using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Identifiers;

namespace MedNetPortal.UnitTests.Fhir.Identifiers;

public sealed class InsuranceMemberIdTests
{
    // insurer, symbol, number, branch, expected FHIR value
    public static TheoryData<string?, string?, string?, string?, string> ValidCases => new()
    {
        { "01130012", "12", "345", "01", "01130012:12:345:01" },
        { "01130012", "", "345", "", "01130012::345:" },
        { "01130012", null, "345", null, "01130012::345:" },
        { "33120015", "AB", "1", "99", "33120015:AB:1:99" },
        { "131045", "あいう", "１８７", "05", "00131045:あいう:187:05" },
        { "271189", "", "187", "", "00271189::187:" },
        { "00131045", "", "187", "", "00131045::187:" },
        { "０１１３００１２", "12", "345", "01", "01130012:12:345:01" },
        { "0113００12", "12", "345", "01", "01130012:12:345:01" },
        { "３３１２００１５", "", "9", "", "33120015::9:" },
        { "01130012", "ＡＢ１２", "345", "", "01130012:AB12:345:" },
        { "01130012", "AB１２", "345", "", "01130012:AB12:345:" },
        { "01130012", "ab", "345", "", "01130012:ab:345:" },
        { "01130012", "", "ｘ１y2", "", "01130012::x1y2:" },
        { "01130012", "あいう1", "2", "", "01130012:あいう１:2:" },
        { "01130012", "ｱｲｳ", "2", "", "01130012:アイウ:2:" },
        { "01130012", "ｶﾞｷﾞ", "2", "", "01130012:ガギ:2:" },
        { "01130012", "ﾊﾟﾋﾟ", "2", "", "01130012:パピ:2:" },
        { "01130012", "ｳﾞ", "2", "", "01130012:ヴ:2:" },
        { "01130012", "ｱﾞ", "2", "", "01130012:ア゛:2:" },
        { "01130012", "ﾔｰ", "2", "", "01130012:ヤー:2:" },
        { "01130012", "東京", "2", "", "01130012:東京:2:" },
        { "01130012", "東京12", "2", "", "01130012:東京１２:2:" },
        { "01130012", "東京A", "2", "", "01130012:東京Ａ:2:" },
        { "01130012", "東.1", "2", "", "01130012:東．１:2:" },
        { "01130012", "AB.1", "2", "", "01130012:ＡＢ．１:2:" },
        { "01130012", "(1)", "2", "", "01130012:（１）:2:" },
        { "01130012", "ＡＢ－１", "2", "", "01130012:ＡＢ－１:2:" },
        { "01130012", "𠮷田", "2", "", "01130012:𠮷田:2:" },
        { "01130012", "12 ", "345", "", "01130012:12:345:" },
        { "01130012", "　12", "345", "", "01130012:12:345:" },
        { "01130012", "12", "345\n", "", "01130012:12:345:" },
        { "01130012", "12", "\t345\r\n", "", "01130012:12:345:" },
        { "\uFEFF01130012", "12", "345", "", "01130012:12:345:" },
        { "01130012", "12", "345\u200B", "", "01130012:12:345:" },
        { " 01130012　", "12", "345", "", "01130012:12:345:" },
        { "01130012", "12", "345", "０１", "01130012:12:345:01" },
        { "01130012", "12", "345", "00", "01130012:12:345:00" },
        { "01130012", "12", "345", " 05 ", "01130012:12:345:05" },
        { "01130012", "12", "345", "　", "01130012:12:345:" },
    };

    // insurer, symbol, number, branch, field, code
    public static TheoryData<string?, string?, string?, string?, IdentifierField, IdentifierErrorCode> InvalidCases => new()
    {
        { "01130013", "12", "345", "", IdentifierField.Insurer, IdentifierErrorCode.InsurerCheckDigit },
        { "131046", "12", "345", "", IdentifierField.Insurer, IdentifierErrorCode.InsurerCheckDigit },
        { "00012345", "あいう", "１８７", "05", IdentifierField.Insurer, IdentifierErrorCode.InsurerCheckDigit },
        { "1234567", "12", "345", "", IdentifierField.Insurer, IdentifierErrorCode.InsurerLength },
        { "123", "12", "345", "", IdentifierField.Insurer, IdentifierErrorCode.InsurerLength },
        { "011300120", "12", "345", "", IdentifierField.Insurer, IdentifierErrorCode.InsurerLength },
        { "0113001A", "12", "345", "", IdentifierField.Insurer, IdentifierErrorCode.InsurerNotDigits },
        { "01130-012", "12", "345", "", IdentifierField.Insurer, IdentifierErrorCode.InsurerNotDigits },
        { "", "12", "345", "", IdentifierField.Insurer, IdentifierErrorCode.Required },
        { null, "12", "345", "", IdentifierField.Insurer, IdentifierErrorCode.Required },
        { "0113 0012", "12", "345", "", IdentifierField.Insurer, IdentifierErrorCode.ForbiddenSpace },
        { "0113　0012", "12", "345", "", IdentifierField.Insurer, IdentifierErrorCode.ForbiddenSpace },
        { "01130012", "12", "", "", IdentifierField.Number, IdentifierErrorCode.Required },
        { "01130012", "12", "  ", "", IdentifierField.Number, IdentifierErrorCode.Required },
        { "01130012", "12", null, "", IdentifierField.Number, IdentifierErrorCode.Required },
        { "01130012", "AB 12", "345", "", IdentifierField.Symbol, IdentifierErrorCode.ForbiddenSpace },
        { "01130012", "AB　12", "345", "", IdentifierField.Symbol, IdentifierErrorCode.ForbiddenSpace },
        { "01130012", "あ い", "345", "", IdentifierField.Symbol, IdentifierErrorCode.ForbiddenSpace },
        { "01130012", "12", "3\u00A045", "", IdentifierField.Number, IdentifierErrorCode.ForbiddenSpace },
        { "01130012", "12", "3\t45", "", IdentifierField.Number, IdentifierErrorCode.ForbiddenSpace },
        { "01130012", "12", "12\u200B3", "", IdentifierField.Number, IdentifierErrorCode.InvisibleCharacter },
        { "01130012", "12", "12\u00AD3", "", IdentifierField.Number, IdentifierErrorCode.InvisibleCharacter },
        { "01130012", "12", "12\u200E3", "", IdentifierField.Number, IdentifierErrorCode.InvisibleCharacter },
        { "01130012", "A\u0000B", "345", "", IdentifierField.Symbol, IdentifierErrorCode.InvisibleCharacter },
        { "01130012", "あ-1", "345", "", IdentifierField.Symbol, IdentifierErrorCode.MixedWidth },
        { "01130012", "東~", "345", "", IdentifierField.Symbol, IdentifierErrorCode.MixedWidth },
        { "01130012", "ＡＢ-１", "345", "", IdentifierField.Symbol, IdentifierErrorCode.MixedWidth },
        { "01130012", "AB-1", "345", "", IdentifierField.Symbol, IdentifierErrorCode.AmbiguousSymbol },
        { "01130012", "ｱ-", "345", "", IdentifierField.Symbol, IdentifierErrorCode.AmbiguousSymbol },
        { "01130012", "12", "3'4", "", IdentifierField.Number, IdentifierErrorCode.AmbiguousSymbol },
        { "01130012", "\uE000", "345", "", IdentifierField.Symbol, IdentifierErrorCode.UnsupportedCharacter },
        { "01130012", "12", "\uFFFD", "", IdentifierField.Number, IdentifierErrorCode.UnsupportedCharacter },
        { "01130012", "\uFFE8", "345", "", IdentifierField.Symbol, IdentifierErrorCode.UnsupportedCharacter },
        { "01130012", "12", "345", "1", IdentifierField.Branch, IdentifierErrorCode.BranchFormat },
        { "01130012", "12", "345", "123", IdentifierField.Branch, IdentifierErrorCode.BranchFormat },
        { "01130012", "12", "345", "0a", IdentifierField.Branch, IdentifierErrorCode.BranchFormat },
        { "01130012", "12", "345", "0 1", IdentifierField.Branch, IdentifierErrorCode.ForbiddenSpace },
    };

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Valid_fields_are_normalised_to_the_fhir_value(string? insurer, string? symbol, string? number, string? branch, string expected)
    {
        var result = InsuranceMemberId.Parse(insurer, symbol, number, branch);

        Assert.Empty(result.Problems);
        Assert.True(result.IsValid);
        Assert.Equal(expected, result.Value!.Value);
        Assert.Equal(3, result.Value.Value.Count(c => c == ':'));
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Invalid_fields_give_the_problem_as_data(string? insurer, string? symbol, string? number, string? branch, IdentifierField field, IdentifierErrorCode code)
    {
        var result = InsuranceMemberId.Parse(insurer, symbol, number, branch);

        Assert.False(result.IsValid);
        Assert.Null(result.Value);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(field, problem.Field);
        Assert.Equal(code, problem.Code);
        Assert.False(string.IsNullOrWhiteSpace(problem.Description));
    }

    [Fact]
    public void Check_digit_problem_carries_expected_and_actual()
    {
        var problem = Assert.Single(InsuranceMemberId.Parse("01130013", "", "1", "").Problems);

        Assert.Equal(2, problem.ExpectedDigit);
        Assert.Equal(3, problem.ActualDigit);
    }

    [Fact]
    public void Space_problem_carries_position_and_character()
    {
        var problem = Assert.Single(InsuranceMemberId.Parse("01130012", "AB　12", "1", "").Problems);

        Assert.Equal(2, problem.Position);
        Assert.Equal("　", problem.Character);
    }

    [Fact]
    public void Every_field_is_checked_not_just_the_first()
    {
        var result = InsuranceMemberId.Parse("", "A B", "", "1");

        Assert.Equal(
            [IdentifierField.Insurer, IdentifierField.Symbol, IdentifierField.Number, IdentifierField.Branch],
            result.Problems.Select(p => p.Field));
    }

    [Fact]
    public void Six_digit_insurer_is_padded_and_remembered()
    {
        var id = InsuranceMemberId.Parse("131045", "", "1", "").Value!;

        Assert.Equal("00131045", id.Insurer);
        Assert.True(id.InsurerWasSixDigits);
        Assert.False(InsuranceMemberId.Parse("00131045", "", "1", "").Value!.InsurerWasSixDigits);
    }

    [Fact]
    public void Empty_branch_is_never_invented_as_00()
    {
        var id = InsuranceMemberId.Parse("01130012", "", "1", "").Value!;

        Assert.Equal(string.Empty, id.Branch);
        Assert.EndsWith(":1:", id.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Alphanumeric_symbol_and_number_search_all_four_width_forms()
    {
        var id = InsuranceMemberId.Parse("01130012", "ＡＢ", "１８７", "05").Value!;

        Assert.Equal("01130012:AB:187:05", id.Value);
        Assert.Equal(["AB", "ＡＢ"], id.SymbolForms);
        Assert.Equal(["187", "１８７"], id.NumberForms);
        Assert.Equal(
            [
                $"{JpFhir.Systems.InsuranceMemberId}|01130012:AB:187:05",
                $"{JpFhir.Systems.InsuranceMemberId}|01130012:AB:１８７:05",
                $"{JpFhir.Systems.InsuranceMemberId}|01130012:ＡＢ:187:05",
                $"{JpFhir.Systems.InsuranceMemberId}|01130012:ＡＢ:１８７:05",
            ],
            id.SearchTokens);
        Assert.Equal(string.Join(",", id.SearchTokens), id.SearchParameterValue);
    }

    [Fact]
    public void Kana_symbol_has_one_form_and_empty_symbol_stays_empty()
    {
        var kana = InsuranceMemberId.Parse("01130012", "あいう", "１８７", "05").Value!;
        var empty = InsuranceMemberId.Parse("01130012", "", "１８７", "").Value!;

        Assert.Equal(["あいう"], kana.SymbolForms);
        Assert.Equal(2, kana.SearchTokens.Count);
        Assert.Equal(["01130012::187:", "01130012::１８７:"], empty.EquivalentValues);
    }

    [Fact]
    public void Width_variants_are_equal_after_normalisation()
    {
        var a = InsuranceMemberId.Parse("01130012", "AB", "187", "05").Value!;
        var b = InsuranceMemberId.ParsePasted("０１１３００１２：ＡＢ：１８７：０５").Value!;

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void ToString_does_not_reveal_the_identifier()
    {
        var id = InsuranceMemberId.Parse("01130012", "AB", "187", "05").Value!;

        Assert.DoesNotContain("187", id.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("01130012", id.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToIdentifier_uses_the_jp_clins_system()
    {
        var identifier = InsuranceMemberId.Parse("01130012", "", "187", "").Value!.ToIdentifier();

        Assert.Equal("http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID", identifier.System);
        Assert.Equal("01130012::187:", identifier.Value);
    }

    // pasted, expected value or null, expected code when invalid
    public static TheoryData<string?, string?, IdentifierErrorCode?> PastedCases => new()
    {
        { "01130012:12:345:01", "01130012:12:345:01", null },
        { "01130012::１８７:", "01130012::187:", null },
        { "131045:あいう:１８７:05", "00131045:あいう:187:05", null },
        { " 01130012:AB:12:01\n", "01130012:AB:12:01", null },
        { "\uFEFF01130012:AB:12:01", "01130012:AB:12:01", null },
        { "01130012：AB：12：01", "01130012:AB:12:01", null },
        { "01130012:AB：12:01", "01130012:AB:12:01", null },
        { "01130012:ＡＢ：１:12:01", "01130012:ＡＢ：１:12:01", null },
        { "01130012 : AB : 12 : 01", "01130012:AB:12:01", null },
        { "01130012:AB:12", null, IdentifierErrorCode.PastedFieldCount },
        { "01130012:AB:12:01:", null, IdentifierErrorCode.PastedFieldCount },
        { "01130012AB1201", null, IdentifierErrorCode.PastedFieldCount },
        { "01130012：AB：12", null, IdentifierErrorCode.PastedFieldCount },
        { "", null, IdentifierErrorCode.Required },
        { null, null, IdentifierErrorCode.Required },
        { "01130012::187:1", null, IdentifierErrorCode.BranchFormat },
        { "01130012:::", null, IdentifierErrorCode.Required },
        { "00012345:あいう:１８７:05", null, IdentifierErrorCode.InsurerCheckDigit },
        { "01130012:A B:187:", null, IdentifierErrorCode.ForbiddenSpace },
    };

    [Theory]
    [MemberData(nameof(PastedCases))]
    public void Pasted_values_parse_or_give_the_problem(string? pasted, string? expected, IdentifierErrorCode? code)
    {
        var result = InsuranceMemberId.ParsePasted(pasted);

        if (expected is not null)
        {
            Assert.Empty(result.Problems);
            Assert.Equal(expected, result.Value!.Value);
        }
        else
        {
            Assert.Null(result.Value);
            Assert.Equal(code, Assert.Single(result.Problems).Code);
        }
    }

    [Fact]
    public void Wrong_colon_count_reports_how_many_were_found()
    {
        var problem = Assert.Single(InsuranceMemberId.ParsePasted("01130012:AB:12").Problems);

        Assert.Equal(IdentifierField.Pasted, problem.Field);
        Assert.Equal(2, problem.ActualLength);
    }

    [Fact]
    public void Official_example_values_read_when_check_digit_verification_is_off()
    {
        // The JP-CLINS examples use insurer 00012345, whose check digit should be 4.
        var result = InsuranceMemberId.ParsePasted("00012345:あいう:１８７:05", verifyCheckDigit: false);

        Assert.Equal("00012345:あいう:187:05", result.Value!.Value);
        Assert.Contains("00012345:あいう:１８７:05", result.Value.EquivalentValues);
    }
}

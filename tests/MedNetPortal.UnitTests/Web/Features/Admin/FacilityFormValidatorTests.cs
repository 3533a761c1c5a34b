using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.Web.Features.Admin.Facilities;
using MedNetPortal.Web.Features.Demo;

namespace MedNetPortal.UnitTests.Web.Features.Admin;

public sealed class FacilityFormValidatorTests
{
    private static FacilityForm Valid(string code = "1310123455") => new()
    {
        Code = code, Name = "テスト病院", NameKana = "テストビョウイン", PostalCode = "176-0099", Address = "東京都練馬区1-2-3",
        Phone = "03-5550-0100", Departments = "01 内科\n081 循環器内科",
    };

    [Fact]
    public void The_four_demo_facility_codes_are_valid()
    {
        foreach (var facility in DemoFacilities.All)
        {
            Assert.Empty(FacilityFormValidator.Validate(Valid(facility.Code)));
        }
    }

    [Theory]
    [InlineData("", IdentifierErrorCode.Required)]
    [InlineData("13101234", IdentifierErrorCode.WrongLength)]
    [InlineData("131012345X", IdentifierErrorCode.NotDigits)]
    [InlineData("4810123455", IdentifierErrorCode.PrefectureOutOfRange)]
    [InlineData("0010123455", IdentifierErrorCode.PrefectureOutOfRange)]
    [InlineData("1340123455", IdentifierErrorCode.FeeTableOutsideProfile)]
    [InlineData("1360123455", IdentifierErrorCode.FeeTableOutsideProfile)]
    [InlineData("1320123455", IdentifierErrorCode.FeeTableUnknown)]
    [InlineData("1390123455", IdentifierErrorCode.FeeTableUnknown)]
    [InlineData("13101 23455", IdentifierErrorCode.ForbiddenSpace)]
    public void A_wrong_code_is_refused_with_its_reason_under_the_code_field(string code, IdentifierErrorCode reason)
    {
        var problems = FacilityFormValidator.Validate(Valid(code));

        var problem = Assert.Single(problems);
        Assert.Equal(FacilityField.Code, problem.Field);
        Assert.Equal(FacilityProblemCode.InstitutionCode, problem.Code);
        Assert.Equal(reason, problem.CodeProblem!.Code);
    }

    [Fact]
    public void Full_width_digits_are_accepted()
    {
        Assert.Empty(FacilityFormValidator.Validate(Valid("１３１０１２３４５５")));
    }

    [Theory]
    [InlineData("1310123450")] // the demo code with its last digit changed
    [InlineData("0110113719")]
    public void The_facility_numbers_check_digit_is_not_enforced_because_the_rule_is_unverified(string code)
    {
        Assert.Empty(FacilityFormValidator.Validate(Valid(code)));
    }

    [Fact]
    public void Other_fields_name_their_problem()
    {
        var form = Valid();
        form.Name = " ";
        form.PostalCode = "12-345";
        form.Phone = "03-12";
        form.Departments = "01 内科\n内科だけ";
        form.Address = new string('あ', FacilityFormValidator.AddressMax + 1);

        var problems = FacilityFormValidator.Validate(form);

        Assert.Contains(problems, p => p is { Field: FacilityField.Name, Code: FacilityProblemCode.Required });
        Assert.Contains(problems, p => p is { Field: FacilityField.PostalCode, Code: FacilityProblemCode.PostalCodeFormat });
        Assert.Contains(problems, p => p is { Field: FacilityField.Phone, Code: FacilityProblemCode.PhoneFormat });
        Assert.Contains(problems, p => p is { Field: FacilityField.Departments, Code: FacilityProblemCode.DepartmentFormat, Line: 2 });
        Assert.Contains(problems, p => p is { Field: FacilityField.Address, Code: FacilityProblemCode.TooLong });
        Assert.Equal(5, problems.Count);
    }
}

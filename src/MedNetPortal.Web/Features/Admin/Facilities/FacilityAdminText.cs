using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.Web.Resources;
using Microsoft.Extensions.Localization;

namespace MedNetPortal.Web.Features.Admin.Facilities;

/// <summary>Localised messages for the facility form's problems.</summary>
public static class FacilityAdminText
{
    public static string Problem(IStringLocalizer<SharedResource> l, FacilityProblem problem)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(problem);
        return problem.Code switch
        {
            FacilityProblemCode.InstitutionCode when problem.CodeProblem is { } p => CodeProblem(l, p),
            FacilityProblemCode.Required => l["Admin.Facilities.Problem.Required"],
            FacilityProblemCode.TooLong => l["Admin.Facilities.Problem.TooLong", problem.Limit ?? 0],
            FacilityProblemCode.PostalCodeFormat => l["Admin.Facilities.Problem.PostalCode"],
            FacilityProblemCode.PhoneFormat => l["Admin.Facilities.Problem.Phone"],
            FacilityProblemCode.DepartmentFormat => l["Admin.Facilities.Problem.Department", problem.Line ?? 0],
            _ => l["Admin.Facilities.Problem.Other"],
        };
    }

    /// <summary>Why a 医療機関コード was refused.</summary>
    public static string CodeProblem(IStringLocalizer<SharedResource> l, IdentifierProblem problem)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(problem);
        return problem.Code switch
        {
            IdentifierErrorCode.Required => l["Admin.Facilities.Code.Required"],
            IdentifierErrorCode.NotDigits => l["Admin.Facilities.Code.NotDigits", problem.Character ?? "?"],
            IdentifierErrorCode.WrongLength => l["Admin.Facilities.Code.WrongLength", problem.ActualLength ?? 0],
            IdentifierErrorCode.PrefectureOutOfRange => l["Admin.Facilities.Code.Prefecture"],
            IdentifierErrorCode.FeeTableOutsideProfile => l["Admin.Facilities.Code.FeeTableOutsideProfile", problem.Character ?? "?"],
            IdentifierErrorCode.FeeTableUnknown => l["Admin.Facilities.Code.FeeTableUnknown", problem.Character ?? "?"],
            IdentifierErrorCode.ForbiddenSpace => l["Admin.Facilities.Code.Space"],
            IdentifierErrorCode.InvisibleCharacter or IdentifierErrorCode.UnsupportedCharacter => l["Admin.Facilities.Code.NotDigits", problem.Character ?? "?"],
            _ => l["Admin.Facilities.Problem.Other"],
        };
    }
}

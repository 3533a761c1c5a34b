using System.Text;
using System.Text.RegularExpressions;
using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.Web.Features.Facilities;

namespace MedNetPortal.Web.Features.Admin.Facilities;

/// <summary>The form's values once valid: trimmed, NFKC-normalised where it helps (digits, hyphens).</summary>
internal sealed record FacilityValues(
    string Code, string Name, string? NameKana, string? PostalCode, string? Address, string? Phone, IReadOnlyList<FacilityDepartment> Departments);

/// <summary>
/// Checks a <see cref="FacilityForm"/>. The 医療機関コード goes through <see cref="MedicalInstitutionCode.Parse"/> with the
/// JP-CLINS pattern required (fee-table 1 or 3): registered facilities exchange JP-CLINS letters, whose validator applies
/// the same pattern, so a pharmacy (4) or home-nursing (6) code would be registered but could never send or receive.
/// </summary>
public static partial class FacilityFormValidator
{
    public const int NameMax = 200;
    public const int AddressMax = 300;

    public static IReadOnlyList<FacilityProblem> Validate(FacilityForm form) => Check(form, out _);

    internal static IReadOnlyList<FacilityProblem> Check(FacilityForm form, out FacilityValues? values)
    {
        ArgumentNullException.ThrowIfNull(form);
        var problems = new List<FacilityProblem>();
        var code = MedicalInstitutionCode.Parse(form.Code);
        problems.AddRange(code.Problems.Select(p => new FacilityProblem(FacilityField.Code, FacilityProblemCode.InstitutionCode, p)));

        var name = Text(form.Name);
        if (name is null)
        {
            problems.Add(new FacilityProblem(FacilityField.Name, FacilityProblemCode.Required));
        }

        Limit(FacilityField.Name, name, NameMax, problems);
        var kana = Text(form.NameKana);
        Limit(FacilityField.NameKana, kana, NameMax, problems);
        var address = Text(form.Address);
        Limit(FacilityField.Address, address, AddressMax, problems);

        var postal = Dashes(Text(form.PostalCode))?.Replace("〒", string.Empty, StringComparison.Ordinal).Trim();
        if (!string.IsNullOrEmpty(postal))
        {
            var digits = new string(postal.Where(char.IsAsciiDigit).ToArray());
            if (!PostalPattern().IsMatch(postal) || digits.Length != 7)
            {
                problems.Add(new FacilityProblem(FacilityField.PostalCode, FacilityProblemCode.PostalCodeFormat));
            }
            else
            {
                postal = $"{digits[..3]}-{digits[3..]}";
            }
        }

        var phone = Dashes(Text(form.Phone));
        if (phone is not null && (!PhonePattern().IsMatch(phone) || phone.Count(char.IsAsciiDigit) is < 10 or > 11))
        {
            problems.Add(new FacilityProblem(FacilityField.Phone, FacilityProblemCode.PhoneFormat));
        }

        var departments = new List<FacilityDepartment>();
        var lines = (form.Departments ?? string.Empty).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Normalize(NormalizationForm.FormKC).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var match = DepartmentPattern().Match(line);
            if (!match.Success)
            {
                problems.Add(new FacilityProblem(FacilityField.Departments, FacilityProblemCode.DepartmentFormat, Line: i + 1));
                continue;
            }

            departments.Add(new FacilityDepartment(match.Groups["code"].Value, match.Groups["name"].Value.Trim()));
        }

        values = problems.Count == 0 ? new FacilityValues(code.Value!.Value, name!, kana, postal, address, phone, departments) : null;
        return problems;
    }

    /// <summary>NFKC, and the dash look-alikes typed in Japanese input (−, ‐, ー, ―) as a hyphen.</summary>
    private static string? Dashes(string? value) => value is null ? null : DashLike().Replace(value.Normalize(NormalizationForm.FormKC), "-");

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static void Limit(FacilityField field, string? value, int max, List<FacilityProblem> problems)
    {
        if (value is not null && value.Length > max)
        {
            problems.Add(new FacilityProblem(field, FacilityProblemCode.TooLong, Limit: max));
        }
    }

    [GeneratedRegex("[\u2010-\u2015\u2212\u30FC\uFF70]")]
    private static partial Regex DashLike();

    [GeneratedRegex("^[0-9]{3}-?[0-9]{4}$")]
    private static partial Regex PostalPattern();

    [GeneratedRegex("^[0-9][0-9-]{8,13}[0-9]$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^(?<code>[0-9]{2,3})\s+(?<name>\S.*)$")]
    private static partial Regex DepartmentPattern();
}

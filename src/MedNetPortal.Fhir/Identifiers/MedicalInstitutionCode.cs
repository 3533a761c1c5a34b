using Hl7.Fhir.Model;

namespace MedNetPortal.Fhir.Identifiers;

/// <summary>The fee-table (点数表) digit of a 医療機関コード.</summary>
public enum FeeTable
{
    /// <summary>1: medical (医科).</summary>
    Medical = 1,

    /// <summary>3: dental (歯科).</summary>
    Dental = 3,

    /// <summary>4: pharmacy (調剤).</summary>
    Pharmacy = 4,

    /// <summary>6: home-visit nursing (訪問看護).</summary>
    HomeNursing = 6,
}

/// <summary>
/// 医療機関コード: 10 digits = prefecture (01–47) + fee table + 7-digit facility number (area 2 + number 4 + check 1);
/// system <see cref="System"/>.
/// </summary>
/// <remarks>
/// The JP-CLINS pattern <c>[0-4][0-9][1-3][0-9]{7}</c> admits fee-table 1–3, while the brief lists 1, 3, 4 and 6. By
/// default (<c>requireJpClinsPattern</c>) only 1 and 3 are accepted: referral documents go between medical and dental
/// institutions and the national base validates against that pattern. Pharmacy (4) and home nursing (6) codes are real
/// and accepted when the caller opts out of the pattern; 2 and other digits are never accepted (no such table listed).
/// The facility number's check digit is NOT verified. The one description found (a Wikipedia article on 処方箋発行医療機関コード)
/// says it is a modulus-10 weight 2-1 (Luhn) digit over prefecture + fee table + the first six digits of the facility number,
/// which its example 0110113719 satisfies; but the four demo codes and the JP-CLINS examples (e.g. 1318814790) satisfy it only
/// over the six facility digits, and two JP-CLINS codes (1311234567, 1319876543) satisfy neither. With no primary (厚労省)
/// source to settle it, enforcing either form would refuse codes that are real or official examples (docs/facility-registry.md).
/// </remarks>
public sealed record MedicalInstitutionCode
{
    /// <summary>The FHIR identifier system.</summary>
    public const string System = JpFhir.Systems.MedicalInstitutionCode;

    private MedicalInstitutionCode(string value)
    {
        Value = value;
    }

    /// <summary>The 10 half-width digits.</summary>
    public string Value { get; }

    /// <summary>Prefecture number 1–47.</summary>
    public int Prefecture => int.Parse(Value.AsSpan(0, 2), global::System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The fee table.</summary>
    public FeeTable FeeTable => (FeeTable)(Value[2] - '0');

    /// <summary>The 7-digit facility number (area, number, check digit).</summary>
    public string FacilityNumber => Value[3..];

    /// <summary>The search token <c>system|value</c>.</summary>
    public string SearchToken => $"{System}|{Value}";

    /// <summary>A new FHIR Identifier.</summary>
    public Identifier ToIdentifier() => new(System, Value);

    /// <summary>Validates a code (digits of either width; ends trimmed).</summary>
    public static IdentifierParseResult<MedicalInstitutionCode> Parse(string? value, bool requireJpClinsPattern = true)
    {
        var problems = new List<IdentifierProblem>();
        var digits = PublicPayerMemberId.ParseDigits(value, IdentifierField.InstitutionCode, 10, problems);
        if (digits is null)
        {
            return new IdentifierParseResult<MedicalInstitutionCode>(null, problems);
        }

        var prefecture = ((digits[0] - '0') * 10) + (digits[1] - '0');
        if (prefecture is < 1 or > 47)
        {
            problems.Add(new IdentifierProblem(IdentifierField.InstitutionCode, IdentifierErrorCode.PrefectureOutOfRange));
        }

        switch (digits[2])
        {
            case '1' or '3':
                break;
            case '4' or '6':
                if (requireJpClinsPattern)
                {
                    problems.Add(new IdentifierProblem(IdentifierField.InstitutionCode, IdentifierErrorCode.FeeTableOutsideProfile, digits[2].ToString(), 2));
                }

                break;
            default:
                problems.Add(new IdentifierProblem(IdentifierField.InstitutionCode, IdentifierErrorCode.FeeTableUnknown, digits[2].ToString(), 2));
                break;
        }

        return new IdentifierParseResult<MedicalInstitutionCode>(new MedicalInstitutionCode(digits), problems);
    }

    /// <inheritdoc />
    public override string ToString() => Value;
}

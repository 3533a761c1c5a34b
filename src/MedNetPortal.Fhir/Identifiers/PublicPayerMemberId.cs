using Hl7.Fhir.Model;

namespace MedNetPortal.Fhir.Identifiers;

/// <summary>
/// The public-payer (公費, e.g. welfare) recipient identifier: FHIR value <c>公費負担者番号::受給者番号:</c> with an 8-digit
/// payer number and a 7-digit recipient number; system <see cref="System"/>.
/// </summary>
/// <remarks>
/// Check digits of payer and recipient numbers are not verified: the domain brief states no rule for them.
/// <see cref="ToString"/> is redacted (personal data).
/// </remarks>
public sealed class PublicPayerMemberId : IEquatable<PublicPayerMemberId>
{
    /// <summary>The FHIR identifier system.</summary>
    public const string System = JpFhir.Systems.PublicPayerMemberId;

    private PublicPayerMemberId(string payer, string recipient)
    {
        Payer = payer;
        Recipient = recipient;
    }

    /// <summary>公費負担者番号, 8 half-width digits.</summary>
    public string Payer { get; }

    /// <summary>受給者番号, 7 half-width digits.</summary>
    public string Recipient { get; }

    /// <summary>The FHIR <c>Identifier.value</c>.</summary>
    public string Value => $"{Payer}::{Recipient}:";

    /// <summary>The search token <c>system|value</c>.</summary>
    public string SearchToken => $"{System}|{Value}";

    /// <summary>A new FHIR Identifier.</summary>
    public Identifier ToIdentifier() => new(System, Value);

    /// <summary>Validates the two numbers (digits of either width; ends trimmed).</summary>
    public static IdentifierParseResult<PublicPayerMemberId> Parse(string? payer, string? recipient)
    {
        var problems = new List<IdentifierProblem>();
        var p = ParseDigits(payer, IdentifierField.Payer, 8, problems);
        var r = ParseDigits(recipient, IdentifierField.Recipient, 7, problems);
        return new IdentifierParseResult<PublicPayerMemberId>(p is null || r is null ? null : new PublicPayerMemberId(p, r), problems);
    }

    /// <summary>Validates a pasted or stored <c>公費負担者番号::受給者番号:</c>.</summary>
    public static IdentifierParseResult<PublicPayerMemberId> ParsePasted(string? pasted)
    {
        var text = IdentifierText.Trim(pasted).Replace('：', ':');
        if (text.Length == 0)
        {
            return new IdentifierParseResult<PublicPayerMemberId>(null, [new IdentifierProblem(IdentifierField.Pasted, IdentifierErrorCode.Required)]);
        }

        var parts = text.Split(':');
        if (parts.Length != 4 || parts[1].Length != 0 || parts[3].Length != 0)
        {
            return new IdentifierParseResult<PublicPayerMemberId>(null, [new IdentifierProblem(IdentifierField.Pasted, IdentifierErrorCode.PastedFormat)]);
        }

        return Parse(parts[0], parts[2]);
    }

    /// <summary>Redacted: identifiers are personal data.</summary>
    public override string ToString() => "PublicPayerMemberId(***)";

    /// <inheritdoc />
    public bool Equals(PublicPayerMemberId? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PublicPayerMemberId);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    internal static string? ParseDigits(string? raw, IdentifierField field, int length, List<IdentifierProblem> problems)
    {
        var value = IdentifierText.Trim(raw);
        if (value.Length == 0)
        {
            problems.Add(new IdentifierProblem(field, IdentifierErrorCode.Required));
            return null;
        }

        if (!IdentifierText.CheckCharacters(value, field, problems))
        {
            return null;
        }

        var digits = IdentifierText.DigitsToHalfWidth(value);
        for (var i = 0; i < digits.Length; i++)
        {
            if (!IdentifierText.IsHalfDigit(digits[i]))
            {
                problems.Add(new IdentifierProblem(field, IdentifierErrorCode.NotDigits, char.IsSurrogate(digits[i]) ? null : digits[i].ToString(), i));
                return null;
            }
        }

        if (digits.Length != length)
        {
            problems.Add(new IdentifierProblem(field, IdentifierErrorCode.WrongLength, ExpectedLength: length, ActualLength: digits.Length));
            return null;
        }

        return digits;
    }
}

using Hl7.Fhir.Model;

namespace MedNetPortal.Fhir.Identifiers;

/// <summary>
/// 被保険者個人識別子: the insured person's identifier from the health-insurance card, normalised per JP-CLINS.
/// FHIR value <c>保険者番号:記号:番号:枝番</c> (all three colons always present), system <see cref="System"/>.
/// </summary>
/// <remarks>
/// Personal data: <see cref="ToString"/> is redacted so the value cannot reach a log by accident; use
/// <see cref="Value"/> deliberately. Bad input gives problems as data (<see cref="IdentifierParseResult{T}"/>), never
/// an exception. Whitespace and zero-width characters are trimmed at the ends of each field and rejected inside.
/// </remarks>
public sealed class InsuranceMemberId : IEquatable<InsuranceMemberId>
{
    /// <summary>The FHIR identifier system.</summary>
    public const string System = JpFhir.Systems.InsuranceMemberId;

    private InsuranceMemberId(string insurer, bool insurerWasSixDigits, string symbol, string symbolFullWidth, string number, string numberFullWidth, string branch)
    {
        Insurer = insurer;
        InsurerWasSixDigits = insurerWasSixDigits;
        Symbol = symbol;
        Number = number;
        Branch = branch;
        SymbolForms = Forms(symbol, symbolFullWidth);
        NumberForms = Forms(number, numberFullWidth);
        EquivalentValues = [.. SymbolForms.SelectMany(s => NumberForms.Select(n => Format(insurer, s, n, branch)))];
    }

    /// <summary>保険者番号, always 8 half-width digits (a 6-digit national-health-insurance number left-padded with <c>00</c>).</summary>
    public string Insurer { get; }

    /// <summary>True when the insurer number was entered in its 6-digit form.</summary>
    public bool InsurerWasSixDigits { get; }

    /// <summary>記号, normalised (alphanumerics half-width; anything with kana, kanji or symbols full-width); may be empty.</summary>
    public string Symbol { get; }

    /// <summary>番号, normalised like <see cref="Symbol"/>; never empty.</summary>
    public string Number { get; }

    /// <summary>枝番: two half-width digits, or empty when the card has none.</summary>
    public string Branch { get; }

    /// <summary>The FHIR <c>Identifier.value</c>: <c>保険者番号:記号:番号:枝番</c>.</summary>
    public string Value => Format(Insurer, Symbol, Number, Branch);

    /// <summary>The stored forms the symbol may have: half- and full-width for alphanumerics, else just the one.</summary>
    public IReadOnlyList<string> SymbolForms { get; }

    /// <summary>The stored forms the number may have (as <see cref="SymbolForms"/>).</summary>
    public IReadOnlyList<string> NumberForms { get; }

    /// <summary>Every FHIR value equivalent to this one (width variants of symbol and number), <see cref="Value"/> first.</summary>
    public IReadOnlyList<string> EquivalentValues { get; }

    /// <summary>
    /// Search tokens <c>system|value</c> for every equivalent width form, <see cref="Value"/> first. Values never contain
    /// the FHIR search escapes (<c>, | $ \</c>) because normalised values hold only alphanumerics or full-width characters.
    /// </summary>
    public IReadOnlyList<string> SearchTokens => [.. EquivalentValues.Select(v => FhirSearchValue.Token(System, v))];

    /// <summary>The <c>identifier</c> search parameter value matching any width form (tokens joined by commas = OR).
    /// Personal data: send it in a POST <c>_search</c> body, never in a URL.</summary>
    public string SearchParameterValue => FhirSearchValue.AnyToken(System, EquivalentValues);

    /// <summary>A new FHIR Identifier with <see cref="System"/> and <see cref="Value"/>.</summary>
    public Identifier ToIdentifier() => new(System, Value);

    /// <summary>Validates and normalises the four card fields.</summary>
    /// <param name="insurer">保険者番号, 6 or 8 digits of either width.</param>
    /// <param name="symbol">記号, may be empty.</param>
    /// <param name="number">番号, required.</param>
    /// <param name="branch">枝番, two digits of either width, or empty.</param>
    /// <param name="verifyCheckDigit">False only to read values already stored elsewhere (some official examples carry
    /// insurer numbers whose check digit does not match); always true for input.</param>
    public static IdentifierParseResult<InsuranceMemberId> Parse(string? insurer, string? symbol, string? number, string? branch, bool verifyCheckDigit = true)
    {
        var problems = new List<IdentifierProblem>();
        var insurerValue = ParseInsurer(insurer, verifyCheckDigit, problems, out var wasSix);
        var symbolValue = ParseSymbolOrNumber(symbol, IdentifierField.Symbol, required: false, problems, out var symbolFull);
        var numberValue = ParseSymbolOrNumber(number, IdentifierField.Number, required: true, problems, out var numberFull);
        var branchValue = ParseBranch(branch, problems);
        if (problems.Count > 0 || insurerValue is null || symbolValue is null || numberValue is null || branchValue is null)
        {
            return new IdentifierParseResult<InsuranceMemberId>(null, problems);
        }

        return new IdentifierParseResult<InsuranceMemberId>(
            new InsuranceMemberId(insurerValue, wasSix, symbolValue, symbolFull, numberValue, numberFull, branchValue), problems);
    }

    /// <summary>
    /// Validates a pasted <c>保険者番号:記号:番号:枝番</c> (also the FHIR value). Separators: exactly three colons; full-width
    /// colons count as separators only when the string has no half-width colon at all or together they make exactly three.
    /// </summary>
    public static IdentifierParseResult<InsuranceMemberId> ParsePasted(string? pasted, bool verifyCheckDigit = true)
    {
        var text = IdentifierText.Trim(pasted);
        if (text.Length == 0)
        {
            return new IdentifierParseResult<InsuranceMemberId>(null, [new IdentifierProblem(IdentifierField.Pasted, IdentifierErrorCode.Required)]);
        }

        var half = text.Count(c => c == ':');
        var full = text.Count(c => c == '：');
        char[] separators = half == 3 ? [':'] : half + full == 3 ? [':', '：'] : [];
        if (separators.Length == 0)
        {
            return new IdentifierParseResult<InsuranceMemberId>(
                null, [new IdentifierProblem(IdentifierField.Pasted, IdentifierErrorCode.PastedFieldCount, ActualLength: half > 0 ? half : full)]);
        }

        var parts = text.Split(separators);
        return Parse(parts[0], parts[1], parts[2], parts[3], verifyCheckDigit);
    }

    /// <summary>Redacted: identifiers are personal data.</summary>
    public override string ToString() => "InsuranceMemberId(***)";

    /// <inheritdoc />
    public bool Equals(InsuranceMemberId? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as InsuranceMemberId);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    private static string Format(string insurer, string symbol, string number, string branch) => $"{insurer}:{symbol}:{number}:{branch}";

    private static IReadOnlyList<string> Forms(string value, string fullWidth) =>
        fullWidth.Length > 0 && !string.Equals(fullWidth, value, StringComparison.Ordinal) ? [value, fullWidth] : [value];

    private static string? ParseInsurer(string? raw, bool verifyCheckDigit, List<IdentifierProblem> problems, out bool wasSix)
    {
        wasSix = false;
        var value = IdentifierText.Trim(raw);
        if (value.Length == 0)
        {
            problems.Add(new IdentifierProblem(IdentifierField.Insurer, IdentifierErrorCode.Required));
            return null;
        }

        if (!IdentifierText.CheckCharacters(value, IdentifierField.Insurer, problems))
        {
            return null;
        }

        var digits = IdentifierText.DigitsToHalfWidth(value);
        for (var i = 0; i < digits.Length; i++)
        {
            if (!IdentifierText.IsHalfDigit(digits[i]))
            {
                problems.Add(new IdentifierProblem(IdentifierField.Insurer, IdentifierErrorCode.InsurerNotDigits, char.IsSurrogate(digits[i]) ? null : digits[i].ToString(), i));
                return null;
            }
        }

        if (digits.Length is not (6 or 8))
        {
            problems.Add(new IdentifierProblem(IdentifierField.Insurer, IdentifierErrorCode.InsurerLength, ExpectedLength: 8, ActualLength: digits.Length));
            return null;
        }

        var expected = InsurerNumber.ComputeCheckDigit(digits.AsSpan(0, digits.Length - 1));
        var actual = digits[^1] - '0';
        if (verifyCheckDigit && expected != actual)
        {
            problems.Add(new IdentifierProblem(IdentifierField.Insurer, IdentifierErrorCode.InsurerCheckDigit, ExpectedDigit: expected, ActualDigit: actual));
            return null;
        }

        wasSix = digits.Length == 6;
        return wasSix ? "00" + digits : digits;
    }

    private static string? ParseSymbolOrNumber(string? raw, IdentifierField field, bool required, List<IdentifierProblem> problems, out string fullWidth)
    {
        fullWidth = string.Empty;
        var value = IdentifierText.Trim(raw);
        if (value.Length == 0)
        {
            if (required)
            {
                problems.Add(new IdentifierProblem(field, IdentifierErrorCode.Required));
                return null;
            }

            return string.Empty;
        }

        return IdentifierText.CheckCharacters(value, field, problems)
            ? IdentifierText.NormaliseSymbolOrNumber(value, field, problems, out fullWidth)
            : null;
    }

    private static string? ParseBranch(string? raw, List<IdentifierProblem> problems)
    {
        var value = IdentifierText.Trim(raw);
        if (value.Length == 0)
        {
            return string.Empty;
        }

        if (!IdentifierText.CheckCharacters(value, IdentifierField.Branch, problems))
        {
            return null;
        }

        var digits = IdentifierText.DigitsToHalfWidth(value);
        if (digits.Length != 2 || !digits.All(IdentifierText.IsHalfDigit))
        {
            problems.Add(new IdentifierProblem(IdentifierField.Branch, IdentifierErrorCode.BranchFormat, ExpectedLength: 2, ActualLength: digits.Length));
            return null;
        }

        return digits;
    }
}

namespace MedNetPortal.Fhir.Identifiers;

/// <summary>Which input a problem belongs to.</summary>
public enum IdentifierField
{
    /// <summary>保険者番号.</summary>
    Insurer,

    /// <summary>記号.</summary>
    Symbol,

    /// <summary>番号.</summary>
    Number,

    /// <summary>枝番.</summary>
    Branch,

    /// <summary>The pasted <c>保険者番号:記号:番号:枝番</c> (or public-payer) string as a whole.</summary>
    Pasted,

    /// <summary>公費負担者番号.</summary>
    Payer,

    /// <summary>受給者番号.</summary>
    Recipient,

    /// <summary>医療機関コード.</summary>
    InstitutionCode,
}

/// <summary>Stable codes for identifier problems; the UI localises them (Japanese first).</summary>
public enum IdentifierErrorCode
{
    /// <summary>A required value is empty.</summary>
    Required,

    /// <summary>The insurer number has something other than digits.</summary>
    InsurerNotDigits,

    /// <summary>The insurer number is not 6 or 8 digits (<see cref="IdentifierProblem.ActualLength"/>).</summary>
    InsurerLength,

    /// <summary>The insurer number's check digit (検証番号) does not match (<see cref="IdentifierProblem.ExpectedDigit"/>).</summary>
    InsurerCheckDigit,

    /// <summary>A space (half- or full-width, or another Unicode space) inside a value.</summary>
    ForbiddenSpace,

    /// <summary>An invisible character (zero-width, control, format) inside a value.</summary>
    InvisibleCharacter,

    /// <summary>A character that cannot appear in an identifier (replacement character, private use, unassigned, half-width forms).</summary>
    UnsupportedCharacter,

    /// <summary>
    /// The value holds kana, kanji or symbols, so it must be entirely full-width, but a half-width character in it has no
    /// unambiguous full-width form (e.g. <c>-</c> could be <c>－</c> or <c>ー</c>); the user must type the full-width character.
    /// </summary>
    MixedWidth,

    /// <summary>An entirely half-width value holds a symbol whose full-width form is ambiguous (see <see cref="MixedWidth"/>).</summary>
    AmbiguousSymbol,

    /// <summary>The branch number is not two digits.</summary>
    BranchFormat,

    /// <summary>The pasted value does not have exactly three colon separators (<see cref="IdentifierProblem.ActualLength"/> = separators found).</summary>
    PastedFieldCount,

    /// <summary>The pasted public-payer value is not <c>公費負担者番号::受給者番号:</c>.</summary>
    PastedFormat,

    /// <summary>Something other than digits where only digits are allowed.</summary>
    NotDigits,

    /// <summary>Wrong number of digits (<see cref="IdentifierProblem.ExpectedLength"/>, <see cref="IdentifierProblem.ActualLength"/>).</summary>
    WrongLength,

    /// <summary>The 医療機関コード's prefecture is not 01–47.</summary>
    PrefectureOutOfRange,

    /// <summary>The fee-table digit is 4 (pharmacy) or 6 (home nursing): real codes, but outside the JP-CLINS pattern.</summary>
    FeeTableOutsideProfile,

    /// <summary>The fee-table digit is not one of 1, 3, 4, 6.</summary>
    FeeTableUnknown,
}

/// <summary>
/// One validation problem, as data: the field, a stable code, and the pieces a message needs. It never holds the whole
/// entered value (identifiers are personal data), at most the one offending character.
/// </summary>
/// <param name="Field">The input the problem is in.</param>
/// <param name="Code">What is wrong.</param>
/// <param name="Character">The offending character (as a string: it may be a surrogate pair), when there is one.</param>
/// <param name="Position">Zero-based position of <paramref name="Character"/> in the trimmed value (in UTF-16 units).</param>
/// <param name="ExpectedLength">Expected length, for length problems.</param>
/// <param name="ActualLength">Actual length (or separator count for <see cref="IdentifierErrorCode.PastedFieldCount"/>).</param>
/// <param name="ExpectedDigit">The check digit the other digits call for.</param>
/// <param name="ActualDigit">The check digit entered.</param>
public sealed record IdentifierProblem(
    IdentifierField Field,
    IdentifierErrorCode Code,
    string? Character = null,
    int? Position = null,
    int? ExpectedLength = null,
    int? ActualLength = null,
    int? ExpectedDigit = null,
    int? ActualDigit = null)
{
    /// <summary>An English description for developers and tests; users see localised text chosen by <see cref="Code"/>.</summary>
    public string Description => Code switch
    {
        IdentifierErrorCode.Required => $"{Field} is required.",
        IdentifierErrorCode.InsurerNotDigits => $"{Field} must contain digits only (found '{Character}' at {Position}).",
        IdentifierErrorCode.InsurerLength => $"{Field} must have 6 or 8 digits (has {ActualLength}).",
        IdentifierErrorCode.InsurerCheckDigit => $"{Field} check digit is {ActualDigit} but the other digits give {ExpectedDigit}.",
        IdentifierErrorCode.ForbiddenSpace => $"{Field} contains a space at {Position}.",
        IdentifierErrorCode.InvisibleCharacter => $"{Field} contains an invisible character U+{(int)(Character ?? "\0")[0]:X4} at {Position}.",
        IdentifierErrorCode.UnsupportedCharacter => $"{Field} contains an unsupported character at {Position}.",
        IdentifierErrorCode.MixedWidth => $"{Field} must be entirely full-width; half-width '{Character}' at {Position} has no unambiguous full-width form.",
        IdentifierErrorCode.AmbiguousSymbol => $"{Field} must be full-width because it holds a symbol; '{Character}' at {Position} has no unambiguous full-width form.",
        IdentifierErrorCode.BranchFormat => $"{Field} must be two digits or empty.",
        IdentifierErrorCode.PastedFieldCount => $"{Field} must have exactly 3 colons (保険者番号:記号:番号:枝番); found {ActualLength}.",
        IdentifierErrorCode.PastedFormat => $"{Field} must look like 公費負担者番号::受給者番号:.",
        IdentifierErrorCode.NotDigits => $"{Field} must contain digits only (found '{Character}' at {Position}).",
        IdentifierErrorCode.WrongLength => $"{Field} must have {ExpectedLength} digits (has {ActualLength}).",
        IdentifierErrorCode.PrefectureOutOfRange => $"{Field} prefecture must be 01-47.",
        IdentifierErrorCode.FeeTableOutsideProfile => $"{Field} fee-table digit 4 (pharmacy) or 6 (home nursing) is outside the JP-CLINS pattern.",
        IdentifierErrorCode.FeeTableUnknown => $"{Field} fee-table digit must be 1 (medical) or 3 (dental).",
        _ => $"{Field}: {Code}.",
    };
}

/// <summary>The outcome of parsing an identifier: the value, or the problems (never an exception for bad input).</summary>
/// <typeparam name="T">The identifier type.</typeparam>
public sealed class IdentifierParseResult<T>
    where T : class
{
    internal IdentifierParseResult(T? value, IReadOnlyList<IdentifierProblem> problems)
    {
        Value = problems.Count == 0 ? value : null;
        Problems = problems;
    }

    /// <summary>The parsed, normalised identifier, or null when there are problems.</summary>
    public T? Value { get; }

    /// <summary>Every problem found (all fields are checked, not just the first failure).</summary>
    public IReadOnlyList<IdentifierProblem> Problems { get; }

    /// <summary>True when <see cref="Value"/> is set.</summary>
    public bool IsValid => Value is not null;
}

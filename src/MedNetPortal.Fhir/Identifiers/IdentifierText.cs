using System.Globalization;
using System.Text;

namespace MedNetPortal.Fhir.Identifiers;

/// <summary>
/// Character rules shared by the identifiers. Policy: whitespace of any width and zero-width characters are trimmed at
/// both ends of every field (pasted values often carry a trailing newline or a BOM); inside a value they are rejected.
/// </summary>
internal static class IdentifierText
{
    /// <summary>Half-width symbols whose full-width form is a guess (－ or ー, ～ or 〜, ＼ or ￥, ’ or ＇ …).</summary>
    private const string AmbiguousSymbols = "-~\\'\"`";

    public static string Trim(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var start = 0;
        var end = value.Length;
        while (start < end && IsTrimmable(value[start]))
        {
            start++;
        }

        while (end > start && IsTrimmable(value[end - 1]))
        {
            end--;
        }

        return value[start..end];
    }

    private static bool IsTrimmable(char c) => char.IsWhiteSpace(c) || IsZeroWidth(c);

    private static bool IsZeroWidth(char c) => c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u180E';

    /// <summary>Reports spaces, invisible and unsupported characters; returns true when there were none.</summary>
    public static bool CheckCharacters(string value, IdentifierField field, List<IdentifierProblem> problems)
    {
        var ok = true;
        var index = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            var code = ClassifyForbidden(rune);
            if (code is { } c)
            {
                problems.Add(new IdentifierProblem(field, c, rune.ToString(), index));
                ok = false;
            }

            index += rune.Utf16SequenceLength;
        }

        return ok;
    }

    private static IdentifierErrorCode? ClassifyForbidden(Rune rune)
    {
        if (Rune.IsWhiteSpace(rune))
        {
            return IdentifierErrorCode.ForbiddenSpace;
        }

        if (rune.IsBmp && IsZeroWidth((char)rune.Value))
        {
            return IdentifierErrorCode.InvisibleCharacter;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                => IdentifierErrorCode.InvisibleCharacter,
            UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate
                => IdentifierErrorCode.UnsupportedCharacter,
            _ when rune.Value == 0xFFFD || rune.Value is >= 0xFFE8 and <= 0xFFEE => IdentifierErrorCode.UnsupportedCharacter,
            _ => null,
        };
    }

    public static bool IsHalfDigit(char c) => c is >= '0' and <= '9';

    public static bool IsFullDigit(char c) => c is >= '０' and <= '９';

    private static bool IsHalfAlnum(char c) => IsHalfDigit(c) || c is >= 'A' and <= 'Z' or >= 'a' and <= 'z';

    private static bool IsFullAlnum(char c) => IsFullDigit(c) || c is >= 'Ａ' and <= 'Ｚ' or >= 'ａ' and <= 'ｚ';

    private static bool IsHalfSymbol(char c) => c is >= '!' and <= '~' && !IsHalfAlnum(c);

    private static bool IsHalfKatakana(char c) => c is >= '\uFF61' and <= '\uFF9F';

    /// <summary>Full-width digits to half-width; other characters unchanged.</summary>
    public static string DigitsToHalfWidth(string value) =>
        string.Create(value.Length, value, static (span, v) =>
        {
            for (var i = 0; i < v.Length; i++)
            {
                span[i] = IsFullDigit(v[i]) ? (char)(v[i] - '０' + '0') : v[i];
            }
        });

    /// <summary>
    /// Normalises a 記号 or 番号 already free of spaces and invisible characters. Alphanumerics-only values (either width,
    /// even mixed) become half-width and <paramref name="fullWidth"/> gets their full-width twin. Values with kana, kanji or
    /// symbols become entirely full-width: half-width digits, latin and katakana are widened (katakana composed with
    /// their voiced marks); ASCII symbols with an obvious full-width form are widened; ambiguous ones are reported.
    /// </summary>
    public static string? NormaliseSymbolOrNumber(string value, IdentifierField field, List<IdentifierProblem> problems, out string fullWidth)
    {
        fullWidth = string.Empty;
        if (value.All(c => IsHalfAlnum(c) || IsFullAlnum(c)))
        {
            var half = new StringBuilder(value.Length);
            var full = new StringBuilder(value.Length);
            foreach (var c in value)
            {
                var h = IsFullAlnum(c) ? (char)(c - 0xFEE0) : c;
                half.Append(h);
                full.Append((char)(h + 0xFEE0));
            }

            fullWidth = full.ToString();
            return half.ToString();
        }

        var hasWide = value.Any(c => !(IsHalfAlnum(c) || IsHalfSymbol(c) || IsHalfKatakana(c)));
        var result = new StringBuilder(value.Length);
        var ok = true;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (IsHalfAlnum(c))
            {
                result.Append((char)(c + 0xFEE0));
            }
            else if (IsHalfSymbol(c))
            {
                if (AmbiguousSymbols.Contains(c, StringComparison.Ordinal))
                {
                    problems.Add(new IdentifierProblem(field, hasWide ? IdentifierErrorCode.MixedWidth : IdentifierErrorCode.AmbiguousSymbol, c.ToString(), i));
                    ok = false;
                }
                else
                {
                    result.Append((char)(c + 0xFEE0));
                }
            }
            else if (IsHalfKatakana(c))
            {
                var start = i;
                while (i + 1 < value.Length && IsHalfKatakana(value[i + 1]))
                {
                    i++;
                }

                result.Append(WidenKatakana(value[start..(i + 1)]));
            }
            else
            {
                result.Append(c);
            }
        }

        if (!ok)
        {
            return null;
        }

        fullWidth = result.ToString();
        return fullWidth;
    }

    /// <summary>NFKC maps half-width katakana to full-width and composes ｶﾞ into ガ; lone voiced marks become ゛ ゜.</summary>
    private static string WidenKatakana(string halfKatakana) =>
        halfKatakana.Normalize(NormalizationForm.FormKC).Replace('\u3099', '\u309B').Replace('\u309A', '\u309C');
}

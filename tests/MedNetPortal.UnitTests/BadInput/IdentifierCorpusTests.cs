using System.Globalization;
using System.Text.RegularExpressions;
using MedNetPortal.Fhir.Identifiers;

namespace MedNetPortal.UnitTests.BadInput;

/// <summary>
/// identifier-corpus.tsv: every line is one input to a portal identifier parser and the exact answer expected, a normalised
/// value or the specific problems in order. Bad input never throws.
/// </summary>
public sealed partial class IdentifierCorpusTests
{
    public static TheoryData<string, string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string, string>();
        var path = Path.Combine(AppContext.BaseDirectory, "BadInput", "identifier-corpus.tsv");
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split('\t');
            data.Add(parts[0], parts[1], parts[2], parts.Length > 3 ? parts[3] : string.Empty);
        }

        return data;
    }

    [Fact]
    public void The_corpus_has_at_least_150_cases() => Assert.True(Cases().Count >= 150);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_input_gets_its_value_or_its_specific_problems(string kind, string input, string expected, string note)
    {
        var fields = Unescape(input).Split('|');
        var (value, problems) = kind switch
        {
            "member" => Describe(InsuranceMemberId.Parse(fields[0], fields[1], fields[2], fields[3]), v => v.Value),
            "pasted" => Describe(InsuranceMemberId.ParsePasted(fields[0]), v => v.Value),
            "institution" => Describe(MedicalInstitutionCode.Parse(fields[0]), v => v.Value),
            "payer" => Describe(PublicPayerMemberId.Parse(fields[0], fields[1]), v => v.Value),
            "payer-pasted" => Describe(PublicPayerMemberId.ParsePasted(fields[0]), v => v.Value),
            _ => throw new InvalidOperationException(kind),
        };

        var actual = problems.Length > 0 ? problems : "ok " + value;
        Assert.True(expected == actual, $"{note}: expected '{expected}', got '{actual}'");
    }

    private static (string? Value, string Problems) Describe<T>(IdentifierParseResult<T> result, Func<T, string> value)
        where T : class
        => (result.Value is null ? null : value(result.Value),
            string.Join(' ', result.Problems.Select(p => $"{p.Field}:{p.Code}")));

    private static string Unescape(string value) => Escape().Replace(
        value.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\r", "\r", StringComparison.Ordinal).Replace("\\t", "\t", StringComparison.Ordinal),
        m => ((char)int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString());

    [GeneratedRegex(@"\\u([0-9A-Fa-f]{4})")]
    private static partial Regex Escape();
}

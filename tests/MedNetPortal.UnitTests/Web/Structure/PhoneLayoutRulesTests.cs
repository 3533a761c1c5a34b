using System.Text.RegularExpressions;

namespace MedNetPortal.UnitTests.Web.Structure;

/// <summary>
/// Every table a page shows (<c>MudSimpleTable</c>) is a card table on a phone (app.css, class <c>card-table</c>): each of
/// its cells carries its column's heading as <c>data-label</c>, or is an action cell (<c>card-action</c>) whose heading is
/// for screen readers only. A new table without them would squeeze ten columns into a phone's width again.
/// </summary>
public sealed partial class PhoneLayoutRulesTests
{
    [Fact]
    public void Every_table_is_a_card_table_whose_cells_name_their_column()
    {
        var problems = new List<string>();
        var tables = 0;
        foreach (var file in RazorFiles())
        {
            var text = File.ReadAllText(Path.Combine(Root, file));
            foreach (Match table in SimpleTable().Matches(text))
            {
                tables++;
                problems.AddRange(Check(file, table.Groups["open"].Value, table.Groups["body"].Value));
            }
        }

        Assert.True(tables >= 12, $"{tables} tables found: the scan no longer sees the pages' tables");
        Assert.True(problems.Count == 0, "Tables without their phone layout:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void The_check_finds_a_table_without_the_class_a_cell_without_a_label_and_a_label_that_is_no_heading()
    {
        const string Body = """
            <thead><tr><th>@L["A"]</th><th>@L["B"]</th></tr></thead>
            <tbody><tr><td data-label="@L["A"]">1</td><td>2</td><td data-label="@L["C"]">3</td><td class="card-action">x</td></tr></tbody>
            """;

        var problems = Check("X.razor", """<MudSimpleTable Dense="true" Class="mb-2">""", Body);

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("no card-table", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("a cell without data-label", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("@L[\"C\"]", StringComparison.Ordinal));
    }

    private static List<string> Check(string file, string open, string body)
    {
        var problems = new List<string>();
        if (!CardTableClass().IsMatch(open))
        {
            problems.Add($"{file}: {open.Trim()} has no card-table class");
        }

        var headings = Heading().Matches(body).Select(m => m.Groups["label"].Value.Trim()).ToHashSet(StringComparer.Ordinal);
        foreach (Match cell in Cell().Matches(body))
        {
            var attributes = cell.Groups["attributes"].Value;
            if (Label().Match(attributes) is { Success: true } label)
            {
                if (!headings.Contains(label.Groups["label"].Value))
                {
                    problems.Add($"{file}: data-label=\"{label.Groups["label"].Value}\" is not one of the table's headings");
                }
            }
            else if (!attributes.Contains("card-action", StringComparison.Ordinal))
            {
                problems.Add($"{file}: a cell without data-label (or class card-action): <td{attributes}>");
            }
        }

        return problems;
    }

    private static IEnumerable<string> RazorFiles() =>
        Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.razor", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal));

    private static string Root { get; } = RepositoryRoot();

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MedNetPortal.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }

    [GeneratedRegex(@"(?<open><MudSimpleTable\b[^>]*>)(?<body>.*?)</MudSimpleTable>", RegexOptions.Singleline)]
    private static partial Regex SimpleTable();

    [GeneratedRegex(@"\bClass=""[^""]*\bcard-table\b[^""]*""")]
    private static partial Regex CardTableClass();

    // A heading's text (a resource lookup or an expression choosing one), possibly inside a visually hidden span.
    [GeneratedRegex(@"<th\b[^>]*>\s*(?:<span[^>]*>)?(?<label>.*?)(?:</span>)?\s*</th>", RegexOptions.Singleline)]
    private static partial Regex Heading();

    // A cell's opening tag: its attributes hold no '>' (no lambda sits on a cell).
    [GeneratedRegex(@"<td\b(?<attributes>[^>]*)>")]
    private static partial Regex Cell();

    [GeneratedRegex(@"data-label=""(?<label>@L\[""[^""]+""\]|@\(.*?\))""(?=\s|$)")]
    private static partial Regex Label();
}

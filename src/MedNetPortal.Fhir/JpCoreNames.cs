using Hl7.Fhir.Model;

namespace MedNetPortal.Fhir;

/// <summary>
/// Reads JP Core names: a person carries a kanji name (representation <c>IDE</c>) and a kana name (<c>SYL</c>) as
/// separate <see cref="HumanName"/>s told apart by the iso21090-EN-representation extension.
/// </summary>
public static class JpCoreNames
{
    /// <summary>The written (kanji) name: <c>IDE</c>, else a name without a representation, else any name that is not kana.</summary>
    public static HumanName? Kanji(IEnumerable<HumanName>? names)
    {
        var list = names?.ToList() ?? [];
        return list.FirstOrDefault(n => Representation(n) == "IDE")
               ?? list.FirstOrDefault(n => Representation(n) is null)
               ?? list.FirstOrDefault(n => Representation(n) != "SYL");
    }

    /// <summary>The kana (reading) name, representation <c>SYL</c>.</summary>
    public static HumanName? Kana(IEnumerable<HumanName>? names) =>
        names?.FirstOrDefault(n => Representation(n) == "SYL");

    /// <summary>The name as text: <c>text</c>, else family and given names joined by a space; null when there is none.</summary>
    public static string? Text(HumanName? name)
    {
        if (name is null)
        {
            return null;
        }

        if (!string.IsNullOrWhiteSpace(name.Text))
        {
            return name.Text.Trim();
        }

        var joined = string.Join(' ', new[] { name.Family }.Concat(name.Given ?? []).Where(p => !string.IsNullOrWhiteSpace(p)));
        return joined.Length == 0 ? null : joined;
    }

    private static string? Representation(HumanName name) =>
        (name.GetExtension(JpFhir.Extensions.NameRepresentation)?.Value as Code)?.Value;
}

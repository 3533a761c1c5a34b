using Hl7.Fhir.Model;
using MedNetPortal.Fhir;

namespace MedNetPortal.UnitTests.Fhir;

public sealed class JpCoreNamesTests
{
    private static HumanName Name(string? representation, string? text = null, string? family = null, params string[] given)
    {
        var name = new HumanName { Text = text, Family = family, Given = given };
        if (representation is not null)
        {
            name.AddExtension(JpFhir.Extensions.NameRepresentation, new Code(representation));
        }

        return name;
    }

    [Fact]
    public void Kanji_and_kana_are_told_apart_by_their_representation_whatever_the_order()
    {
        HumanName[] names = [Name("SYL", "サトウ ケンイチ"), Name("IDE", family: "佐藤", given: "健一")];

        Assert.Equal("佐藤 健一", JpCoreNames.Text(JpCoreNames.Kanji(names)));
        Assert.Equal("サトウ ケンイチ", JpCoreNames.Text(JpCoreNames.Kana(names)));
    }

    [Fact]
    public void A_name_without_representation_is_the_written_name_and_kana_is_absent()
    {
        HumanName[] names = [Name(null, " Yamada Hanako ")];

        Assert.Equal("Yamada Hanako", JpCoreNames.Text(JpCoreNames.Kanji(names)));
        Assert.Null(JpCoreNames.Kana(names));
    }

    [Fact]
    public void Only_a_kana_name_gives_no_written_name_and_an_empty_name_gives_no_text()
    {
        Assert.Null(JpCoreNames.Kanji([Name("SYL", "ヤマダ")]));
        Assert.Null(JpCoreNames.Text(Name(null)));
        Assert.Null(JpCoreNames.Kanji(null));
    }
}

using MedNetPortal.Web.Features.Admin.Facilities;

namespace MedNetPortal.ComponentTests.Admin;

public sealed class FacilityEditorTests : PortalTestContext
{
    private IRenderedComponent<FacilityEditor> RenderEditor(FacilityForm form, bool isNew) =>
        Render<FacilityEditor>(p => p.Add(e => e.Form, form).Add(e => e.IsNew, isNew).Add(e => e.Problems, FacilityFormValidator.Validate(form)));

    private static string FieldText(IRenderedComponent<FacilityEditor> editor, string inputId) =>
        editor.Find($"#{inputId}").Closest(".mud-input-control")!.TextContent;

    [Fact]
    public void Every_field_has_a_label_tied_to_its_input()
    {
        var editor = RenderEditor(new FacilityForm(), isNew: true);

        foreach (var id in new[] { "facility-code", "facility-name", "facility-kana", "facility-postal", "facility-address", "facility-phone", "facility-departments" })
        {
            Shown.One(editor.FindAll($"label[for={id}]"));
            Shown.One(editor.FindAll($"#{id}"));
        }
    }

    [Theory]
    [InlineData("4810123455", "都道府県番号は01〜47")]
    [InlineData("1340123455", "薬局・訪問看護")]
    [InlineData("1320123455", "点数表番号「2」はありません")]
    [InlineData("13101234", "10桁です（入力は8桁）")]
    public void A_wrong_code_shows_its_reason_under_the_code_field(string code, string reason)
    {
        var editor = RenderEditor(new FacilityForm { Code = code, Name = "テスト病院" }, isNew: true);

        Assert.Contains(reason, FieldText(editor, "facility-code"), StringComparison.Ordinal);
        Assert.DoesNotContain(reason, FieldText(editor, "facility-name"), StringComparison.Ordinal);
    }

    [Fact]
    public void Other_problems_show_under_their_own_fields_and_in_English_too()
    {
        var form = new FacilityForm { Code = "1310123455", Name = "", PostalCode = "12", Phone = "1", Departments = "内科" };
        var editor = RenderEditor(form, isNew: true);

        Assert.Contains("入力してください", FieldText(editor, "facility-name"), StringComparison.Ordinal);
        Assert.Contains("郵便番号は7桁", FieldText(editor, "facility-postal"), StringComparison.Ordinal);
        Assert.Contains("電話番号は10〜11桁", FieldText(editor, "facility-phone"), StringComparison.Ordinal);
        Assert.Contains("1行目", FieldText(editor, "facility-departments"), StringComparison.Ordinal);

        UseCulture("en");
        var english = RenderEditor(new FacilityForm { Code = "4810123455", Name = "x" }, isNew: true);
        Assert.Contains("prefecture", FieldText(english, "facility-code"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_code_cannot_be_edited_once_registered()
    {
        var editor = RenderEditor(new FacilityForm { Code = "1310123455", Name = "テスト病院" }, isNew: false);

        Assert.True(editor.Find("#facility-code").HasAttribute("disabled"));
        Assert.Empty(FacilityFormValidator.Validate(new FacilityForm { Code = "1310123455", Name = "テスト病院" }));
    }
}

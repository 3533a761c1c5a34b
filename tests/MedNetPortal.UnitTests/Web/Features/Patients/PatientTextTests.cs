using System.Globalization;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.Web.Features.Patients;
using MedNetPortal.Web.Resources;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MedNetPortal.UnitTests.Web.Features.Patients;

public sealed class PatientTextTests
{
    private static readonly IStringLocalizer<SharedResource> L = new StringLocalizer<SharedResource>(
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));

    [Fact]
    public void Every_identifier_problem_code_has_its_own_Japanese_and_English_message()
    {
        foreach (var culture in new[] { "ja-JP", "en-US" })
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            var codes = new[]
            {
                IdentifierErrorCode.Required, IdentifierErrorCode.InsurerNotDigits, IdentifierErrorCode.InsurerLength, IdentifierErrorCode.InsurerCheckDigit,
                IdentifierErrorCode.ForbiddenSpace, IdentifierErrorCode.InvisibleCharacter, IdentifierErrorCode.UnsupportedCharacter,
                IdentifierErrorCode.MixedWidth, IdentifierErrorCode.AmbiguousSymbol, IdentifierErrorCode.BranchFormat, IdentifierErrorCode.PastedFieldCount,
            };
            var messages = codes.Select(c => PatientText.Problem(L, new IdentifierProblem(IdentifierField.Insurer, c, "x", 0, 8, 3, 5, 4))).ToList();

            Assert.All(messages, m => Assert.DoesNotContain("Patients.", m));
            Assert.Equal(messages.Count, messages.Distinct().Count());
        }
    }

    [Fact]
    public void Check_digit_and_length_messages_read_as_clinicians_expect()
    {
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("ja-JP");
        var wrong = InsuranceMemberId.Parse("06134523", "", "5678", "").Problems.Single();
        var shortNumber = InsuranceMemberId.Parse("12345", "", "5678", "").Problems.Single();
        var branch = InsuranceMemberId.Parse("06134522", "", "5678", "1").Problems.Single();

        Assert.StartsWith("保険者番号の検証番号が一致しません", PatientText.Problem(L, wrong));
        Assert.Equal("保険者番号は6桁または8桁です（5桁入力されています）。", PatientText.Problem(L, shortNumber));
        Assert.StartsWith("枝番は2桁の数字です", PatientText.Problem(L, branch));
    }

    [Fact]
    public void Every_error_reason_and_code_system_is_localised()
    {
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-US");
        Assert.All(Enum.GetValues<FhirApiErrorReason>(), r => Assert.DoesNotContain("Patients.", PatientText.Error(L, r)));
        Assert.Equal("MEDIS disease key number", PatientText.CodeSystem(L, PatientMapper.ToDiagnosisCode(JpFhir.Systems.MedisDiseaseKeyNumber, "1")));
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("ja-JP");
        Assert.Equal("レセ電", PatientText.CodeSystem(L, PatientMapper.ToDiagnosisCode(JpFhir.Systems.ReceiptDiseaseCode, "1")));
        Assert.Equal("病名交換用コード", PatientText.CodeSystem(L, PatientMapper.ToDiagnosisCode(JpFhir.Systems.MedisDiseaseExchangeCode, "1")));
        Assert.Equal("その他", PatientText.Category(L, AllergyCategory.Environment));
        Assert.Equal("薬剤", PatientText.Category(L, AllergyCategory.Medication));
    }
}

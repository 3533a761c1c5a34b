using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Documents;
using MedNetPortal.Web.Features.Letters.Mailbox;

namespace MedNetPortal.UnitTests.Fhir.Referrals;

public sealed class ReadReceiptsTests
{
    [Fact]
    public void A_receipt_names_the_letter_both_facilities_and_the_time()
    {
        var at = new DateTimeOffset(2026, 1, 10, 9, 0, 0, TimeSpan.FromHours(9));

        var receipt = ReadReceipts.Build("b1", "1310267898^2026^R-1", "1310123455", "みどり台総合病院", "1310267898", at);

        Assert.Equal(ReadReceipts.IdentifierSystem, receipt.Identifier.Single().System);
        Assert.Equal("1310267898^2026^R-1", receipt.Identifier.Single().Value);
        Assert.Equal(EventStatus.Completed, receipt.Status);
        Assert.Equal("letter-opened", receipt.Category.Single().Coding.Single().Code);
        Assert.Equal("urn:mednetportal:CodeSystem:communication-category", receipt.Category.Single().Coding.Single().System);
        Assert.Equal("Bundle/b1", receipt.About.Single().Reference);
        Assert.Equal(JpFhir.Systems.MedicalInstitutionCode, receipt.Sender!.Identifier!.System);
        Assert.Equal("1310123455", receipt.Sender.Identifier.Value);
        Assert.Equal("1310267898", receipt.Recipient.Single().Identifier!.Value);
        Assert.Equal("開封しました", ((FhirString)receipt.Payload.Single().Content!).Value);
        Assert.Equal(at, DateTimeOffset.Parse(receipt.Sent!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Identifier_values_are_escaped_for_search_and_encoded_for_if_none_exist()
    {
        Assert.Equal(
            @"urn:mednetportal:read-receipt|1^2026^a\,b,urn:mednetportal:read-receipt|1^2026^c\|d\$e\\f",
            ReadReceipts.IdentifierSearchValue(["1^2026^a,b", @"1^2026^c|d$e\f", "1^2026^a,b"]));
        Assert.Equal("identifier=urn:mednetportal:read-receipt|1310267898%5E2026%5E%E7%B4%B9%E4%BB%8B-1",
            ReadReceipts.IfNoneExist("1310267898^2026^紹介-1"));
    }

    [Fact]
    public void Routing_and_purpose_come_from_the_letter()
    {
        var letter = DemoLetters.All[0];
        var bundle = DemoLetters.ToDocument(letter);

        var routing = DocumentRouting.From(bundle);
        var view = DocumentMapper.Map(bundle, "b1")!;

        Assert.Equal(new DocumentRouting(letter.BundleIdentifier, letter.FromFacility.Code, letter.ToFacility.Code), routing);
        Assert.Equal(routing, view.Routing);
        Assert.Equal(letter.Purpose, ReferralMailboxService.Purpose(view));
    }
}

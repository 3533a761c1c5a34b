// Firely's model is nullable-annotated throughout; these tests assert presence explicitly instead.
#nullable disable warnings
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Hl7.Fhir.Model;
using MedNetPortal.Web.Features.Demo;

namespace MedNetPortal.UnitTests.Demo;

public sealed partial class DemoLetterTests
{
    [GeneratedRegex(@"^[0-4][0-9][1-3][0-9]{7}\^20[0-9]{2}\^[^\^]+$")]
    private static partial Regex BundleIdentifierFormat();

    public static TheoryData<string> LetterKeys()
    {
        var data = new TheoryData<string>();
        foreach (var letter in DemoLetters.All)
        {
            data.Add(letter.Key);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LetterKeys))]
    public void Every_letter_has_the_jp_clins_document_shape(string key)
    {
        var letter = DemoLetters.All.Single(l => l.Key == key);
        var bundle = DemoLetters.ToDocument(letter);

        Assert.Equal(Bundle.BundleType.Document, bundle.Type);
        Assert.Equal(DemoSystems.BundleReferralProfile, bundle.Meta.Profile.Single());
        Assert.Equal(DemoSystems.BundleIdentifier, bundle.Identifier.System);
        Assert.Matches(BundleIdentifierFormat(), bundle.Identifier.Value);
        Assert.StartsWith(letter.FromFacility.Code + "^" + letter.IssuedAt.Year, bundle.Identifier.Value, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromHours(9), bundle.Timestamp!.Value.Offset);
        var fullUrls = bundle.Entry.Select(e => e.FullUrl).ToList();
        Assert.All(fullUrls, u => Assert.Matches("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", u));
        Assert.Equal(fullUrls.Count, fullUrls.Distinct().Count());

        var composition = Assert.IsType<Composition>(bundle.Entry[0].Resource);
        Assert.Equal(DemoSystems.CompositionReferralProfile, composition.Meta.Profile.Single());
        Assert.Equal(CompositionStatus.Final, composition.Status);
        Assert.Equal((DemoSystems.DocTypeCodes, "57133-1"), (composition.Type.Coding.Single().System, composition.Type.Coding.Single().Code));
        Assert.Equal("診療情報提供書", composition.Title);
        Assert.IsType<FhirString>(composition.GetExtension(DemoSystems.VersionNumberExtension)?.Value);
        Assert.False(string.IsNullOrEmpty(composition.Event.Single().Period.Start));
        Assert.IsType<Patient>(Resolve(bundle, composition.Subject));
        Assert.Equal(["Practitioner", "Organization"], composition.Author.Select(a => Resolve(bundle, a).TypeName));
        var custodian = Assert.IsType<Organization>(Resolve(bundle, composition.Custodian));
        Assert.Equal(letter.FromFacility.Code, custodian.Identifier.Single().Value);

        var sections = composition.Section.ToDictionary(s => s.Code.Coding.Single().Code);
        Assert.True(sections.ContainsKey("920"));
        var destination = Assert.IsType<Organization>(Resolve(bundle, sections["910"].Entry[0]));
        Assert.Equal(letter.ToFacility.Code, destination.Identifier.Single().Value);
        Assert.Equal(letter.ToDepartment.Code, ((CodeableConcept)destination.GetExtension(DemoSystems.DepartmentExtension)!.Value).Coding.Single().Code);
        var structured = sections["300"].Section.ToDictionary(s => s.Code.Coding.Single().Code);
        Assert.Contains("950", structured.Keys);
        Assert.Contains("340", structured.Keys);
        Assert.Contains("360", structured.Keys);

        foreach (var section in composition.Section.Concat(sections["300"].Section).Where(s => s.Code.Coding.Single().Code != "300"))
        {
            Assert.Equal(DemoSystems.DocumentSection, section.Code.Coding.Single().System);
            var div = XElement.Parse(section.Text.Div);
            Assert.Equal(XName.Get("div", "http://www.w3.org/1999/xhtml"), div.Name);
            Assert.False(string.IsNullOrWhiteSpace(div.Value));
            Assert.All(section.Entry, e => Resolve(bundle, e));
        }
    }

    [Fact]
    public void Letters_include_text_only_and_structured_ones_between_several_facilities()
    {
        var textOnly = DemoLetters.All.Where(l => l.IsTextOnly).ToList();
        Assert.NotEmpty(textOnly);
        foreach (var letter in textOnly)
        {
            var composition = (Composition)DemoLetters.ToDocument(letter).Entry[0].Resource;
            Assert.All(composition.Section.Single(s => s.Code.Coding[0].Code == "300").Section, s => Assert.Empty(s.Entry));
        }

        Assert.Contains(textOnly, l => !l.FromFacility.HasEhr);
        var structured = DemoLetters.All.Where(l => !l.IsTextOnly).Select(DemoLetters.ToDocument).ToList();
        Assert.NotEmpty(structured);
        Assert.Contains(structured, b => b.Entry.Any(e => e.Resource is Condition) && b.Entry.Any(e => e.Resource is AllergyIntolerance) && b.Entry.Any(e => e.Resource is MedicationRequest));
        Assert.True(DemoLetters.All.Select(l => l.FromFacility.Key).Concat(DemoLetters.All.Select(l => l.ToFacilityKey)).Distinct().Count() >= 3);
        Assert.Equal(DemoLetters.All.Count, DemoLetters.All.Select(l => l.BundleIdentifier).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(LetterKeys))]
    public void Every_letter_is_built_by_the_referral_builder_and_passes_the_portal_validator(string key)
    {
        var letter = DemoLetters.All.Single(l => l.Key == key);
        var content = DemoLetters.ToContent(letter);

        var bundle = DemoLetters.ToDocument(letter);

        Assert.Empty(MedNetPortal.Fhir.Letters.ReferralDocumentValidator.Validate(content));
        Assert.Empty(MedNetPortal.Fhir.Letters.ReferralDocumentValidator.Validate(bundle, verifyCheckDigit: false));
        // The builder's own output, with the record's prescriptions and lab results added as entries of 430 and 620.
        var built = MedNetPortal.Fhir.Letters.ReferralDocumentBuilder.Build(content);
        Assert.Equal(built.Identifier.Value, bundle.Identifier.Value);
        Assert.Equal(letter.BundleIdentifier, bundle.Identifier.Value);
        Assert.Equal(built.Entry.Select(e => e.FullUrl), bundle.Entry.Take(built.Entry.Count).Select(e => e.FullUrl));
        Assert.Equal((letter.MedicationKeys?.Count ?? 0) + (letter.LabKeys?.Count ?? 0), bundle.Entry.Count - built.Entry.Count);
        // The letter names the patient by the identifier the record uses, so the record page finds it.
        var patient = Assert.IsType<Patient>(bundle.Entry[1].Resource);
        Assert.Equal(letter.Patient.QualificationIdentifier, patient.Identifier.Single().Value);
        var sender = Assert.IsType<Organization>(Resolve(bundle, ((Composition)bundle.Entry[0].Resource).Custodian));
        Assert.Equal(letter.FromFacility.Phone, sender.Telecom.Single().Value);
        Assert.DoesNotContain("&lt;br/&gt;", DemoTestSupport.ToJson(bundle), StringComparison.Ordinal);
    }

    [Fact]
    public void The_inbox_and_outbox_demos_have_letters_both_ways_between_the_clinic_and_the_hospital()
    {
        Assert.Contains(DemoLetters.All, l => l.FromFacility == DemoFacilities.Clinic && l.ToFacility == DemoFacilities.Hospital);
        Assert.Contains(DemoLetters.All, l => l.FromFacility == DemoFacilities.Hospital && l.ToFacility == DemoFacilities.Clinic);
    }

    [Fact]
    public void Demo_data_is_deterministic()
    {
        static string Serialize() => string.Join("\n", DemoLetters.BuildAll()
            .Concat(DemoTransactions.ForAllPatients())
            .Prepend(DemoTransactions.Facilities())
            .Select(DemoTestSupport.ToJson));

        var first = Serialize();
        var second = Serialize();

        Assert.Equal(first, second);
        Assert.Contains("+09:00", first, StringComparison.Ordinal);
    }

    private static Resource Resolve(Bundle bundle, ResourceReference reference)
    {
        var entry = bundle.Entry.SingleOrDefault(e => e.FullUrl == reference.Reference);
        Assert.True(entry is not null, $"unresolved reference {reference.Reference}");
        return entry.Resource;
    }
}

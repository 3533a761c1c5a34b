// Tests walk Firely models whose elements are all nullable; a missing element fails the test with an exception anyway.
#nullable disable warnings

using System.Text;
using System.Xml.Linq;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;

namespace MedNetPortal.UnitTests.Fhir.Referrals;

public sealed class ReferralDocumentBuilderTests
{
    [Theory]
    [InlineData("p-1", "06130010:練馬:１２３４５:", "06130010:練馬:１２３４５:")]
    [InlineData(null, "06130010:練馬:１２３４５:", "06130010:練馬:12345:")]
    public void A_base_patient_keeps_the_base_identifier_exactly_and_a_typed_one_is_canonical(string? basePatientId, string memberId, string expected)
    {
        var content = ReferralTestData.Full() with
        {
            Patient = ReferralTestData.Full().Patient with { MemberId = memberId, BasePatientId = basePatientId },
        };

        var patient = ReferralDocumentBuilder.Build(content).Entry.Select(e => e.Resource).OfType<Patient>().Single();

        Assert.Equal(expected, Assert.Single(patient.Identifier).Value);
    }

    [Fact]
    public void Built_letter_passes_the_validator_including_the_check_digit()
    {
        var content = ReferralTestData.Full();

        Assert.Empty(ReferralDocumentValidator.Validate(content));
        Assert.Empty(ReferralDocumentValidator.Validate(ReferralDocumentBuilder.Build(content), verifyCheckDigit: true));
        Assert.Empty(ReferralDocumentValidator.Validate(ReferralDocumentBuilder.Build(ReferralTestData.Minimal()), verifyCheckDigit: true));
    }

    [Fact]
    public void Shape_equals_the_official_text_only_example()
    {
        var official = DocumentShape.Of(ReferralTestData.LoadExample(ReferralTestData.TextOnlyExample));
        var built = DocumentShape.Of(ReferralDocumentBuilder.Build(ReferralTestData.Full()));

        Assert.Equal(official.Facts, built.Facts);
        Assert.Equal(official.TopSections, built.TopSections);
        Assert.Equal(official.EntryTypes, built.EntryTypes);

        // The official letter has sections the form does not ask for (550, 610, 520) and lacks 620: the sections both
        // have must come in the same order, and the built letter adds only 620 (検査結果, last).
        var common = built.StructuredSections.Intersect(official.StructuredSections).ToList();
        Assert.Equal(official.StructuredSections.Where(common.Contains), built.StructuredSections.Where(common.Contains));
        Assert.Equal(
            ["950", "340", "360", "370", "510", "330", "430", "620"],
            built.StructuredSections.Select(s => s.Split('#')[1]));
        Assert.Equal([JpFhir.Systems.DocumentSection + "#620"], built.StructuredSections.Except(official.StructuredSections));
    }

    [Fact]
    public void Empty_optional_sections_are_omitted_and_required_ones_kept()
    {
        var shape = DocumentShape.Of(ReferralDocumentBuilder.Build(ReferralTestData.Minimal()));

        Assert.Equal(["950", "340", "360"], shape.StructuredSections.Select(s => s.Split('#')[1]));
        Assert.Equal(["920", "910", "300"], shape.TopSections.Select(s => s.Split('#')[1]));
        Assert.Equal(["Composition", "Patient", "Practitioner", "Organization", "Organization"], shape.EntryTypes);
    }

    [Fact]
    public void Identifier_timestamp_and_organisations_follow_JP_CLINS()
    {
        var content = ReferralTestData.Full() with { IssuedAt = new DateTimeOffset(2025, 12, 31, 16, 0, 0, TimeSpan.Zero) };
        var bundle = ReferralDocumentBuilder.Build(content);

        // 16:00 UTC on 31 December is already 2026 in Japan: the year and the written offset are Japan's.
        Assert.Equal("1319876543^2026^R2025-0001", bundle.Identifier.Value);
        Assert.Equal(JpFhir.Systems.BundleIdentifier, bundle.Identifier.System);
        Assert.Equal(TimeSpan.FromHours(9), bundle.Timestamp!.Value.Offset);
        Assert.Contains("\"timestamp\":\"2026-01-01T01:00:00+09:00\"", FhirJson.Serialize(bundle), StringComparison.Ordinal);
        var composition = (Composition)bundle.Entry[0].Resource;
        Assert.Equal("2026-01-01", composition.Event[0].Period.Start);
        Assert.Equal("1.0", ((FhirString)composition.GetExtension(JpFhir.Extensions.DocumentVersionNumber).Value).Value);

        var destination = bundle.Entry.Select(e => e.Resource).OfType<Organization>().Single(o => o.Identifier[0].Value == ReferralTestData.DestinationCode);
        var department = (CodeableConcept)destination.GetExtension(JpFhir.Extensions.Department).Value;
        Assert.Equal((JpFhir.Systems.ClinicalDepartment, "081"), (department.Coding[0].System, department.Coding[0].Code));
        var patient = bundle.Entry.Select(e => e.Resource).OfType<Patient>().Single();
        Assert.Equal("00131045:あいう:187:05", patient.Identifier.Single().Value);
        Assert.Equal(["IDE", "SYL"], patient.Name.Select(n => ((Code)n.GetExtension(JpFhir.Extensions.NameRepresentation).Value).Value));
    }

    [Fact]
    public void Build_is_deterministic_and_the_local_id_changes_every_urn()
    {
        var first = FhirJson.Serialize(ReferralDocumentBuilder.Build(ReferralTestData.Full()));
        var second = FhirJson.Serialize(ReferralDocumentBuilder.Build(ReferralTestData.Full()));
        var other = ReferralDocumentBuilder.Build(ReferralTestData.Full() with { LocalId = "R2025-0002" });

        Assert.Equal(first, second);
        var firstUrls = FhirJson.Deserialize<Bundle>(first).Entry.Select(e => e.FullUrl).ToList();
        Assert.Equal(firstUrls.Count, firstUrls.Distinct().Count());
        Assert.Empty(firstUrls.Intersect(other.Entry.Select(e => e.FullUrl)));
    }

    [Fact]
    public void Serialises_with_the_shared_options_and_round_trips()
    {
        var content = ReferralTestData.Full() with
        {
            DiagnosisCopies = [new SharedResourceCopy(ReferralTestData.Fixture("Condition-Example-JP-Condition-eCS-01.json"))],
            AllergyCopies = [new SharedResourceCopy(ReferralTestData.Fixture("AllergyIntolerance-Example-JP-AllergyIntolerance-eCS-01.json"))],
        };
        var json = FhirJson.Serialize(ReferralDocumentBuilder.Build(content));
        var parsed = FhirJson.Deserialize<Bundle>(json);

        Assert.Equal(json, FhirJson.Serialize(parsed));
        Assert.Empty(ReferralDocumentValidator.Validate(parsed, verifyCheckDigit: true));
    }

    [Fact]
    public void Shared_copies_become_entries_of_their_sections_with_the_letters_patient()
    {
        var content = ReferralTestData.Full() with
        {
            DiagnosisCopies = [new SharedResourceCopy(ReferralTestData.Fixture("Condition-Example-JP-Condition-eCS-01.json"))],
            AllergyCopies = [new SharedResourceCopy(ReferralTestData.Fixture("AllergyIntolerance-Example-JP-AllergyIntolerance-eCS-01.json"))],
        };
        var bundle = ReferralDocumentBuilder.Build(content);
        var patientUrn = bundle.Entry.Single(e => e.Resource is Patient).FullUrl;
        var structured = ((Composition)bundle.Entry[0].Resource).Section.Single(s => s.Code.Coding[0].Code == "300");
        string UrnOf<T>() => bundle.Entry.Single(e => e.Resource is T).FullUrl;

        Assert.Equal([UrnOf<Condition>()], structured.Section.Single(s => s.Code.Coding[0].Code == "340").Entry.Select(r => r.Reference));
        Assert.Equal([UrnOf<AllergyIntolerance>()], structured.Section.Single(s => s.Code.Coding[0].Code == "510").Entry.Select(r => r.Reference));
        Assert.Equal(patientUrn, bundle.Entry.Select(e => e.Resource).OfType<Condition>().Single().Subject.Reference);
        Assert.Equal(patientUrn, bundle.Entry.Select(e => e.Resource).OfType<AllergyIntolerance>().Single().Patient.Reference);
        Assert.Equal("十二指腸潰瘍・H1期", bundle.Entry.Select(e => e.Resource).OfType<Condition>().Single().Code.Text);
    }

    public static TheoryData<string> HostileTexts => new()
    {
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "</div><div onclick=\"x()\">",
        "<![CDATA[ ]]> <!-- c --> <?pi x?>",
        "&amp;lt; &#60; &nbsp;",
        "a\u0000b\u0001c\uFFFF\uD800d",
        "\"' <br/> <br> <b>bold</b>",
    };

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public void Hostile_text_is_escaped_into_the_narrative(string hostile)
    {
        var content = ReferralTestData.Full() with { Purpose = "前\n" + hostile + "\r\n後", Remarks = hostile };
        var bundle = ReferralDocumentBuilder.Build(content);
        var sections = Flatten(((Composition)bundle.Entry[0].Resource).Section).Where(s => s.Text is not null).ToList();

        foreach (var section in sections)
        {
            var div = XElement.Parse(section.Text.Div);
            Assert.All(div.DescendantsAndSelf(), e => Assert.Contains(e.Name.LocalName, new[] { "div", "br" }));
            Assert.All(div.DescendantsAndSelf(), e => Assert.True(e.Name.LocalName != "div" || e == div));
            Assert.Empty(div.Descendants().SelectMany(e => e.Attributes()));
        }

        var purpose = XElement.Parse(sections.Single(s => s.Code.Coding[0].Code == "950").Text.Div);
        var visible = string.Concat(purpose.Nodes().Select(n => n is XText t ? t.Value : "\n"));
        var expected = new string(hostile.Where(c => c == '\t' || (c >= ' ' && !char.IsSurrogate(c) && c != '\uFFFF')).ToArray()).Trim();
        Assert.Equal("前\n" + expected + "\n後", visible);
        Assert.Empty(ReferralDocumentValidator.Validate(FhirJson.Deserialize<Bundle>(FhirJson.Serialize(bundle))));
    }

    [Fact]
    public void Long_letter_with_20_diagnoses_builds_validates_and_stays_under_10_MB()
    {
        var condition = ReferralTestData.Fixture("Condition-Example-JP-Condition-eCS-01.json");
        var history = string.Concat(Enumerable.Repeat("高血圧症で加療中。<&>\n", 10_000 / 13 + 1))[..10_000];
        var content = ReferralTestData.Full() with
        {
            PastAndFamilyHistory = history,
            PresentIllness = history,
            Diagnoses = string.Join("\n", Enumerable.Range(1, 20).Select(i => $"傷病名{i}")),
            DiagnosisCopies = [.. Enumerable.Range(1, 20).Select(i => new SharedResourceCopy(condition.Replace("十二指腸潰瘍・H1期", $"傷病名{i}", StringComparison.Ordinal)))],
        };

        Assert.Empty(ReferralDocumentValidator.Validate(content));
        var bundle = ReferralDocumentBuilder.Build(content);
        Assert.Empty(ReferralDocumentValidator.Validate(bundle, verifyCheckDigit: true));
        var bytes = Encoding.UTF8.GetByteCount(FhirJson.Serialize(bundle));
        Assert.InRange(bytes, 20_000, ReferralDocumentValidator.MaxSerializedBytes);
        Assert.Equal(20, bundle.Entry.Count(e => e.Resource is Condition));
        var pastHistory = Flatten(((Composition)bundle.Entry[0].Resource).Section).Single(s => s.Code.Coding[0].Code == "370");
        Assert.Equal(history.Count(c => c == '\n'), XElement.Parse(pastHistory.Text.Div).Elements("{http://www.w3.org/1999/xhtml}br").Count()
            + (history.EndsWith('\n') ? 1 : 0));
    }

    private static IEnumerable<Composition.SectionComponent> Flatten(IEnumerable<Composition.SectionComponent> sections) =>
        sections.SelectMany(s => Flatten(s.Section).Prepend(s));
}

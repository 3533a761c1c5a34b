// Firely's model is nullable-annotated throughout; these tests assert presence explicitly instead.
#nullable disable warnings
using System.Collections;
using System.Globalization;
using System.Resources;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Documents;
using MedNetPortal.Web.Resources;

namespace MedNetPortal.UnitTests.Documents;

public sealed class DocumentMapperTests
{
    private static readonly string[] ReferralOrder = ["920", "910", "300", "950", "340", "360", "370", "510", "550", "610", "520", "330"];

    public static TheoryData<string> FixtureLetters() =>
        new(Directory.EnumerateFiles(FixtureFolder(), "Bundle-*.json")
            .Select(Path.GetFileName)
            .Where(f => f!.Contains("Referral", StringComparison.Ordinal) || f.Contains("eCheckupReport", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)!);

    public static TheoryData<string> DemoLetterKeys() => new(DemoLetters.All.Select(l => l.Key));

    [Theory]
    [MemberData(nameof(FixtureLetters))]
    public void Every_fixture_letter_maps_with_every_section_and_every_entry_resolved(string file)
    {
        var bundle = Load(file);
        var document = DocumentMapper.Map(bundle, "doc-1");

        Assert.NotNull(document);
        var composition = (Composition)bundle.Entry[0].Resource;
        Assert.Equal(CountSections(composition.Section), document.AllSections.Count());
        Assert.Equal(FlattenTitles(composition.Section), document.AllSections.Select(s => s.Title));
        Assert.DoesNotContain(document.AllSections.SelectMany(s => s.Entries), e => e.Kind == EntryKind.Unresolved);
        Assert.NotNull(document.Patient?.NameKanji);
        Assert.NotNull(document.Date);
        AssertResourceKeysExist(document);
    }

    [Fact]
    public void The_referral_example_maps_header_sections_in_order_and_entries()
    {
        var document = DocumentMapper.Map(Load("Bundle-Bundle-CLINS-Referral-Example-01.json"), "r1")!;

        Assert.Equal(DocumentKind.ReferralLetter, document.Kind);
        Assert.Equal("57133-1", document.TypeCode);
        Assert.Equal("診療情報提供書", document.Title);
        Assert.Equal("2020-08-21T12:12:20+09:00", document.Date);
        Assert.Equal("1.0", document.Version);
        Assert.Equal("大河内 勘三郎", document.Author.Doctor);
        Assert.Equal(new DocumentPatient("牧野 爛漫", "マキノ ランマン", document.Patient!.BirthDate, "female"), document.Patient);
        Assert.Equal("大河内 勘三郎", document.Sender!.Doctor);
        Assert.Equal("野口 英世丸", document.Destination!.Doctor);
        Assert.NotNull(document.Destination.Organization);
        Assert.Equal("循環器内科", document.Destination.Department);
        Assert.Equal(ReferralOrder, document.AllSections.Select(s => s.Code));
        Assert.Equal(["950", "340", "360", "370", "510", "550", "610", "520", "330"], document.Sections[2].Sections.Select(s => s.Code));

        var diagnoses = document.AllSections.Single(s => s.Code == "340").Entries;
        Assert.Equal(2, diagnoses.Count);
        Assert.All(diagnoses, e => Assert.Equal(EntryKind.Condition, e.Kind));
        Assert.All(diagnoses, e => Assert.False(string.IsNullOrEmpty(e.Text)));
        var allergies = document.AllSections.Single(s => s.Code == "510").Entries;
        Assert.Equal(3, allergies.Count);
        Assert.All(allergies, e => Assert.Equal(EntryKind.Allergy, e.Kind));
        var attachment = document.AllSections.Single(s => s.Code == "330").Entries.Single();
        Assert.Equal(EntryKind.Attachment, attachment.Kind);
        Assert.Contains(attachment.Facts, f => f.LabelKey == "Documents.Fact.ContentType" && f.Value == "application/pdf");
        Assert.Equal(EntryKind.Encounter, document.AllSections.Single(s => s.Code == "950").Entries.Single().Kind);
        Assert.Equal("<div>港診療所</div>", document.Sections[0].NarrativeHtml);
    }

    [Fact]
    public void The_older_eReferral_section_system_maps_sender_and_destination_too()
    {
        var document = DocumentMapper.Map(Load("Bundle-BundleReferralExample01.json"), "r2")!;

        Assert.Equal(ReferralOrder, document.AllSections.Select(s => s.Code));
        Assert.NotNull(document.Sender?.Organization);
        Assert.NotNull(document.Destination?.Organization);
    }

    [Fact]
    public void The_health_check_report_is_recognised_and_its_observations_summarised()
    {
        var document = DocumentMapper.Map(Load("Bundle-Bundle-eCheckupReport-Sample-01.json"), "c1")!;

        Assert.Equal(DocumentKind.HealthCheckReport, document.Kind);
        Assert.Null(document.Sender);
        // A check-up's Observations are its results table, not entries.
        Assert.DoesNotContain(document.AllSections.SelectMany(s => s.Entries), e => e.Kind == EntryKind.Observation);
        Assert.Equal([22, 22], document.Sections.Select(s => s.Results.Count));
        Assert.Equal("特定健診", document.Category);
        Assert.Null(document.Stay);
        var hba1c = document.Sections[0].Results.Single(r => r.Code == "3D046000001906202");
        Assert.Equal(new ResultRow("ＨｂＡ１ｃ（ＮＧＳＰ）", "3D046000001906202", "7", "%", "4.3–5.8", "H"), hba1c);
        var waist = document.Sections[0].Results.Single(r => r.Item == "腹囲");
        Assert.Null(waist.Range);
        Assert.Null(waist.Flag);
    }

    [Fact]
    public void A_checkup_result_without_a_written_flag_is_flagged_from_its_range()
    {
        var bundle = MedNetPortal.Web.Features.Demo.DemoDocuments.CheckupReport();
        var creatinine = bundle.Entry.Select(e => e.Resource).OfType<Observation>().Single(o => o.Code.Coding[0].Code == "3C015000002327101");
        creatinine.Interpretation.Clear();
        var bmi = bundle.Entry.Select(e => e.Resource).OfType<Observation>().Single(o => o.Code.Coding[0].Code == "9N011000000000001");
        bmi.Interpretation.Clear();
        bmi.Value = new Quantity(17.9m, "kg/m2");

        var rows = DocumentMapper.Map(bundle, "c1")!.Sections[0].Results;

        Assert.Equal("H", rows.Single(r => r.Code == "3C015000002327101").Flag);
        Assert.Equal("L", rows.Single(r => r.Code == "9N011000000000001").Flag);
        Assert.Equal("N", rows.Single(r => r.Code == "3F070000002327101").Flag);
    }

    [Fact]
    public void A_discharge_summary_names_its_stay_from_its_encounter()
    {
        var document = DocumentMapper.Map(MedNetPortal.Web.Features.Demo.DemoDocuments.DischargeSummary(), "d1")!;

        Assert.Equal(DocumentKind.DischargeSummary, document.Kind);
        Assert.Equal(new DocumentStay("2025-02-03", "2025-02-21"), document.Stay);
        Assert.Equal("退院時文書", document.Category);
        Assert.All(document.AllSections, s => Assert.Empty(s.Results));
    }

    [Theory]
    [MemberData(nameof(DemoLetterKeys))]
    public void Every_demo_letter_maps_with_its_sections_in_order_and_entries_resolved(string key)
    {
        var letter = DemoLetters.All.Single(l => l.Key == key);
        var bundle = DemoLetters.ToDocument(letter);

        var document = DocumentMapper.Map(bundle, key)!;

        var composition = (Composition)bundle.Entry[0].Resource;
        Assert.Equal(FlattenTitles(composition.Section), document.AllSections.Select(s => s.Title));
        Assert.Equal(["920", "910", "300", "950", "340", "360"], document.AllSections.Select(s => s.Code).Take(6));
        Assert.Equal(letter.Patient.NameKanji, document.Patient!.NameKanji);
        Assert.Equal(letter.FromDoctor.NameKanji, document.Author.Doctor);
        Assert.Equal(letter.FromFacility.Name, document.Sender!.Organization);
        Assert.Equal(letter.ToFacility.Name, document.Destination!.Organization);
        Assert.Equal(letter.ToDepartment.Name, document.Destination.Department);
        var entries = document.AllSections.SelectMany(s => s.Entries).ToList();
        Assert.DoesNotContain(entries, e => e.Kind == EntryKind.Unresolved);
        Assert.Equal(letter.DiagnosisKeys?.Count ?? 0, document.AllSections.Single(s => s.Code == "340").Entries.Count(e => e.Kind == EntryKind.Condition));
        Assert.Equal(letter.MedicationKeys?.Count ?? 0, entries.Count(e => e.Kind == EntryKind.Medication));
        Assert.All(entries.Where(e => e.Kind == EntryKind.Medication), e => Assert.Contains(e.Facts, f => f.LabelKey == "Documents.Fact.Dosage"));
        Assert.Contains(letter.Purpose, document.AllSections.Single(s => s.Code == "950").NarrativeHtml, StringComparison.Ordinal);
        AssertResourceKeysExist(document);
    }

    [Theory]
    [MemberData(nameof(DemoLetterKeys))]
    public void The_sender_carries_the_facility_address_with_postcode_and_phone(string key)
    {
        var letter = DemoLetters.All.Single(l => l.Key == key);

        var document = DocumentMapper.Map(DemoLetters.ToDocument(letter), key)!;

        Assert.Equal($"〒{letter.FromFacility.PostalCode} {letter.FromFacility.AddressText}", document.Sender!.Address);
        Assert.Equal(letter.FromFacility.Phone, document.Sender.Phone);
        Assert.Equal(letter.FromDoctor.NameKanji, document.Sender.Doctor);
        Assert.Equal(letter.FromDoctor.Department.Name, document.Sender.Department);
        Assert.Null(document.Destination!.Phone); // the builder writes no contact details for the destination
    }

    [Theory]
    [InlineData("東京都練馬区1-2", "176-0099", null, null, "〒176-0099 東京都練馬区1-2")]
    [InlineData("〒176-0099 東京都練馬区1-2", "176-0099", null, null, "〒176-0099 東京都練馬区1-2")]
    [InlineData(null, "220-0099", "神奈川県", "横浜市西区", "〒220-0099 神奈川県横浜市西区はまかぜ町9番10号")]
    [InlineData(null, null, "神奈川県", "横浜市西区", "神奈川県横浜市西区はまかぜ町9番10号")]
    [InlineData(null, "220-0099", null, null, "〒220-0099 はまかぜ町9番10号")]
    public void An_organisation_address_becomes_one_line_led_by_its_postcode(string? text, string? postalCode, string? state, string? city, string expected)
    {
        var organization = new Organization
        {
            Name = "試験病院",
            Address = [new Address { Text = text, PostalCode = postalCode, State = state, City = city, Line = text is null ? ["はまかぜ町9番10号"] : [] }],
            Telecom =
            [
                new ContactPoint(ContactPoint.ContactPointSystem.Email, null, "x@example.jp"),
                new ContactPoint(ContactPoint.ContactPointSystem.Phone, null, "045-555-0400"),
            ],
        };
        var bundle = new Bundle { Type = Bundle.BundleType.Document };
        var composition = new Composition { Title = "t", Status = CompositionStatus.Final };
        composition.Section.Add(new Composition.SectionComponent
        {
            Code = new CodeableConcept(JpFhir.Systems.DocumentSection, "920"),
            Entry = [new ResourceReference("urn:uuid:00000000-0000-0000-0000-000000000001")],
        });
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = "urn:uuid:00000000-0000-0000-0000-000000000002", Resource = composition });
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = "urn:uuid:00000000-0000-0000-0000-000000000001", Resource = organization });

        var sender = DocumentMapper.Map(bundle, "d")!.Sender!;

        Assert.Equal(expected, sender.Address);
        Assert.Equal("045-555-0400", sender.Phone);
        Assert.False(sender.IsEmpty);
        Assert.True(new DocumentParty(null, null, null).IsEmpty);
        Assert.False(new DocumentParty(null, null, null, Phone: "03").IsEmpty);
    }

    [Fact]
    public void Relative_references_resolve_and_missing_ones_are_marked_unresolved()
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Document };
        var composition = new Composition
        {
            Title = "t",
            Subject = new ResourceReference("Patient/p1"),
            Section =
            [
                new Composition.SectionComponent
                {
                    Title = "s",
                    Entry = [new ResourceReference("Condition/c1"), new ResourceReference("https://base.example/fhir/Condition/c1/_history/2"), new ResourceReference("urn:uuid:missing") { Display = "gone" }],
                },
            ],
        };
        bundle.Entry.Add(new Bundle.EntryComponent { Resource = composition });
        bundle.Entry.Add(new Bundle.EntryComponent { Resource = new Patient { Id = "p1", Name = [new HumanName { Text = "山田 花子" }] } });
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            Resource = new Condition
            {
                Id = "c1",
                Code = new CodeableConcept { Text = "狭心症" },
                Meta = new Meta { Tag = [new Coding(JpFhir.Systems.EhrShareIndication, JpFhir.Tags.Uninformed)] },
                VerificationStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "unconfirmed"),
            },
        });

        var document = DocumentMapper.Map(bundle, "x")!;

        var entries = document.Sections[0].Entries;
        Assert.Equal("山田 花子", document.Patient!.NameKanji);
        Assert.Equal([EntryKind.Condition, EntryKind.Condition, EntryKind.Unresolved], entries.Select(e => e.Kind));
        Assert.Equal("狭心症", entries[0].Text);
        Assert.Equal(JpFhir.Tags.Uninformed, entries[0].Indication);
        Assert.Contains(entries[0].Facts, f => f.Value == "Documents.Code.unconfirmed" && f.Localize);
        Assert.Equal("gone", entries[2].Text);
    }

    [Fact]
    public void A_bundle_without_a_composition_is_not_a_document()
    {
        Assert.Null(DocumentMapper.Map(new Bundle { Type = Bundle.BundleType.Document }, "x"));
    }

    private static void AssertResourceKeysExist(DocumentView document)
    {
        var manager = new ResourceManager(typeof(SharedResource).FullName!, typeof(SharedResource).Assembly);
        var keys = manager.GetResourceSet(CultureInfo.InvariantCulture, true, false)!.Cast<DictionaryEntry>().Select(e => (string)e.Key).ToHashSet();
        foreach (var entry in document.AllSections.SelectMany(s => s.Entries))
        {
            Assert.Contains("Documents.EntryKind." + entry.Kind, keys);
            foreach (var fact in entry.Facts)
            {
                Assert.Contains(fact.LabelKey, keys);
                if (fact.Localize)
                {
                    Assert.Contains(fact.Value, keys);
                }
            }
        }

        if (document.Patient?.Sex is { } sex)
        {
            Assert.Contains("Documents.Sex." + sex, keys);
        }
    }

    private static int CountSections(IEnumerable<Composition.SectionComponent> sections) => sections.Sum(s => 1 + CountSections(s.Section));

    private static IEnumerable<string> FlattenTitles(IEnumerable<Composition.SectionComponent> sections) =>
        sections.SelectMany(s => FlattenTitles(s.Section).Prepend(s.Title));

    private static Bundle Load(string file) => MedNetPortal.Fhir.FhirJson.Deserialize<Bundle>(File.ReadAllText(Path.Combine(FixtureFolder(), file)));

    private static string FixtureFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MedNetPortal.sln")))
            {
                return Path.Combine(dir.FullName, "tests", "MedNetPortal.IntegrationTests", "TestData", "jp-clins");
            }
        }

        throw new InvalidOperationException("MedNetPortal.sln not found");
    }
}

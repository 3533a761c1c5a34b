// Tests walk Firely models whose elements are all nullable; a missing element fails the test with an exception anyway.
#nullable disable warnings

using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Conformance;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.UnitTests.Fhir.Referrals;
using MedNetPortal.Web.Features.Demo;
using Task = System.Threading.Tasks.Task;

namespace MedNetPortal.UnitTests.Fhir.Conformance;

/// <summary>What does not need the packages: FHIRPath → form field, message parsing, the builder's shape, package lookup.</summary>
public sealed class ProfileMappingTests
{
    private static readonly Bundle Letter = DemoLetters.ToDocument(DemoLetters.All.Single(l => l.Key == "hospital-to-clinic-sato"));

    private static int EntryOf<T>()
        where T : Resource => Letter.Entry.FindIndex(e => e.Resource is T);

    private static string SectionPath(string code)
    {
        var sections = ((Composition)Letter.Entry[0].Resource).Section;
        for (var i = 0; i < sections.Count; i++)
        {
            if (sections[i].Code.Coding[0].Code == code)
            {
                return $"Bundle.entry[0].resource[0].section[{i}]";
            }

            for (var j = 0; j < sections[i].Section.Count; j++)
            {
                if (sections[i].Section[j].Code.Coding[0].Code == code)
                {
                    return $"Bundle.entry[0].resource[0].section[{i}].section[{j}]";
                }
            }
        }

        throw new InvalidOperationException(code);
    }

    [Theory]
    [InlineData(JpFhir.Sections.Purpose, ReferralField.Purpose)]
    [InlineData(JpFhir.Sections.Diagnoses, ReferralField.Diagnoses)]
    [InlineData(JpFhir.Sections.PresentIllness, ReferralField.PresentIllness)]
    [InlineData(JpFhir.Sections.PastHistory, ReferralField.PastAndFamilyHistory)]
    [InlineData(JpFhir.Sections.Medications, ReferralField.CurrentMedication)]
    [InlineData(JpFhir.Sections.TestResults, ReferralField.TestResults)]
    [InlineData(JpFhir.Sections.ClinicalCourse, ReferralField.ClinicalCourse)]
    [InlineData(JpFhir.Sections.Remarks, ReferralField.Remarks)]
    [InlineData(JpFhir.Sections.Sender, ReferralField.SenderFacility)]
    [InlineData(JpFhir.Sections.Destination, ReferralField.Destination)]
    public void A_section_path_maps_to_the_field_of_its_section(string code, ReferralField field) =>
        Assert.Equal(field, ReferralProfileProblems.FieldFor(Letter, SectionPath(code) + ".title[0]"));

    [Fact]
    public void Entry_paths_map_to_the_field_their_resource_comes_from()
    {
        Assert.Equal(ReferralField.Category, ReferralProfileProblems.FieldFor(Letter, "Bundle.entry[0].resource[0].category[0]"));
        Assert.Equal(ReferralField.Version, ReferralProfileProblems.FieldFor(Letter, "Bundle.entry[0].resource[0].extension[0]"));
        Assert.Equal(ReferralField.Patient, ReferralProfileProblems.FieldFor(Letter, $"Bundle.entry[{EntryOf<Patient>()}].resource[0].name[0]"));
        Assert.Equal(ReferralField.PatientAddress, ReferralProfileProblems.FieldFor(Letter, $"Bundle.entry[{EntryOf<Patient>()}].resource.address"));
        Assert.Equal(ReferralField.Diagnoses, ReferralProfileProblems.FieldFor(Letter, $"Bundle.entry[{EntryOf<Condition>()}].resource[0].code[0].coding[0]"));
        Assert.Equal(ReferralField.Allergies, ReferralProfileProblems.FieldFor(Letter, $"Bundle.entry[{EntryOf<AllergyIntolerance>()}].resource[0].code[0]"));
        Assert.Equal(ReferralField.CurrentMedication, ReferralProfileProblems.FieldFor(Letter, $"Bundle.entry[{EntryOf<MedicationRequest>()}].resource[0].status[0]"));
        Assert.Equal(ReferralField.TestResults, ReferralProfileProblems.FieldFor(Letter, $"Bundle.entry[{EntryOf<Observation>()}].resource[0]"));
        Assert.Equal(ReferralField.IssuedAt, ReferralProfileProblems.FieldFor(Letter, "Bundle.timestamp[0]"));
        Assert.Equal(ReferralField.Document, ReferralProfileProblems.FieldFor(Letter, "Bundle.meta[0]"));
        Assert.Equal(ReferralField.Document, ReferralProfileProblems.FieldFor(Letter, "Bundle.entry[99].resource[0]"));
    }

    [Fact]
    public void Organisations_and_doctors_map_to_the_sender_or_the_destination_by_their_section()
    {
        var composition = (Composition)Letter.Entry[0].Resource;
        string Of(string code, string type) => composition.Section.Single(s => s.Code.Coding[0].Code == code).Entry.Single(e => e.Type == type).Reference;
        string PathOf(string fullUrl) => $"Bundle.entry[{Letter.Entry.FindIndex(e => e.FullUrl == fullUrl)}].resource[0].identifier[0]";

        Assert.Equal(ReferralField.SenderFacility, ReferralProfileProblems.FieldFor(Letter, PathOf(Of(JpFhir.Sections.Sender, "Organization"))));
        Assert.Equal(ReferralField.Destination, ReferralProfileProblems.FieldFor(Letter, PathOf(Of(JpFhir.Sections.Destination, "Organization"))));
        Assert.Equal(ReferralField.SenderDoctor, ReferralProfileProblems.FieldFor(Letter, PathOf(Of(JpFhir.Sections.Sender, "Practitioner"))));
        Assert.Equal(ReferralField.DestinationDoctor, ReferralProfileProblems.FieldFor(Letter, PathOf(Of(JpFhir.Sections.Destination, "Practitioner"))));
    }

    [Theory]
    [InlineData("Missing required member: 'address'", ProfileFindingKind.MissingElement, "address")]
    [InlineData("No elements matched required slice: 'coding:medisRecordNo'", ProfileFindingKind.MissingSlice, "coding:medisRecordNo")]
    [InlineData("Value 'active' does not match pattern 'completed'", ProfileFindingKind.WrongValue, "completed")]
    [InlineData("Value 'x' is not exactly equal to fixed value 'http://a' (for slice s)", ProfileFindingKind.WrongValue, "http://a")]
    [InlineData("Instance failed constraint dom-3 \"If the resource is contained…\"", ProfileFindingKind.Rule, "dom-3")]
    [InlineData("Instance count at element 'identifier' is 1, which is not within the specified cardinality of 2..*", ProfileFindingKind.Cardinality, "identifier")]
    [InlineData("Code '57133-1' from system 'x' does not exist in the value set 'y'", ProfileFindingKind.Code, "")]
    [InlineData("Something new", ProfileFindingKind.Other, "")]
    public void Validator_messages_are_read_into_a_kind_and_a_subject(string message, ProfileFindingKind kind, string subject)
    {
        var finding = ReferralProfileProblems.Describe(message);

        Assert.Equal(new ProfileFinding(kind, subject, message), finding);
    }

    [Fact]
    public void An_error_at_the_parent_of_a_missing_element_maps_to_the_element_and_bundle_slice_echoes_are_dropped()
    {
        var patient = $"Bundle.entry[{EntryOf<Patient>()}].resource[0]";
        var report = new ProfileValidationReport(true,
        [
            new(ProfileIssueSeverity.Error, "Missing required member: 'address'", patient, "invalid"),
            new(ProfileIssueSeverity.Error, "No elements matched required slice: 'entry:patient'", "Bundle", "invalid"),
            new(ProfileIssueSeverity.Warning, "Terminology service failed", patient + ".name[0]", "informational"),
        ]);

        var problem = Assert.Single(ReferralProfileProblems.From(Letter, report));

        Assert.Equal(ReferralField.PatientAddress, problem.Field);
        Assert.Equal($"Bundle.entry[{EntryOf<Patient>()}].resource", problem.Path);
    }

    [Fact]
    public void The_builder_writes_what_the_profiles_require_without_the_packages()
    {
        var content = ReferralTestData.Full() with { FamilyHistory = "母 胃がん", Category = "DISCHARGE" };

        var bundle = ReferralDocumentBuilder.Build(content);
        var composition = (Composition)bundle.Entry[0].Resource;
        var sections = composition.Section.SelectMany(s => s.Section.Prepend(s)).ToList();

        Assert.Equal(("http://jpfhir.jp/fhir/Common/CodeSystem/doc-subtypecodes", "DISCHARGE", "退院時文書"),
            (composition.Category.Single().Coding.Single().System, composition.Category[0].Coding[0].Code, composition.Category[0].Coding[0].Display));
        Assert.NotNull(bundle.Meta.LastUpdated);
        Assert.All(bundle.Entry, e => Assert.NotNull(e.Resource.Meta.LastUpdated));
        Assert.Equal("〒131-0045 東京都墨田区押上１−１−２", bundle.Entry.Select(e => e.Resource).OfType<Patient>().Single().Address.Single().Text);
        Assert.Equal("既往歴", sections.Single(s => s.Code.Coding[0].Code == JpFhir.Sections.PastHistory).Title);
        Assert.Equal("家族歴", sections.Single(s => s.Code.Coding[0].Code == JpFhir.Sections.FamilyHistory).Title);
    }

    [Fact]
    public void A_copied_condition_keeps_a_contained_resource_it_still_refers_to_and_drops_the_others()
    {
        var condition = new Condition
        {
            Code = new CodeableConcept { Text = "胃潰瘍" },
            Subject = new ResourceReference("Patient/p-1"),
            Encounter = new ResourceReference("#enc"),
            Evidence = [new Condition.EvidenceComponent { Detail = [new ResourceReference("#obs")] }],
            Contained =
            [
                new Encounter { Id = "enc", Status = Encounter.EncounterStatus.Finished, Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB") },
                new Observation { Id = "obs", Status = ObservationStatus.Final, Code = new CodeableConcept { Text = "内視鏡" } },
            ],
        };
        var content = ReferralTestData.Full() with { DiagnosisCopies = [new SharedResourceCopy(FhirJson.Serialize(condition))] };

        var copy = ReferralDocumentBuilder.Build(content).Entry.Select(e => e.Resource).OfType<Condition>().Single();

        Assert.Equal("obs", Assert.Single(copy.Contained).Id);
    }

    [Fact]
    public async Task Without_packages_the_validator_says_so_and_never_reports_a_check()
    {
        var validator = new JpClinsProfileValidator(null, "Set Conformance:PackageDirectory.");

        var report = await validator.ValidateAsync(ReferralDocumentBuilder.Build(ReferralTestData.Full()), CancellationToken.None);

        Assert.Equal(new ProfileValidatorStatus(ProfileValidatorState.Unavailable, "Set Conformance:PackageDirectory."), validator.Status);
        Assert.False(report.Performed);
        Assert.False(report.IsValid);
    }

    [Fact]
    public void Packages_are_found_in_the_configured_folder_and_the_url_package_wins_over_an_obsolete_one()
    {
        var folder = Directory.CreateTempSubdirectory("mednet-packages-");
        try
        {
            Directory.CreateDirectory(Path.Combine(folder.FullName, "sub"));
            File.WriteAllText(Path.Combine(folder.FullName, "jp-clins.r4-1.5.2-snap.tgz"), "");
            File.WriteAllText(Path.Combine(folder.FullName, "sub", "jp-core.r4-1.1.2-url-obsolete.tgz"), "");
            File.WriteAllText(Path.Combine(folder.FullName, "jp-core.r4-1.1.2.tgz"), "");
            Assert.Null(ConformancePackages.FindIn(folder.FullName)); // the plain JP Core package is not the -url one

            File.WriteAllText(Path.Combine(folder.FullName, "sub", "jp-core.r4-1.1.2-url.tgz"), "");
            var (found, lookedIn) = ConformancePackages.Locate(folder.FullName, AppContext.BaseDirectory);

            Assert.Equal(Path.Combine(folder.FullName, "sub", "jp-core.r4-1.1.2-url.tgz"), found!.JpCore);
            Assert.Equal(Path.Combine(folder.FullName, "jp-clins.r4-1.5.2-snap.tgz"), found.JpClins);
            Assert.Equal([folder.FullName], lookedIn);
            Assert.Null(ConformancePackages.Locate(Path.Combine(folder.FullName, "missing"), AppContext.BaseDirectory).Packages);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Without_a_setting_the_shared_folder_beside_the_repository_is_searched()
    {
        var (_, lookedIn) = ConformancePackages.Locate(null, "/nonexistent/packages", AppContext.BaseDirectory);

        Assert.Equal("/nonexistent/packages", lookedIn[0]);
        Assert.EndsWith(Path.DirectorySeparatorChar + "shared", lookedIn[1], StringComparison.Ordinal);
    }
}

public sealed class ProfileIssueSeverityTests
{
    [Fact]
    public void An_error_that_only_says_a_code_system_is_unknown_becomes_a_warning_and_a_wrong_code_stays_an_error()
    {
        var outcome = new OperationOutcome
        {
            Issue =
            [
                new() { Severity = OperationOutcome.IssueSeverity.Error, Code = OperationOutcome.IssueType.CodeInvalid,
                    Details = new CodeableConcept { Text = "A definition for CodeSystem 'http://x' could not be found, so the code cannot be validated" } },
                new() { Severity = OperationOutcome.IssueSeverity.Error, Code = OperationOutcome.IssueType.CodeInvalid,
                    Details = new CodeableConcept { Text = "Code 'A' does not exist in the value set 'y'; A definition for CodeSystem 'http://x' could not be found, so the code cannot be validated" } },
            ],
        };

        var issues = MedNetPortal.Fhir.Conformance.ProfileIssues.From(outcome);

        Assert.Equal([ProfileIssueSeverity.Warning, ProfileIssueSeverity.Error], issues.Select(i => i.Severity));
    }
}

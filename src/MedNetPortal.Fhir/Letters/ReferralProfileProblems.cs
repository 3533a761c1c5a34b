using System.Globalization;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir.Conformance;

namespace MedNetPortal.Fhir.Letters;

/// <summary>
/// Turns the official validator's errors on a letter into <see cref="ReferralProblem"/>s that point at the compose-form
/// field each one comes from: the FHIRPath of the issue (<c>Bundle.entry[1].resource.address</c>) names an entry and an
/// element, and the entry's role in the letter (its section, or sender / destination) names the field.
/// </summary>
public static partial class ReferralProfileProblems
{
    /// <summary>One problem per distinct error of <paramref name="report"/> (warnings are left out).</summary>
    /// <remarks>
    /// The Bundle profile slices its entries by profile, so a Composition or Patient that fails its own profile also makes
    /// "no elements matched required slice entry:composition" at the Bundle: those echoes are dropped when the entry's own
    /// errors are reported, and kept (at the document) when they are the only sign of a problem.
    /// </remarks>
    public static IReadOnlyList<ReferralProblem> From(Bundle bundle, ProfileValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(report);
        var problems = new List<ReferralProblem>();
        var errors = report.Errors;
        var entryErrors = errors.Any(e => Normalise(e.Location).StartsWith("Bundle.entry[", StringComparison.Ordinal));
        foreach (var issue in errors)
        {
            var location = Normalise(issue.Location);
            var finding = Describe(issue.Message);
            if (entryErrors && location == "Bundle" && finding.Kind == ProfileFindingKind.MissingSlice
                && finding.Subject.StartsWith("entry:", StringComparison.Ordinal))
            {
                continue;
            }

            // A missing element is reported at its parent: map the element itself (Patient + address → the address field).
            var mapped = finding.Kind == ProfileFindingKind.MissingElement ? location + "." + finding.Subject : location;
            var problem = new ReferralProblem(ReferralProblemCode.ProfileViolation, FieldFor(bundle, mapped), location, []) { Profile = finding };
            if (!problems.Contains(problem))
            {
                problems.Add(problem);
            }
        }

        return problems;
    }

    /// <summary>Firely writes <c>entry[1].resource[0]</c> for the entry's one resource; plain FHIRPath says <c>entry[1].resource</c>.</summary>
    public static string Normalise(string location) => SingleResource().Replace(location ?? string.Empty, ".resource");

    /// <summary>The form field a FHIRPath location in <paramref name="bundle"/> belongs to.</summary>
    public static ReferralField FieldFor(Bundle bundle, string location)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var path = Normalise(location);
        if (path.StartsWith("Bundle.timestamp", StringComparison.Ordinal))
        {
            return ReferralField.IssuedAt;
        }

        var entry = EntryPath().Match(path);
        if (!entry.Success)
        {
            return ReferralField.Document;
        }

        var index = int.Parse(entry.Groups[1].Value, CultureInfo.InvariantCulture);
        var rest = entry.Groups[2].Value;
        if (index >= bundle.Entry.Count || bundle.Entry[index].Resource is not { } resource)
        {
            return ReferralField.Document;
        }

        var composition = bundle.Entry.FirstOrDefault()?.Resource as Composition;
        var fullUrl = bundle.Entry[index].FullUrl;
        return resource switch
        {
            Composition c => CompositionField(c, rest),
            Patient => rest.StartsWith(".address", StringComparison.Ordinal) ? ReferralField.PatientAddress : ReferralField.Patient,
            Practitioner => InSection(composition, JpFhir.Sections.Destination, fullUrl) ? ReferralField.DestinationDoctor : ReferralField.SenderDoctor,
            Organization => InSection(composition, JpFhir.Sections.Destination, fullUrl) ? ReferralField.Destination : ReferralField.SenderFacility,
            Condition => ReferralField.Diagnoses,
            AllergyIntolerance => ReferralField.Allergies,
            MedicationRequest => ReferralField.CurrentMedication,
            Observation => ReferralField.TestResults,
            _ => ReferralField.Document,
        };
    }

    private static ReferralField CompositionField(Composition composition, string rest)
    {
        if (rest.StartsWith(".category", StringComparison.Ordinal))
        {
            return ReferralField.Category;
        }

        if (rest.StartsWith(".extension", StringComparison.Ordinal))
        {
            return ReferralField.Version;
        }

        if (rest.StartsWith(".date", StringComparison.Ordinal) || rest.StartsWith(".event", StringComparison.Ordinal))
        {
            return ReferralField.IssuedAt;
        }

        // .section[i].section[j]… → the innermost section named by the path.
        var sections = composition.Section;
        Composition.SectionComponent? found = null;
        foreach (Match step in SectionStep().Matches(rest))
        {
            var i = step.Groups[1].Success ? int.Parse(step.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            if (i >= sections.Count)
            {
                break;
            }

            found = sections[i];
            sections = found.Section;
        }

        return SectionField(found?.Code?.Coding.FirstOrDefault()?.Code);
    }

    /// <summary>The form field of a section code.</summary>
    public static ReferralField SectionField(string? code) => code switch
    {
        JpFhir.Sections.Sender => ReferralField.SenderFacility,
        JpFhir.Sections.Destination => ReferralField.Destination,
        JpFhir.Sections.Purpose => ReferralField.Purpose,
        JpFhir.Sections.Diagnoses => ReferralField.Diagnoses,
        JpFhir.Sections.PresentIllness => ReferralField.PresentIllness,
        JpFhir.Sections.PastHistory => ReferralField.PastAndFamilyHistory,
        JpFhir.Sections.FamilyHistory => ReferralField.FamilyHistory,
        JpFhir.Sections.Allergies => ReferralField.Allergies,
        JpFhir.Sections.Medications => ReferralField.CurrentMedication,
        JpFhir.Sections.ClinicalCourse => ReferralField.ClinicalCourse,
        JpFhir.Sections.TestResults => ReferralField.TestResults,
        JpFhir.Sections.Remarks => ReferralField.Remarks,
        _ => ReferralField.Document,
    };

    /// <summary>Reads the kind and subject out of Firely's message, so the UI can say it in Japanese or English.</summary>
    public static ProfileFinding Describe(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Match m;
        if ((m = MissingMember().Match(message)).Success)
        {
            return new(ProfileFindingKind.MissingElement, m.Groups[1].Value, message);
        }

        if ((m = MissingSlice().Match(message)).Success)
        {
            return new(ProfileFindingKind.MissingSlice, m.Groups[1].Value, message);
        }

        if ((m = WrongValue().Match(message)).Success)
        {
            return new(ProfileFindingKind.WrongValue, m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value, message);
        }

        if ((m = Rule().Match(message)).Success)
        {
            return new(ProfileFindingKind.Rule, m.Groups[1].Value, message);
        }

        if ((m = Cardinality().Match(message)).Success)
        {
            return new(ProfileFindingKind.Cardinality, m.Groups[1].Value, message);
        }

        return message.StartsWith("Code ", StringComparison.Ordinal)
            ? new(ProfileFindingKind.Code, string.Empty, message)
            : new(ProfileFindingKind.Other, string.Empty, message);
    }

    private static bool InSection(Composition? composition, string code, string? fullUrl) =>
        composition is not null && fullUrl is not null
        && composition.Section.Any(s => s.Code?.Coding.Any(c => c.Code == code) == true && s.Entry.Any(e => e.Reference == fullUrl));

    [GeneratedRegex(@"\.resource\[0\]")]
    private static partial Regex SingleResource();

    [GeneratedRegex(@"^Bundle\.entry\[(\d+)\]\.resource(.*)$")]
    private static partial Regex EntryPath();

    [GeneratedRegex(@"\.section(?:\[(\d+)\])?")]
    private static partial Regex SectionStep();

    [GeneratedRegex("Missing required member: '([^']+)'")]
    private static partial Regex MissingMember();

    [GeneratedRegex("No elements matched required slice: '([^']+)'")]
    private static partial Regex MissingSlice();

    [GeneratedRegex("does not match pattern '([^']*)'|not exactly equal to fixed value '([^']*)'")]
    private static partial Regex WrongValue();

    [GeneratedRegex("failed constraint ([^ ]+)")]
    private static partial Regex Rule();

    [GeneratedRegex("Instance count (?:at|for) element '([^']+)'")]
    private static partial Regex Cardinality();
}

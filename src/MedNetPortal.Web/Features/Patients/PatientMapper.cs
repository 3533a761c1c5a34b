using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;

namespace MedNetPortal.Web.Features.Patients;

/// <summary>
/// Firely resources → the small records the patient pages show. Reads anything that follows the JP-CLINS conventions,
/// whoever wrote it: names by their IDE/SYL representation, codes by system, tags by the indication system.
/// </summary>
internal static partial class PatientMapper
{
    /// <summary>Code-system keys the UI localises; anything else shows the system URL's last segment.</summary>
    internal static class CodeSystemKeys
    {
        public const string MedisKeyNumber = "MedisKeyNumber";
        public const string MedisExchangeCode = "MedisExchangeCode";
        public const string ReceiptCode = "ReceiptCode";
        public const string Icd10 = "Icd10";
        public const string Other = "Other";
    }

    private const string InstitutionNumberExtension = JpFhir.Extensions.InstitutionNumber;

    public static PatientSummary ToSummary(Patient patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var names = patient.Name ?? [];
        var kanji = JpCoreNames.Kanji(names);
        var kana = JpCoreNames.Kana(names);
        var sex = patient.Gender switch
        {
            AdministrativeGender.Male => PatientSex.Male,
            AdministrativeGender.Female => PatientSex.Female,
            AdministrativeGender.Other => PatientSex.Other,
            _ => PatientSex.Unknown,
        };
        var memberId = patient.Identifier?.FirstOrDefault(i => i.System == JpFhir.Systems.InsuranceMemberId)?.Value;
        var address = patient.Address?.FirstOrDefault(a => !string.IsNullOrWhiteSpace(a.Text));
        var addressLine = address is null ? null
            : string.IsNullOrWhiteSpace(address.PostalCode) || address.Text!.Contains(address.PostalCode, StringComparison.Ordinal) ? address.Text
            : $"〒{address.PostalCode} {address.Text}";
        return new PatientSummary(patient.Id ?? string.Empty, NameText(kanji), NameText(kana), sex, patient.BirthDate, memberId, addressLine);
    }

    /// <summary>
    /// The JP-CLINS "no code" placeholder (MEDIS 病名管理番号 all 9s) says the name could not be coded: it is not a code to
    /// show, so such a diagnosis reads as text-only.
    /// </summary>
    internal static bool IsNoCode(Coding coding) =>
        coding.System == JpFhir.Systems.MedisDiseaseKeyNumber && coding.Code is { Length: > 0 } code && code.All(c => c == '9');

    public static Diagnosis ToDiagnosis(Condition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var codes = (condition.Code?.Coding ?? [])
            .Where(c => !string.IsNullOrEmpty(c.Code) && !IsNoCode(c))
            .Select(c => ToDiagnosisCode(c.System, c.Code!))
            .ToList();
        var name = condition.Code?.Text
                   ?? condition.Code?.Coding.Select(c => c.Display).FirstOrDefault(d => !string.IsNullOrEmpty(d))
                   ?? string.Empty;
        var verification = CodeOf(condition.VerificationStatus);
        return new Diagnosis(
            condition.Id ?? string.Empty,
            name,
            codes,
            Suspected: verification == "unconfirmed",
            ClinicalStatus: CodeOf(condition.ClinicalStatus),
            EnteredInError: verification == "entered-in-error",
            Onset: DateOf(condition.Onset),
            Abatement: DateOf(condition.Abatement),
            Recorded: condition.RecordedDate,
            RecordedBy: condition.Recorder?.Display ?? condition.Asserter?.Display,
            FacilityCode: InstitutionCode(condition),
            Marks: MarksOf(condition));
    }

    public static DiagnosisCode ToDiagnosisCode(string? system, string code)
    {
        var key = system switch
        {
            JpFhir.Systems.MedisDiseaseKeyNumber => CodeSystemKeys.MedisKeyNumber,
            JpFhir.Systems.MedisDiseaseExchangeCode => CodeSystemKeys.MedisExchangeCode,
            JpFhir.Systems.ReceiptDiseaseCode => CodeSystemKeys.ReceiptCode,
            JpFhir.Systems.Icd10 => CodeSystemKeys.Icd10,
            "http://hl7.org/fhir/sid/icd-10" => CodeSystemKeys.Icd10,
            _ => CodeSystemKeys.Other,
        };
        return new DiagnosisCode(code, key, key == CodeSystemKeys.Other ? LastSegment(system) : null);
    }

    public static Allergy ToAllergy(AllergyIntolerance allergy)
    {
        ArgumentNullException.ThrowIfNull(allergy);
        var category = allergy.Category?.FirstOrDefault() switch
        {
            AllergyIntolerance.AllergyIntoleranceCategory.Medication => AllergyCategory.Medication,
            AllergyIntolerance.AllergyIntoleranceCategory.Food => AllergyCategory.Food,
            AllergyIntolerance.AllergyIntoleranceCategory.Environment => AllergyCategory.Environment,
            AllergyIntolerance.AllergyIntoleranceCategory.Biologic => AllergyCategory.Biologic,
            _ => AllergyCategory.Unknown,
        };
        var reactions = (allergy.Reaction ?? [])
            .Select(r => new AllergyReaction(
                string.Join("、", r.Manifestation.Select(m => m.Text ?? m.Coding.Select(c => c.Display).FirstOrDefault(d => d is not null) ?? string.Empty)
                    .Where(t => t.Length > 0)),
                r.Severity?.ToString().ToLowerInvariant()))
            .ToList();
        var substance = allergy.Code?.Text
                        ?? allergy.Code?.Coding.Select(c => c.Display).FirstOrDefault(d => !string.IsNullOrEmpty(d))
                        ?? allergy.Reaction?.Select(r => r.Substance?.Text).FirstOrDefault(t => !string.IsNullOrEmpty(t))
                        ?? string.Empty;
        return new Allergy(
            allergy.Id ?? string.Empty,
            substance,
            category,
            allergy.Criticality switch
            {
                AllergyIntolerance.AllergyIntoleranceCriticality.High => "high",
                AllergyIntolerance.AllergyIntoleranceCriticality.Low => "low",
                AllergyIntolerance.AllergyIntoleranceCriticality.UnableToAssess => "unable-to-assess",
                _ => null,
            },
            reactions,
            CodeOf(allergy.ClinicalStatus),
            CodeOf(allergy.VerificationStatus),
            DateOf(allergy.Onset),
            allergy.RecordedDate,
            allergy.Recorder?.Display ?? allergy.Asserter?.Display,
            allergy.Note?.Select(n => n.Text).FirstOrDefault(t => !string.IsNullOrEmpty(t)),
            MarksOf(allergy));
    }

    /// <summary>
    /// A document the base listed without its content (a server that did not include it): what the DocumentReference says,
    /// date, title and author; the document itself is read when opened.
    /// </summary>
    public static LetterSummary ToLetterSummary(DocumentReference reference, string documentId)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var title = reference.Type?.Text ?? reference.Description ?? reference.Type?.Coding.FirstOrDefault()?.Display ?? string.Empty;
        var author = reference.Author.Select(a => a.Display).FirstOrDefault(d => !string.IsNullOrEmpty(d)) ?? reference.Custodian?.Display;
        return new LetterSummary(documentId, reference.Date?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), title, author, null, null, null, null, MarksOf(reference));
    }

    /// <summary>A document Bundle's list row, or null when it is not a document with a Composition first.</summary>
    public static LetterSummary? ToLetterSummary(Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (bundle.Entry.FirstOrDefault()?.Resource is not Composition composition)
        {
            return null;
        }

        var byUrl = new Dictionary<string, Resource>(StringComparer.Ordinal);
        foreach (var entry in bundle.Entry)
        {
            if (entry.FullUrl is { } url && entry.Resource is { } resource)
            {
                byUrl.TryAdd(url, resource);
            }
        }

        Resource? Resolve(ResourceReference? reference)
        {
            if (reference?.Reference is not { } target)
            {
                return null;
            }

            if (byUrl.TryGetValue(target, out var found))
            {
                return found;
            }

            // Relative references (Type/id) inside a document match the entry with that type and id.
            return bundle.Entry.Select(e => e.Resource).FirstOrDefault(r => r is not null && $"{r.TypeName}/{r.Id}" == target);
        }

        var sections = Flatten(composition.Section).ToList();
        var sender = sections.FirstOrDefault(s => SectionCode(s) == JpFhir.Sections.Sender);
        var destination = sections.FirstOrDefault(s => SectionCode(s) == JpFhir.Sections.Destination);
        var purpose = sections.FirstOrDefault(s => SectionCode(s) == JpFhir.Sections.Purpose);

        var senderResources = (sender?.Entry ?? []).Select(Resolve).ToList();
        var senderOrg = senderResources.OfType<Organization>().FirstOrDefault()
                        ?? Resolve(composition.Custodian) as Organization
                        ?? composition.Author.Select(Resolve).OfType<Organization>().FirstOrDefault();
        var senderDoctor = senderResources.OfType<Practitioner>().FirstOrDefault()
                           ?? composition.Author.Select(Resolve).OfType<Practitioner>().FirstOrDefault();
        var destinationResources = (destination?.Entry ?? []).Select(Resolve).ToList();
        var destinationOrg = destinationResources.OfType<Organization>().FirstOrDefault();

        var date = composition.Date
                   ?? composition.Event.Select(e => e.Period?.Start).FirstOrDefault(s => s is not null)
                   ?? bundle.Timestamp?.ToString("o", System.Globalization.CultureInfo.InvariantCulture);

        return new LetterSummary(
            bundle.Id ?? string.Empty,
            date,
            composition.Title ?? composition.Type?.Text ?? composition.Type?.Coding.FirstOrDefault()?.Display ?? string.Empty,
            senderOrg?.Name ?? FirstLine(sender?.Text?.Div),
            senderDoctor is null ? null : NameText(PreferredName(senderDoctor.Name)),
            destinationOrg?.Name ?? FirstLine(destination?.Text?.Div),
            DepartmentOf(destinationOrg),
            NarrativeText(purpose?.Text?.Div),
            MarksOf(bundle) is { Any: true } marks ? marks : MarksOf(composition));
    }

    /// <summary>The narrative's text: tags dropped, line breaks kept as spaces, entities decoded. Never HTML.</summary>
    public static string? NarrativeText(string? xhtml)
    {
        if (string.IsNullOrWhiteSpace(xhtml))
        {
            return null;
        }

        var withBreaks = BreakTag().Replace(xhtml, " ");
        var text = WebUtility.HtmlDecode(AnyTag().Replace(withBreaks, string.Empty));
        text = Whitespace().Replace(text, " ").Trim();
        return text.Length == 0 ? null : text;
    }

    public static IndicationMarks MarksOf(Resource resource)
    {
        var tags = resource.Meta?.Tag ?? [];
        var ours = tags.Where(t => t.System == JpFhir.Systems.EhrShareIndication).Select(t => t.Code).ToList();
        return ours.Count == 0
            ? IndicationMarks.None
            : new IndicationMarks(ours.Contains(JpFhir.Tags.Uninformed), ours.Contains(JpFhir.Tags.Undelivered));
    }

    private static string? FirstLine(string? xhtml)
    {
        if (string.IsNullOrWhiteSpace(xhtml))
        {
            return null;
        }

        var first = BreakTag().Split(xhtml)[0];
        return NarrativeText(first);
    }

    private static string? DepartmentOf(Organization? organization)
    {
        var department = organization?.GetExtension(JpFhir.Extensions.Department)?.Value as CodeableConcept;
        return department?.Text ?? department?.Coding.Select(c => c.Display).FirstOrDefault(d => d is not null);
    }

    private static IEnumerable<Composition.SectionComponent> Flatten(IEnumerable<Composition.SectionComponent> sections)
    {
        foreach (var section in sections)
        {
            yield return section;
            foreach (var child in Flatten(section.Section))
            {
                yield return child;
            }
        }
    }

    // Both the JP-CLINS and the older eReferral section systems use the same codes.
    private static string? SectionCode(Composition.SectionComponent section) =>
        section.Code?.Coding.FirstOrDefault(c => c.System is JpFhir.Systems.DocumentSection or JpFhir.Systems.EReferralDocumentSection)?.Code
        ?? section.Code?.Coding.FirstOrDefault()?.Code;

    private static string? InstitutionCode(DomainResource resource) =>
        (resource.GetExtension(InstitutionNumberExtension)?.Value as Identifier)?.Value;

    private static HumanName? PreferredName(IEnumerable<HumanName>? names) => JpCoreNames.Kanji(names) ?? names?.FirstOrDefault();

    private static string NameText(HumanName? name) => JpCoreNames.Text(name) ?? string.Empty;

    private static string? CodeOf(CodeableConcept? concept) => concept?.Coding.FirstOrDefault(c => !string.IsNullOrEmpty(c.Code))?.Code;

    private static string? DateOf(DataType? value) => value switch
    {
        FhirDateTime dateTime => dateTime.Value,
        Period period => period.Start,
        Date date => date.Value,
        Age age => age.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        FhirString text => text.Value,
        _ => null,
    };

    private static string? LastSegment(string? system)
    {
        if (string.IsNullOrEmpty(system))
        {
            return null;
        }

        var trimmed = system.TrimEnd('/');
        var cut = Math.Max(trimmed.LastIndexOf('/'), trimmed.LastIndexOf(':'));
        return cut >= 0 && cut < trimmed.Length - 1 ? trimmed[(cut + 1)..] : trimmed;
    }

    [GeneratedRegex(@"<br\s*/?>|</(p|div|li|tr)>", RegexOptions.IgnoreCase)]
    private static partial Regex BreakTag();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex AnyTag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

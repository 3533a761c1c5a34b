using System.Globalization;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;

namespace MedNetPortal.Web.Features.Patients;

/// <summary>The record's document rows: a JP-CLINS document Bundle, or a DocumentReference listed without its document.</summary>
internal static class LetterSummaryMapper
{
    /// <summary>
    /// A document the base listed without its content (a server that did not include it): what the DocumentReference says,
    /// date, title and author; the document itself is read when opened.
    /// </summary>
    public static LetterSummary ToLetterSummary(DocumentReference reference, string documentId)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var title = reference.Type?.Text ?? reference.Description ?? reference.Type?.Coding.FirstOrDefault()?.Display ?? string.Empty;
        var author = reference.Author.Select(a => a.Display).FirstOrDefault(d => !string.IsNullOrEmpty(d)) ?? reference.Custodian?.Display;
        return new LetterSummary(documentId, reference.Date?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), title, author, null, null, null, null, PatientMapper.MarksOf(reference))
        {
            Kind = KindOf(reference.Type),
        };
    }

    /// <summary>The document kind from a type (doc-typecodes; a coding of another system with the same code counts too).</summary>
    public static RecordDocumentKind KindOf(CodeableConcept? type)
    {
        var codes = (type?.Coding ?? []).OrderBy(c => c.System == JpFhir.Systems.DocumentTypeCodes ? 0 : 1).Select(c => c.Code);
        return codes.FirstOrDefault(c => c is JpFhir.DocumentTypes.ReferralLetter or JpFhir.DocumentTypes.DischargeSummary or JpFhir.DocumentTypes.HealthCheckReport) switch
        {
            JpFhir.DocumentTypes.ReferralLetter => RecordDocumentKind.ReferralLetter,
            JpFhir.DocumentTypes.DischargeSummary => RecordDocumentKind.DischargeSummary,
            JpFhir.DocumentTypes.HealthCheckReport => RecordDocumentKind.CheckupReport,
            _ => RecordDocumentKind.Other,
        };
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

        var kind = KindOf(composition.Type);
        var sections = Flatten(composition.Section).ToList();
        var sender = sections.FirstOrDefault(s => SectionCode(s) == JpFhir.Sections.Sender);
        var destination = kind == RecordDocumentKind.ReferralLetter ? sections.FirstOrDefault(s => SectionCode(s) == JpFhir.Sections.Destination) : null;
        var purpose = sections.FirstOrDefault(s => SectionCode(s) == (kind == RecordDocumentKind.DischargeSummary ? JpFhir.Sections.DischargeDiagnoses : JpFhir.Sections.Purpose));

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

        var title = composition.Title ?? composition.Type?.Text ?? composition.Type?.Coding.FirstOrDefault()?.Display ?? string.Empty;
        var marks = PatientMapper.MarksOf(bundle) is { Any: true } bundleMarks ? bundleMarks : PatientMapper.MarksOf(composition);
        var summary = kind == RecordDocumentKind.CheckupReport
            ? composition.Category.Select(c => c.Text ?? c.Coding.Select(x => x.Display).FirstOrDefault(d => !string.IsNullOrEmpty(d))).FirstOrDefault(t => !string.IsNullOrEmpty(t))
            : NarrativePlainText.Of(purpose?.Text?.Div);
        IReadOnlyList<Prescription> prescriptions = [];
        if (kind == RecordDocumentKind.DischargeSummary)
        {
            // The discharge medication the summary carries: shown in 処方 with the record's own MedicationRequests, once.
            var included = IncludedResources.FromDocument(bundle);
            prescriptions =
            [
                .. sections.Where(s => SectionCode(s) == JpFhir.Sections.DischargeMedication)
                    .SelectMany(s => s.Entry).Select(Resolve).OfType<MedicationRequest>()
                    .Select(r => PatientMapper.ToPrescription(r, included))
                    .Select(line => line with { Marks = line.Marks.Any ? line.Marks : marks, SourceDocument = title }),
            ];
        }

        return new LetterSummary(
            bundle.Id ?? string.Empty,
            date,
            title,
            senderOrg?.Name ?? NarrativePlainText.FirstLine(sender?.Text?.Div),
            senderDoctor is null ? null : PatientMapper.NameText(PatientMapper.PreferredName(senderDoctor.Name)),
            destinationOrg?.Name ?? NarrativePlainText.FirstLine(destination?.Text?.Div),
            DepartmentOf(destinationOrg),
            summary,
            marks)
        {
            Kind = kind,
            SenderCode = senderOrg?.Identifier.FirstOrDefault(i => i.System == JpFhir.Systems.MedicalInstitutionCode && !string.IsNullOrEmpty(i.Value))?.Value,
            Prescriptions = prescriptions,
        };
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
}

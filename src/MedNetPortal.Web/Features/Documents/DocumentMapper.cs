using System.Globalization;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;

namespace MedNetPortal.Web.Features.Documents;

/// <summary>
/// Maps a FHIR document Bundle (first entry a Composition) to a <see cref="DocumentView"/>: references resolved inside
/// the Bundle (<c>urn:uuid:</c> fullUrls and relative <c>Type/id</c>), sections in order and recursively, narratives sanitised.
/// </summary>
public static class DocumentMapper
{
    private static readonly HashSet<string> SectionSystems = new(StringComparer.Ordinal)
    {
        JpFhir.Systems.DocumentSection, JpFhir.Systems.EReferralDocumentSection,
    };

    /// <summary>The document, or null when the Bundle holds no Composition.</summary>
    public static DocumentView? Map(Bundle bundle, string id)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var composition = bundle.Entry.Select(e => e.Resource).OfType<Composition>().FirstOrDefault();
        if (composition is null)
        {
            return null;
        }

        var resolver = new BundleResolver(bundle);
        var typeCoding = composition.Type?.Coding.FirstOrDefault(c => c.System == JpFhir.Systems.DocumentTypeCodes)
                         ?? composition.Type?.Coding.FirstOrDefault();
        var kind = typeCoding?.Code switch
        {
            JpFhir.DocumentTypes.ReferralLetter => DocumentKind.ReferralLetter,
            JpFhir.DocumentTypes.DischargeSummary => DocumentKind.DischargeSummary,
            JpFhir.DocumentTypes.HealthCheckReport => DocumentKind.HealthCheckReport,
            _ => DocumentKind.Other,
        };
        var date = FhirText.NullIfBlank(composition.Date)
                   ?? composition.Event.Select(e => e.Period?.Start).FirstOrDefault(s => !string.IsNullOrWhiteSpace(s));
        var version = composition.GetExtensionValue<FhirString>(JpFhir.Extensions.DocumentVersionNumber)?.Value;

        var author = DocumentParty.Empty;
        foreach (var reference in composition.Author)
        {
            author = Merge(author, resolver.Resolve(reference), reference.Display);
        }

        var sections = composition.Section.Select(s => MapSection(s, resolver, kind == DocumentKind.HealthCheckReport)).ToList();
        var sender = PartyFromSection(composition.Section, JpFhir.Sections.Sender, resolver);
        var destination = PartyFromSection(composition.Section, JpFhir.Sections.Destination, resolver);
        var patient = resolver.Resolve(composition.Subject) is Patient p ? MapPatient(p) : null;

        return new DocumentView(
            id,
            kind,
            typeCoding?.Code,
            FhirText.NullIfBlank(typeCoding?.Display) ?? FhirText.NullIfBlank(composition.Type?.Text),
            FhirText.NullIfBlank(composition.Title) ?? FhirText.NullIfBlank(typeCoding?.Display) ?? string.Empty,
            date,
            version,
            author,
            sender,
            destination,
            patient,
            sections,
            DocumentRouting.From(bundle))
        {
            Stay = kind == DocumentKind.DischargeSummary && resolver.Resolve(composition.Encounter) is Encounter { Period: { } period }
                ? new DocumentStay(FhirText.NullIfBlank(period.Start), FhirText.NullIfBlank(period.End))
                : null,
            Category = composition.Category.Select(c => FhirText.NullIfBlank(c.Text) ?? FhirText.NullIfBlank(c.Coding.Select(x => x.Display).FirstOrDefault(d => !string.IsNullOrWhiteSpace(d))))
                .FirstOrDefault(t => t is not null),
        };
    }

    private static DocumentSection MapSection(Composition.SectionComponent section, BundleResolver resolver, bool results)
    {
        var code = SectionCode(section);
        var title = FhirText.NullIfBlank(section.Title) ?? FhirText.NullIfBlank(section.Code?.Text)
                    ?? FhirText.NullIfBlank(section.Code?.Coding.FirstOrDefault()?.Display) ?? code ?? string.Empty;
        var resolved = section.Entry.Select(r => (Reference: r, Resource: resolver.Resolve(r))).ToList();
        var rows = results ? resolved.Select(e => e.Resource).OfType<Observation>().Select(ToResultRow).ToList() : [];
        var entries = resolved.Where(e => rows.Count == 0 || e.Resource is not Observation).Select(e => DocumentEntryMapper.Map(e.Reference, e.Resource)).ToList();
        var children = section.Section.Select(s => MapSection(s, resolver, results)).ToList();
        return new DocumentSection(code, title, NarrativeSanitizer.Sanitize(section.Text?.Div), entries, children) { Results = rows };
    }

    /// <summary>A check-up result as a table row: the value as written, the range as text, the flag from the document or the range.</summary>
    private static ResultRow ToResultRow(Observation observation)
    {
        var quantity = observation.Value as Quantity;
        var value = quantity is { Value: { } number }
            ? quantity.Comparator?.GetLiteral() + number.ToString(CultureInfo.InvariantCulture)
            : DocumentEntryMapper.ObservationValue(observation.Value);
        var unit = quantity is null ? null : FhirText.NullIfBlank(quantity.Unit) ?? FhirText.NullIfBlank(quantity.Code);
        var range = observation.ReferenceRange.FirstOrDefault();
        string? rangeText = null;
        if (range is not null)
        {
            var low = range.Low?.Value?.ToString(CultureInfo.InvariantCulture);
            var high = range.High?.Value?.ToString(CultureInfo.InvariantCulture);
            rangeText = FhirText.NullIfBlank(range.Text) ?? (low is null && high is null ? null : $"{low}–{high}");
        }

        var flag = observation.Interpretation.SelectMany(i => i.Coding).Select(c => c.Code)
            .FirstOrDefault(c => c is "H" or "L" or "N" or "A" or "HH" or "LL" or "AA");
        if (flag is null && quantity?.Value is { } v && quantity.Comparator is null && range is not null)
        {
            flag = range.High?.Value is { } h && v > h ? "H" : range.Low?.Value is { } l && v < l ? "L" : range.Low?.Value is not null || range.High?.Value is not null ? "N" : null;
        }

        var indication = observation.Meta?.Tag.FirstOrDefault(t => t.System == JpFhir.Systems.EhrShareIndication
                                                                    && t.Code is JpFhir.Tags.Uninformed or JpFhir.Tags.Undelivered)?.Code;
        return new ResultRow(FhirText.ConceptText(observation.Code), FhirText.CodeOf(observation.Code), value, unit, rangeText, flag == "AA" ? "A" : flag, indication);
    }

    private static string? SectionCode(Composition.SectionComponent section) =>
        (section.Code?.Coding.FirstOrDefault(c => c.System is not null && SectionSystems.Contains(c.System))
         ?? section.Code?.Coding.FirstOrDefault())?.Code;

    private static DocumentParty? PartyFromSection(IEnumerable<Composition.SectionComponent> sections, string code, BundleResolver resolver)
    {
        var section = Flatten(sections).FirstOrDefault(s =>
            s.Code?.Coding.Any(c => c.Code == code && c.System is not null && SectionSystems.Contains(c.System)) == true);
        if (section is null)
        {
            return null;
        }

        var party = DocumentParty.Empty;
        foreach (var reference in section.Entry)
        {
            party = Merge(party, resolver.Resolve(reference), reference.Display);
        }

        return party;
    }

    private static IEnumerable<Composition.SectionComponent> Flatten(IEnumerable<Composition.SectionComponent> sections) =>
        sections.SelectMany(s => Flatten(s.Section).Prepend(s));

    private static DocumentParty Merge(DocumentParty party, Resource? resource, string? display) => resource switch
    {
        Organization organization => party with
        {
            Organization = party.Organization ?? FhirText.NullIfBlank(organization.Name),
            Department = party.Department ?? Department(organization),
            Address = party.Address ?? AddressLine(organization),
            Phone = party.Phone ?? FhirText.NullIfBlank(organization.Telecom.FirstOrDefault(t => t.System == ContactPoint.ContactPointSystem.Phone)?.Value),
        },
        Practitioner practitioner => party with { Doctor = party.Doctor ?? Names(practitioner.Name).Kanji },
        PractitionerRole role => party with { Doctor = party.Doctor ?? FhirText.NullIfBlank(role.Practitioner?.Display) },
        _ => party,
    };

    /// <summary>The first address as one line: Address.text, else its parts; led by 〒postcode unless the text already has it.</summary>
    private static string? AddressLine(Organization organization)
    {
        var address = organization.Address.FirstOrDefault(a => a is not null);
        if (address is null)
        {
            return null;
        }

        var text = FhirText.NullIfBlank(address.Text) ?? FhirText.NullIfBlank(string.Concat(new[] { address.State, address.City }.Concat(address.Line)));
        var postalCode = FhirText.NullIfBlank(address.PostalCode);
        if (postalCode is null || (text is not null && text.Contains(postalCode, StringComparison.Ordinal)))
        {
            return text;
        }

        return text is null ? "〒" + postalCode : $"〒{postalCode} {text}";
    }

    internal static string? Department(Organization organization)
    {
        var concept = organization.GetExtensionValue<CodeableConcept>(JpFhir.Extensions.Department);
        return FhirText.NullIfBlank(concept?.Text) ?? FhirText.NullIfBlank(concept?.Coding.FirstOrDefault()?.Display) ?? concept?.Coding.FirstOrDefault()?.Code;
    }

    private static DocumentPatient MapPatient(Patient patient)
    {
        var (kanji, kana) = Names(patient.Name);
        var sex = patient.Gender switch
        {
            AdministrativeGender.Male => "male",
            AdministrativeGender.Female => "female",
            AdministrativeGender.Other => "other",
            AdministrativeGender.Unknown => "unknown",
            _ => null,
        };
        return new DocumentPatient(kanji, kana, FhirText.NullIfBlank(patient.BirthDate), sex);
    }

    internal static (string? Kanji, string? Kana) Names(IEnumerable<HumanName> names) =>
        (JpCoreNames.Text(JpCoreNames.Kanji(names)), JpCoreNames.Text(JpCoreNames.Kana(names)));
}

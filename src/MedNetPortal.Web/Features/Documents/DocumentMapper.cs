using System.Globalization;
using Hl7.Fhir.Utility;
using Hl7.Fhir.Model;
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

        var resolver = new Resolver(bundle);
        var typeCoding = composition.Type?.Coding.FirstOrDefault(c => c.System == JpFhir.Systems.DocumentTypeCodes)
                         ?? composition.Type?.Coding.FirstOrDefault();
        var kind = typeCoding?.Code switch
        {
            JpFhir.DocumentTypes.ReferralLetter => DocumentKind.ReferralLetter,
            JpFhir.DocumentTypes.DischargeSummary => DocumentKind.DischargeSummary,
            JpFhir.DocumentTypes.HealthCheckReport => DocumentKind.HealthCheckReport,
            _ => DocumentKind.Other,
        };
        var date = NullIfBlank(composition.Date)
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
            NullIfBlank(typeCoding?.Display) ?? NullIfBlank(composition.Type?.Text),
            NullIfBlank(composition.Title) ?? NullIfBlank(typeCoding?.Display) ?? string.Empty,
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
                ? new DocumentStay(NullIfBlank(period.Start), NullIfBlank(period.End))
                : null,
            Category = composition.Category.Select(c => NullIfBlank(c.Text) ?? NullIfBlank(c.Coding.Select(x => x.Display).FirstOrDefault(d => !string.IsNullOrWhiteSpace(d))))
                .FirstOrDefault(t => t is not null),
        };
    }

    private static DocumentSection MapSection(Composition.SectionComponent section, Resolver resolver, bool results)
    {
        var code = SectionCode(section);
        var title = NullIfBlank(section.Title) ?? NullIfBlank(section.Code?.Text)
                    ?? NullIfBlank(section.Code?.Coding.FirstOrDefault()?.Display) ?? code ?? string.Empty;
        var resolved = section.Entry.Select(r => (Reference: r, Resource: resolver.Resolve(r))).ToList();
        var rows = results ? resolved.Select(e => e.Resource).OfType<Observation>().Select(ToResultRow).ToList() : [];
        var entries = resolved.Where(e => rows.Count == 0 || e.Resource is not Observation).Select(e => MapEntry(e.Reference, e.Resource)).ToList();
        var children = section.Section.Select(s => MapSection(s, resolver, results)).ToList();
        return new DocumentSection(code, title, NarrativeSanitizer.Sanitize(section.Text?.Div), entries, children) { Results = rows };
    }

    /// <summary>A check-up result as a table row: the value as written, the range as text, the flag from the document or the range.</summary>
    private static ResultRow ToResultRow(Observation observation)
    {
        var quantity = observation.Value as Quantity;
        var value = quantity is { Value: { } number }
            ? quantity.Comparator?.GetLiteral() + number.ToString(CultureInfo.InvariantCulture)
            : ObservationValue(observation.Value);
        var unit = quantity is null ? null : NullIfBlank(quantity.Unit) ?? NullIfBlank(quantity.Code);
        var range = observation.ReferenceRange.FirstOrDefault();
        string? rangeText = null;
        if (range is not null)
        {
            var low = range.Low?.Value?.ToString(CultureInfo.InvariantCulture);
            var high = range.High?.Value?.ToString(CultureInfo.InvariantCulture);
            rangeText = NullIfBlank(range.Text) ?? (low is null && high is null ? null : $"{low}–{high}");
        }

        var flag = observation.Interpretation.SelectMany(i => i.Coding).Select(c => c.Code)
            .FirstOrDefault(c => c is "H" or "L" or "N" or "A" or "HH" or "LL" or "AA");
        if (flag is null && quantity?.Value is { } v && quantity.Comparator is null && range is not null)
        {
            flag = range.High?.Value is { } h && v > h ? "H" : range.Low?.Value is { } l && v < l ? "L" : range.Low?.Value is not null || range.High?.Value is not null ? "N" : null;
        }

        var indication = observation.Meta?.Tag.FirstOrDefault(t => t.System == JpFhir.Systems.EhrShareIndication
                                                                    && t.Code is JpFhir.Tags.Uninformed or JpFhir.Tags.Undelivered)?.Code;
        return new ResultRow(ConceptText(observation.Code), CodeOf(observation.Code), value, unit, rangeText, flag == "AA" ? "A" : flag, indication);
    }

    private static string? SectionCode(Composition.SectionComponent section) =>
        (section.Code?.Coding.FirstOrDefault(c => c.System is not null && SectionSystems.Contains(c.System))
         ?? section.Code?.Coding.FirstOrDefault())?.Code;

    private static DocumentParty? PartyFromSection(IEnumerable<Composition.SectionComponent> sections, string code, Resolver resolver)
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
            Organization = party.Organization ?? NullIfBlank(organization.Name),
            Department = party.Department ?? Department(organization),
            Address = party.Address ?? AddressLine(organization),
            Phone = party.Phone ?? NullIfBlank(organization.Telecom.FirstOrDefault(t => t.System == ContactPoint.ContactPointSystem.Phone)?.Value),
        },
        Practitioner practitioner => party with { Doctor = party.Doctor ?? Names(practitioner.Name).Kanji },
        PractitionerRole role => party with { Doctor = party.Doctor ?? NullIfBlank(role.Practitioner?.Display) },
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

        var text = NullIfBlank(address.Text) ?? NullIfBlank(string.Concat(new[] { address.State, address.City }.Concat(address.Line)));
        var postalCode = NullIfBlank(address.PostalCode);
        if (postalCode is null || (text is not null && text.Contains(postalCode, StringComparison.Ordinal)))
        {
            return text;
        }

        return text is null ? "〒" + postalCode : $"〒{postalCode} {text}";
    }

    private static string? Department(Organization organization)
    {
        var concept = organization.GetExtensionValue<CodeableConcept>(JpFhir.Extensions.Department);
        return NullIfBlank(concept?.Text) ?? NullIfBlank(concept?.Coding.FirstOrDefault()?.Display) ?? concept?.Coding.FirstOrDefault()?.Code;
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
        return new DocumentPatient(kanji, kana, NullIfBlank(patient.BirthDate), sex);
    }

    private static (string? Kanji, string? Kana) Names(IEnumerable<HumanName> names) =>
        (JpCoreNames.Text(JpCoreNames.Kanji(names)), JpCoreNames.Text(JpCoreNames.Kana(names)));

    private static DocumentEntry MapEntry(ResourceReference reference, Resource? resource)
    {
        var indication = resource?.Meta?.Tag.FirstOrDefault(t => t.System == JpFhir.Systems.EhrShareIndication
                                                                  && t.Code is JpFhir.Tags.Uninformed or JpFhir.Tags.Undelivered)?.Code;
        var facts = new List<EntryFact>();
        switch (resource)
        {
            case null:
                return new DocumentEntry(EntryKind.Unresolved, reference.Type ?? string.Empty,
                    NullIfBlank(reference.Display) ?? string.Empty, null, facts);
            case Condition condition:
                AddCoded(facts, "Documents.Fact.Status", condition.ClinicalStatus);
                if (condition.VerificationStatus?.Coding.Any(c => c.Code == "unconfirmed") == true)
                {
                    facts.Add(new EntryFact("Documents.Fact.Verification", "Documents.Code.unconfirmed", Localize: true));
                }

                AddDate(facts, "Documents.Fact.Onset", (condition.Onset as FhirDateTime)?.Value);
                return new DocumentEntry(EntryKind.Condition, "Condition", ConceptText(condition.Code), CodeOf(condition.Code), facts, indication);
            case AllergyIntolerance allergy:
                if (allergy.Criticality is { } criticality)
                {
                    facts.Add(Coded("Documents.Fact.Criticality", criticality switch
                    {
                        AllergyIntolerance.AllergyIntoleranceCriticality.High => "high",
                        AllergyIntolerance.AllergyIntoleranceCriticality.Low => "low",
                        _ => "unable-to-assess",
                    }));
                }

                AddCoded(facts, "Documents.Fact.Status", allergy.ClinicalStatus);
                var reactions = allergy.Reaction.SelectMany(r => r.Manifestation).Select(ConceptText).Where(t => t.Length > 0).ToList();
                if (reactions.Count > 0)
                {
                    facts.Add(new EntryFact("Documents.Fact.Reaction", string.Join("、", reactions)));
                }

                return new DocumentEntry(EntryKind.Allergy, "AllergyIntolerance", ConceptText(allergy.Code), CodeOf(allergy.Code), facts, indication);
            case MedicationRequest request:
                var medication = request.Medication as CodeableConcept;
                var dosage = string.Join(" / ", request.DosageInstruction.Select(d => d.Text).Where(t => !string.IsNullOrWhiteSpace(t)));
                if (dosage.Length > 0)
                {
                    facts.Add(new EntryFact("Documents.Fact.Dosage", dosage));
                }

                var medicationText = medication is not null
                    ? ConceptText(medication)
                    : NullIfBlank((request.Medication as ResourceReference)?.Display) ?? string.Empty;
                return new DocumentEntry(EntryKind.Medication, "MedicationRequest", medicationText, CodeOf(medication), facts, indication);
            case Observation observation:
                var value = ObservationValue(observation.Value);
                if (value is not null)
                {
                    facts.Add(new EntryFact("Documents.Fact.Value", value));
                }

                AddDate(facts, "Documents.Fact.Date", (observation.Effective as FhirDateTime)?.Value);
                return new DocumentEntry(EntryKind.Observation, "Observation", ConceptText(observation.Code), CodeOf(observation.Code), facts, indication);
            case Organization organization:
                var department = Department(organization);
                if (department is not null)
                {
                    facts.Add(new EntryFact("Documents.Fact.Department", department));
                }

                return new DocumentEntry(EntryKind.Organization, "Organization", organization.Name ?? string.Empty,
                    organization.Identifier.FirstOrDefault(i => i.System == JpFhir.Systems.MedicalInstitutionCode)?.Value, facts, indication);
            case Practitioner practitioner:
                var (kanji, kana) = Names(practitioner.Name);
                if (kana is not null)
                {
                    facts.Add(new EntryFact("Documents.Fact.Kana", kana));
                }

                return new DocumentEntry(EntryKind.Practitioner, "Practitioner", kanji ?? kana ?? string.Empty, null, facts, indication);
            case Patient patient:
                var names = Names(patient.Name);
                return new DocumentEntry(EntryKind.Patient, "Patient", names.Kanji ?? names.Kana ?? string.Empty, null, facts, indication);
            case Encounter encounter:
                var reason = string.Join("、", encounter.ReasonCode.Select(ConceptText).Where(t => t.Length > 0));
                if (reason.Length > 0)
                {
                    facts.Add(new EntryFact("Documents.Fact.Reason", reason));
                }

                AddDate(facts, "Documents.Fact.Date", encounter.Period?.Start);
                return new DocumentEntry(EntryKind.Encounter, "Encounter",
                    NullIfBlank(encounter.Class?.Display) ?? encounter.Class?.Code ?? string.Empty, null, facts, indication);
            case DocumentReference document:
                var attachment = document.Content.Select(c => c.Attachment).FirstOrDefault(a => a is not null);
                if (attachment?.ContentType is { Length: > 0 } contentType)
                {
                    facts.Add(new EntryFact("Documents.Fact.ContentType", contentType));
                }

                return new DocumentEntry(EntryKind.Attachment, "DocumentReference",
                    NullIfBlank(attachment?.Title) ?? NullIfBlank(document.Description) ?? ConceptText(document.Type), null, facts, indication);
            case Binary binary:
                if (binary.ContentType is { Length: > 0 } binaryType)
                {
                    facts.Add(new EntryFact("Documents.Fact.ContentType", binaryType));
                }

                return new DocumentEntry(EntryKind.Attachment, "Binary", NullIfBlank(reference.Display) ?? string.Empty, null, facts, indication);
            default:
                return new DocumentEntry(EntryKind.Other, resource.TypeName, NullIfBlank(reference.Display) ?? string.Empty, null, facts, indication);
        }
    }

    private static string? ObservationValue(DataType? value) => value switch
    {
        Quantity q when q.Value is { } number => $"{number.ToString(CultureInfo.InvariantCulture)} {q.Unit ?? q.Code}".TrimEnd(),
        FhirString s => NullIfBlank(s.Value),
        CodeableConcept c => NullIfBlank(ConceptText(c)),
        FhirBoolean b when b.Value is { } flag => flag ? "true" : "false",
        Integer i when i.Value is { } n => n.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    internal static readonly HashSet<string> LocalizedCodes = new(StringComparer.Ordinal)
    {
        "active", "inactive", "resolved", "recurrence", "relapse", "remission", "high", "low", "unable-to-assess",
    };

    private static EntryFact Coded(string label, string code) =>
        LocalizedCodes.Contains(code) ? new EntryFact(label, "Documents.Code." + code, Localize: true) : new EntryFact(label, code);

    private static void AddCoded(List<EntryFact> facts, string label, CodeableConcept? concept)
    {
        var code = concept?.Coding.FirstOrDefault()?.Code;
        if (code is not null)
        {
            facts.Add(Coded(label, code));
        }
        else if (NullIfBlank(concept?.Text) is { } text)
        {
            facts.Add(new EntryFact(label, text));
        }
    }

    private static void AddDate(List<EntryFact> facts, string label, string? date)
    {
        if (!string.IsNullOrWhiteSpace(date))
        {
            facts.Add(new EntryFact(label, date));
        }
    }

    private static string ConceptText(CodeableConcept? concept) =>
        NullIfBlank(concept?.Text) ?? NullIfBlank(concept?.Coding.Select(c => c.Display).FirstOrDefault(d => !string.IsNullOrWhiteSpace(d)))
        ?? concept?.Coding.FirstOrDefault()?.Code ?? string.Empty;

    private static string? CodeOf(CodeableConcept? concept) => concept?.Coding.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c.Code))?.Code;

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Finds resources inside the Bundle by fullUrl or by <c>Type/id</c>.</summary>
    private sealed class Resolver
    {
        private readonly Dictionary<string, Resource> byFullUrl = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Resource> byTypeAndId = new(StringComparer.Ordinal);

        public Resolver(Bundle bundle)
        {
            foreach (var entry in bundle.Entry)
            {
                if (entry.Resource is not { } resource)
                {
                    continue;
                }

                if (!string.IsNullOrEmpty(entry.FullUrl))
                {
                    byFullUrl.TryAdd(entry.FullUrl, resource);
                }

                if (!string.IsNullOrEmpty(resource.Id))
                {
                    byTypeAndId.TryAdd(resource.TypeName + "/" + resource.Id, resource);
                }
            }
        }

        public Resource? Resolve(ResourceReference? reference)
        {
            var target = reference?.Reference;
            if (string.IsNullOrWhiteSpace(target))
            {
                return null;
            }

            if (byFullUrl.TryGetValue(target, out var resource))
            {
                return resource;
            }

            // Relative (Patient/123) or absolute (https://base/Patient/123, with or without _history): the last Type/id pair.
            var path = target.Split('?')[0];
            var history = path.IndexOf("/_history/", StringComparison.Ordinal);
            if (history >= 0)
            {
                path = path[..history];
            }

            var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length >= 2 && byTypeAndId.TryGetValue(parts[^2] + "/" + parts[^1], out resource) ? resource : null;
        }
    }
}

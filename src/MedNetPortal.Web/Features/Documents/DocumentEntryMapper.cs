using System.Globalization;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;

namespace MedNetPortal.Web.Features.Documents;

/// <summary>One entry of a document section (a Condition, an Observation, a DocumentReference...) as a <see cref="DocumentEntry"/> with its facts.</summary>
internal static class DocumentEntryMapper
{
    internal static DocumentEntry Map(ResourceReference reference, Resource? resource)
    {
        var indication = resource?.Meta?.Tag.FirstOrDefault(t => t.System == JpFhir.Systems.EhrShareIndication
                                                                  && t.Code is JpFhir.Tags.Uninformed or JpFhir.Tags.Undelivered)?.Code;
        var facts = new List<EntryFact>();
        switch (resource)
        {
            case null:
                return new DocumentEntry(EntryKind.Unresolved, reference.Type ?? string.Empty,
                    FhirText.NullIfBlank(reference.Display) ?? string.Empty, null, facts);
            case Condition condition:
                AddCoded(facts, "Documents.Fact.Status", condition.ClinicalStatus);
                if (condition.VerificationStatus?.Coding.Any(c => c.Code == "unconfirmed") == true)
                {
                    facts.Add(new EntryFact("Documents.Fact.Verification", "Documents.Code.unconfirmed", Localize: true));
                }

                AddDate(facts, "Documents.Fact.Onset", (condition.Onset as FhirDateTime)?.Value);
                return new DocumentEntry(EntryKind.Condition, "Condition", FhirText.ConceptText(condition.Code), FhirText.CodeOf(condition.Code), facts, indication);
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
                var reactions = allergy.Reaction.SelectMany(r => r.Manifestation).Select(FhirText.ConceptText).Where(t => t.Length > 0).ToList();
                if (reactions.Count > 0)
                {
                    facts.Add(new EntryFact("Documents.Fact.Reaction", string.Join("、", reactions)));
                }

                return new DocumentEntry(EntryKind.Allergy, "AllergyIntolerance", FhirText.ConceptText(allergy.Code), FhirText.CodeOf(allergy.Code), facts, indication);
            case MedicationRequest request:
                var medication = request.Medication as CodeableConcept;
                var dosage = string.Join(" / ", request.DosageInstruction.Select(d => d.Text).Where(t => !string.IsNullOrWhiteSpace(t)));
                if (dosage.Length > 0)
                {
                    facts.Add(new EntryFact("Documents.Fact.Dosage", dosage));
                }

                var medicationText = medication is not null
                    ? FhirText.ConceptText(medication)
                    : FhirText.NullIfBlank((request.Medication as ResourceReference)?.Display) ?? string.Empty;
                return new DocumentEntry(EntryKind.Medication, "MedicationRequest", medicationText, FhirText.CodeOf(medication), facts, indication);
            case Observation observation:
                var value = ObservationValue(observation.Value);
                if (value is not null)
                {
                    facts.Add(new EntryFact("Documents.Fact.Value", value));
                }

                AddDate(facts, "Documents.Fact.Date", (observation.Effective as FhirDateTime)?.Value);
                return new DocumentEntry(EntryKind.Observation, "Observation", FhirText.ConceptText(observation.Code), FhirText.CodeOf(observation.Code), facts, indication);
            case Organization organization:
                var department = DocumentMapper.Department(organization);
                if (department is not null)
                {
                    facts.Add(new EntryFact("Documents.Fact.Department", department));
                }

                return new DocumentEntry(EntryKind.Organization, "Organization", organization.Name ?? string.Empty,
                    organization.Identifier.FirstOrDefault(i => i.System == JpFhir.Systems.MedicalInstitutionCode)?.Value, facts, indication);
            case Practitioner practitioner:
                var (kanji, kana) = DocumentMapper.Names(practitioner.Name);
                if (kana is not null)
                {
                    facts.Add(new EntryFact("Documents.Fact.Kana", kana));
                }

                return new DocumentEntry(EntryKind.Practitioner, "Practitioner", kanji ?? kana ?? string.Empty, null, facts, indication);
            case Patient patient:
                var names = DocumentMapper.Names(patient.Name);
                return new DocumentEntry(EntryKind.Patient, "Patient", names.Kanji ?? names.Kana ?? string.Empty, null, facts, indication);
            case Encounter encounter:
                var reason = string.Join("、", encounter.ReasonCode.Select(FhirText.ConceptText).Where(t => t.Length > 0));
                if (reason.Length > 0)
                {
                    facts.Add(new EntryFact("Documents.Fact.Reason", reason));
                }

                AddDate(facts, "Documents.Fact.Date", encounter.Period?.Start);
                return new DocumentEntry(EntryKind.Encounter, "Encounter",
                    FhirText.NullIfBlank(encounter.Class?.Display) ?? encounter.Class?.Code ?? string.Empty, null, facts, indication);
            case DocumentReference document:
                var attachment = document.Content.Select(c => c.Attachment).FirstOrDefault(a => a is not null);
                if (attachment?.ContentType is { Length: > 0 } contentType)
                {
                    facts.Add(new EntryFact("Documents.Fact.ContentType", contentType));
                }

                return new DocumentEntry(EntryKind.Attachment, "DocumentReference",
                    FhirText.NullIfBlank(attachment?.Title) ?? FhirText.NullIfBlank(document.Description) ?? FhirText.ConceptText(document.Type), null, facts, indication);
            case Binary binary:
                if (binary.ContentType is { Length: > 0 } binaryType)
                {
                    facts.Add(new EntryFact("Documents.Fact.ContentType", binaryType));
                }

                return new DocumentEntry(EntryKind.Attachment, "Binary", FhirText.NullIfBlank(reference.Display) ?? string.Empty, null, facts, indication);
            default:
                return new DocumentEntry(EntryKind.Other, resource.TypeName, FhirText.NullIfBlank(reference.Display) ?? string.Empty, null, facts, indication);
        }
    }

    internal static string? ObservationValue(DataType? value) => value switch
    {
        Quantity q when q.Value is { } number => $"{number.ToString(CultureInfo.InvariantCulture)} {q.Unit ?? q.Code}".TrimEnd(),
        FhirString s => FhirText.NullIfBlank(s.Value),
        CodeableConcept c => FhirText.NullIfBlank(FhirText.ConceptText(c)),
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
        else if (FhirText.NullIfBlank(concept?.Text) is { } text)
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

}

using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace MedNetPortal.FhirBase.Search;

/// <summary>
/// The resource types the base serves and the search parameters it indexes for each, declared once here and used by
/// indexing, searching and the CapabilityStatement alike, so the three cannot drift apart.
/// </summary>
internal static class SearchParameterRegistry
{
    private const string Hl7 = "http://hl7.org/fhir/SearchParameter/";

    /// <summary>Parameters every type has; they are served from the resources table, not the index tables.</summary>
    public static readonly IReadOnlyList<string> CommonParameters = ["_id", "_lastUpdated"];

    /// <summary>Result parameters understood on every search.</summary>
    public static readonly IReadOnlySet<string> ResultParameters =
        new HashSet<string>(StringComparer.Ordinal) { "_count", "_sort", "_include", "_revinclude", "_summary", "_total", "_format", "_offset" };

    private static readonly string[] PatientOnly = ["Patient"];
    private static readonly string[] Subjects = ["Patient"];
    private static readonly string[] AnyType = [.. Types()];

    public static IReadOnlyDictionary<string, ResourceTypeDefinition> All { get; } = Build();

    public static bool TryGet(string type, out ResourceTypeDefinition definition) => All.TryGetValue(type, out definition!);

    /// <summary>Every <c>Type:param</c> whose targets include <paramref name="type"/>.</summary>
    public static IEnumerable<string> RevIncludesFor(string type) =>
        All.Values.SelectMany(d => d.Parameters.Values
                .Where(p => p.Includable && p.Targets.Contains(type))
                .Select(p => $"{d.Type}:{p.Name}"))
            .Order(StringComparer.Ordinal);

    private static IEnumerable<string> Types() =>
    [
        "Patient", "Practitioner", "PractitionerRole", "Organization", "Condition", "AllergyIntolerance", "Observation",
        "MedicationRequest", "Encounter", "Composition", "DocumentReference", "Bundle", "Consent", "AuditEvent", "Task",
        "Communication", "Coverage",
    ];

    private static Dictionary<string, ResourceTypeDefinition> Build()
    {
        var types = new Dictionary<string, ResourceTypeDefinition>(StringComparer.Ordinal);
        void Add(string type, params SearchParamDefinition[] parameters) =>
            types[type] = new ResourceTypeDefinition(type, parameters.ToDictionary(p => p.Name, StringComparer.Ordinal));

        Add("Patient",
            Tok<Patient>("identifier", "Patient-identifier", p => p.Identifier),
            Str<Patient>("name", "Patient-name", p => p.Name),
            Str<Patient>("family", "individual-family", p => p.Name.Select(n => n.FamilyElement)),
            Str<Patient>("given", "individual-given", p => p.Name.SelectMany(n => n.GivenElement)),
            Date<Patient>("birthdate", "individual-birthdate", p => [p.BirthDateElement]),
            Tok<Patient>("gender", "individual-gender", p => [p.GenderElement]));
        Add("Practitioner",
            Tok<Practitioner>("identifier", "Practitioner-identifier", p => p.Identifier),
            Str<Practitioner>("name", "Practitioner-name", p => p.Name));
        Add("PractitionerRole",
            Tok<PractitionerRole>("identifier", "PractitionerRole-identifier", p => p.Identifier),
            Ref<PractitionerRole>("practitioner", "PractitionerRole-practitioner", ["Practitioner"], p => [p.Practitioner]),
            Ref<PractitionerRole>("organization", "PractitionerRole-organization", ["Organization"], p => [p.Organization]),
            Tok<PractitionerRole>("specialty", "PractitionerRole-specialty", p => p.Specialty));
        Add("Organization",
            Tok<Organization>("identifier", "Organization-identifier", o => o.Identifier),
            Str<Organization>("name", "Organization-name", o => [o.NameElement, .. o.AliasElement]),
            Tok<Organization>("type", "Organization-type", o => o.Type));
        Add("Condition",
            Tok<Condition>("identifier", "clinical-identifier", c => c.Identifier),
            Ref<Condition>("patient", "clinical-patient", PatientOnly, c => [c.Subject]),
            Ref<Condition>("subject", "Condition-subject", Subjects, c => [c.Subject]),
            Ref<Condition>("encounter", "clinical-encounter", ["Encounter"], c => [c.Encounter]),
            Tok<Condition>("clinical-status", "Condition-clinical-status", c => [c.ClinicalStatus]),
            Tok<Condition>("verification-status", "Condition-verification-status", c => [c.VerificationStatus]),
            Tok<Condition>("category", "Condition-category", c => c.Category),
            Tok<Condition>("code", "clinical-code", c => [c.Code]),
            Date<Condition>("onset-date", "Condition-onset-date", c => [c.Onset]),
            Date<Condition>("recorded-date", "Condition-recorded-date", c => [c.RecordedDateElement]));
        Add("AllergyIntolerance",
            Tok<AllergyIntolerance>("identifier", "clinical-identifier", a => a.Identifier),
            Ref<AllergyIntolerance>("patient", "clinical-patient", PatientOnly, a => [a.Patient]),
            Tok<AllergyIntolerance>("clinical-status", "AllergyIntolerance-clinical-status", a => [a.ClinicalStatus]),
            Tok<AllergyIntolerance>("verification-status", "AllergyIntolerance-verification-status", a => [a.VerificationStatus]),
            Tok<AllergyIntolerance>("category", "AllergyIntolerance-category", a => a.CategoryElement),
            Tok<AllergyIntolerance>("criticality", "AllergyIntolerance-criticality", a => [a.CriticalityElement]),
            Tok<AllergyIntolerance>("code", "clinical-code", a => [a.Code]),
            Date<AllergyIntolerance>("date", "clinical-date", a => [a.RecordedDateElement]),
            Date<AllergyIntolerance>("onset-date", null, a => [a.Onset],
                "Non-standard: AllergyIntolerance.onset[x], so allergies sort by onset like conditions."));
        Add("Observation",
            Tok<Observation>("identifier", "clinical-identifier", o => o.Identifier),
            Ref<Observation>("patient", "clinical-patient", PatientOnly, o => [o.Subject]),
            Ref<Observation>("subject", "Observation-subject", Subjects, o => [o.Subject]),
            Ref<Observation>("encounter", "clinical-encounter", ["Encounter"], o => [o.Encounter]),
            Tok<Observation>("status", "Observation-status", o => [o.StatusElement]),
            Tok<Observation>("category", "Observation-category", o => o.Category),
            Tok<Observation>("code", "clinical-code", o => [o.Code]),
            Date<Observation>("date", "clinical-date", o => [o.Effective]));
        Add("MedicationRequest",
            Tok<MedicationRequest>("identifier", "clinical-identifier", m => m.Identifier),
            Ref<MedicationRequest>("patient", "clinical-patient", PatientOnly, m => [m.Subject]),
            Ref<MedicationRequest>("subject", "MedicationRequest-subject", Subjects, m => [m.Subject]),
            Ref<MedicationRequest>("encounter", "clinical-encounter", ["Encounter"], m => [m.Encounter]),
            Tok<MedicationRequest>("status", "medications-status", m => [m.StatusElement]),
            Tok<MedicationRequest>("intent", "MedicationRequest-intent", m => [m.IntentElement]),
            Tok<MedicationRequest>("category", "MedicationRequest-category", m => m.Category),
            Tok<MedicationRequest>("code", "medications-code", m => [m.Medication as CodeableConcept]),
            Date<MedicationRequest>("authoredon", "MedicationRequest-authoredon", m => [m.AuthoredOnElement]));
        Add("Encounter",
            Tok<Encounter>("identifier", "clinical-identifier", e => e.Identifier),
            Ref<Encounter>("patient", "clinical-patient", PatientOnly, e => [e.Subject]),
            Ref<Encounter>("subject", "Encounter-subject", Subjects, e => [e.Subject]),
            Tok<Encounter>("status", "Encounter-status", e => [e.StatusElement]),
            Tok<Encounter>("class", "Encounter-class", e => [e.Class]),
            Tok<Encounter>("type", "clinical-type", e => e.Type),
            Date<Encounter>("date", "clinical-date", e => [e.Period]));
        Add("Composition",
            Tok<Composition>("identifier", "clinical-identifier", c => [c.Identifier]),
            Ref<Composition>("patient", "clinical-patient", PatientOnly, c => [c.Subject]),
            Ref<Composition>("subject", "Composition-subject", Subjects, c => [c.Subject]),
            Ref<Composition>("author", "Composition-author", ["Practitioner", "PractitionerRole", "Organization", "Patient"], c => c.Author),
            Tok<Composition>("status", "Composition-status", c => [c.StatusElement]),
            Tok<Composition>("type", "clinical-type", c => [c.Type]),
            Tok<Composition>("category", "Composition-category", c => c.Category),
            Date<Composition>("date", "clinical-date", c => [c.DateElement]));
        Add("DocumentReference",
            Tok<DocumentReference>("identifier", "clinical-identifier", d => [d.MasterIdentifier, .. d.Identifier]),
            Ref<DocumentReference>("patient", "clinical-patient", PatientOnly, d => [d.Subject]),
            Ref<DocumentReference>("subject", "DocumentReference-subject", Subjects, d => [d.Subject]),
            Tok<DocumentReference>("status", "DocumentReference-status", d => [d.StatusElement]),
            Tok<DocumentReference>("type", "clinical-type", d => [d.Type]),
            Tok<DocumentReference>("category", "DocumentReference-category", d => d.Category),
            Ref<DocumentReference>("related", "DocumentReference-related", AnyType, d => d.Context?.Related ?? []),
            Date<DocumentReference>("date", "DocumentReference-date", d => [d.DateElement]));
        Add("Bundle",
            Tok<Bundle>("identifier", "Bundle-identifier", b => [b.Identifier]),
            Tok<Bundle>("type", "Bundle-type", b => [b.TypeElement]),
            Date<Bundle>("timestamp", "Bundle-timestamp", b => [b.TimestampElement]),
            new SearchParamDefinition("composition", SearchParamKind.Reference, _ => [], ["Composition"], Hl7 + "Bundle-composition",
                "Chained forms only, resolved inside the document: composition.patient and composition.subject (Patient/id or id; " +
                "matched by the stored Patient's identifiers, or by a literal reference in the document) and " +
                "composition.patient.identifier and composition.subject.identifier (token).",
                IndexName: "composition"),
            new SearchParamDefinition(DocumentIndex.SubjectReferenceKey, SearchParamKind.Reference, DocumentIndex.SubjectReferences, PatientOnly,
                Hl7 + "Bundle-composition", Declared: false),
            new SearchParamDefinition("composition.subject", SearchParamKind.Reference, _ => [], PatientOnly,
                Hl7 + "Bundle-composition", IndexName: DocumentIndex.SubjectReferenceKey, Declared: false),
            new SearchParamDefinition(DocumentIndex.SubjectIdentifierKey, SearchParamKind.Token, DocumentIndex.SubjectIdentifiers, [],
                Hl7 + "Bundle-composition", Declared: false),
            new SearchParamDefinition("composition.subject.identifier", SearchParamKind.Token, _ => [], [],
                Hl7 + "Bundle-composition", IndexName: DocumentIndex.SubjectIdentifierKey, Declared: false));
        Add("Consent",
            Tok<Consent>("identifier", "clinical-identifier", c => c.Identifier),
            Ref<Consent>("patient", "clinical-patient", PatientOnly, c => [c.Patient]),
            Tok<Consent>("status", "Consent-status", c => [c.StatusElement]),
            Tok<Consent>("category", "Consent-category", c => c.Category),
            Tok<Consent>("scope", "Consent-scope", c => [c.Scope]),
            Ref<Consent>("organization", "Consent-organization", ["Organization"], c => c.Organization),
            Ref<Consent>("actor", "Consent-actor", ["Organization", "Practitioner", "PractitionerRole"],
                c => c.Provision is null ? [] : c.Provision.Actor.Select(a => a.Reference)),
            Date<Consent>("date", "clinical-date", c => [c.DateTimeElement]),
            Date<Consent>("period", "Consent-period", c => [c.Provision?.Period]));
        Add("AuditEvent",
            Tok<AuditEvent>("type", "AuditEvent-type", a => [a.Type]),
            Tok<AuditEvent>("subtype", "AuditEvent-subtype", a => a.Subtype),
            Tok<AuditEvent>("action", "AuditEvent-action", a => [a.ActionElement]),
            Date<AuditEvent>("date", "AuditEvent-date", a => [a.RecordedElement]),
            Ref<AuditEvent>("agent", "AuditEvent-agent", ["Practitioner", "PractitionerRole", "Organization", "Patient"], a => a.Agent.Select(x => x.Who)),
            Ref<AuditEvent>("entity", "AuditEvent-entity", AnyType, a => a.Entity.Select(x => x.What)),
            Ref<AuditEvent>("patient", "AuditEvent-patient", PatientOnly,
                a => a.Entity.Select(x => x.What).Where(r => r?.Reference?.StartsWith("Patient/", StringComparison.Ordinal) == true)));
        Add("Task",
            Tok<FhirTask>("identifier", "Task-identifier", t => t.Identifier),
            Tok<FhirTask>("status", "Task-status", t => [t.StatusElement]),
            Tok<FhirTask>("code", "Task-code", t => [t.Code]),
            Ref<FhirTask>("focus", "Task-focus", AnyType, t => [t.Focus]),
            Ref<FhirTask>("based-on", "Task-based-on", AnyType, t => t.BasedOn),
            Ref<FhirTask>("patient", "Task-patient", PatientOnly, t => [t.For]),
            Ref<FhirTask>("owner", "Task-owner", ["Organization", "Practitioner", "PractitionerRole", "Patient"], t => [t.Owner]),
            Ref<FhirTask>("requester", "Task-requester", ["Organization", "Practitioner", "PractitionerRole", "Patient"], t => [t.Requester]),
            Date<FhirTask>("authored-on", "Task-authored-on", t => [t.AuthoredOnElement]));
        Add("Communication",
            Tok<Communication>("identifier", "Communication-identifier", c => c.Identifier),
            Tok<Communication>("status", "Communication-status", c => [c.StatusElement]),
            Tok<Communication>("category", "Communication-category", c => c.Category),
            Ref<Communication>("based-on", "Communication-based-on", AnyType, c => c.BasedOn),
            Ref<Communication>("part-of", "Communication-part-of", AnyType, c => c.PartOf),
            Ref<Communication>("patient", "Communication-patient", PatientOnly, c => [c.Subject]),
            Ref<Communication>("subject", "Communication-subject", Subjects, c => [c.Subject]),
            Ref<Communication>("recipient", "Communication-recipient", ["Organization", "Practitioner", "PractitionerRole", "Patient"], c => c.Recipient),
            Ref<Communication>("sender", "Communication-sender", ["Organization", "Practitioner", "PractitionerRole", "Patient"], c => [c.Sender]),
            Date<Communication>("sent", "Communication-sent", c => [c.SentElement]),
            Date<Communication>("received", "Communication-received", c => [c.ReceivedElement]));
        Add("Coverage",
            Tok<Coverage>("identifier", "Coverage-identifier", c => c.Identifier),
            Ref<Coverage>("beneficiary", "Coverage-beneficiary", PatientOnly, c => [c.Beneficiary]),
            Ref<Coverage>("patient", "Coverage-patient", PatientOnly, c => [c.Beneficiary]),
            Tok<Coverage>("status", "Coverage-status", c => [c.StatusElement]));
        return types;
    }

    private static SearchParamDefinition Tok<T>(string name, string definition, Func<T, IEnumerable<Base?>> select)
        where T : Resource => new(name, SearchParamKind.Token, r => select((T)r), [], Hl7 + definition);

    private static SearchParamDefinition Str<T>(string name, string definition, Func<T, IEnumerable<Base?>> select)
        where T : Resource => new(name, SearchParamKind.String, r => select((T)r), [], Hl7 + definition);

    private static SearchParamDefinition Date<T>(string name, string? definition, Func<T, IEnumerable<Base?>> select, string? documentation = null)
        where T : Resource =>
        new(name, SearchParamKind.Date, r => select((T)r), [],
            definition is null ? $"urn:mednetportal:SearchParameter:{typeof(T).Name}-{name}" : Hl7 + definition, documentation);

    private static SearchParamDefinition Ref<T>(string name, string definition, string[] targets, Func<T, IEnumerable<Base?>> select)
        where T : Resource => new(name, SearchParamKind.Reference, r => select((T)r), targets, Hl7 + definition);
}
